"""The contributor's own deals (`/contributor/deals`): transfers, licences outside the pool,
capital contributions and pledges of its patents, in every pool it belongs to, newest signed
first (search, `kind`, `state`, pages, CSV in major units); the form that records one (the
supplier is always the contributor's organisation, the counterparty typed by its full name);
and on each row a receipt, the pledgee's consent and the end or release confirmed in words.

Contributors only (`contributor_only`); `deals.register` scopes every deal to its supplier, so
another contributor's deal is not found (404). What the administrator's register does alike is
in `pool.web.deals`."""

from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError, InvalidInput
from pool.models.pool import Pool
from pool.services import pools
from pool.services.deals import deal_lists, register
from pool.web.contributor.access import contributor_only, my_pools
from pool.web.deals import actions as da
from pool.web.deals import forms as df
from pool.web.i18n import N_
from pool.web.lists import read_list
from pool.web.pages import page, redirect

BASE = "/contributor/deals"
NOT_YOUR_POOL = N_("choose one of your pools")
Done = Annotated[str | None, QueryParameter(name="done", max_length=20)]


def _list_page(
    request: Request[Any, Any, Any],
    db: Session,
    principal: Principal,
    now: datetime,
    *,
    refused: da.Refused | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response[Any]:
    # after a refused form (posted elsewhere) the links still lead to the list
    lst = replace(read_list(request, da.LIST), path=BASE)
    found = deal_lists.own_listing(db, principal=principal, spec=lst.query)
    if lst.csv:
        return da.csv(found.items, now)
    mine = my_pools(db, principal, current_only=True)
    return page(
        request, "web/contributor/deals.html.j2", principal, status=status, lst=lst,
        deals=found, pools=mine, currency=mine[0].currency if len(mine) == 1 else None,
        refused=refused or da.Refused(), today=now.date().isoformat(), done=done,
        **da.labels(now.date()),
    )  # fmt: skip


def _pool(db: Session, principal: Principal, typed: str) -> Pool:
    """The pool the form names: one the contributor is a member of, else a fault on it."""
    mine = my_pools(db, principal, current_only=True)
    wanted = typed.strip() or (str(mine[0].id) if len(mine) == 1 else "")
    if not any(str(p.id) == wanted for p in mine):
        raise InvalidInput.field("pool_id", NOT_YOUR_POOL)
    return pools.get(db, pool_id=int(wanted))


class ContributorDealsController(Controller):
    path = BASE
    include_in_schema = False
    # read once by Litestar when the app is built, never changed: a class attribute is fine
    dependencies = {"principal": Provide(contributor_only, sync_to_thread=False)}  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def deal_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        done: Done = None,
    ) -> Response[Any]:
        """The contributor's deals (`q`, `kind`, `state`, `sort`, `page`, `format=csv`) and
        the form that records one."""
        return _list_page(request, db, principal, now, done=done)

    @post("/", sync_to_thread=True)
    def record(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[df.DealForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Record a deal of the contributor's own patents in one of its pools (audited); a
        transfer over a pledge in force without consent is refused (409) and changes nothing."""
        choices = df.Choices()
        try:
            pool = _pool(db, principal, data.pool_id)
            deal = df.deal_create(db, principal, pool, data, choices)
            register.record(db, principal=principal, pool_id=pool.id or 0, data=deal, now=now)
        except DomainError as error:
            refused = da.Refused("record", typed=vars(data), choices=choices.by_field)
            render = partial(_list_page, request, db, principal, now)
            raise da.refusal(error, refused, render) from error
        return redirect(f"{BASE}?done=recorded")

    @post("/{deal_id:int}/receipts", sync_to_thread=True)
    def receipt(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.ReceiptForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Money received under the deal, in major units, dated (audited)."""
        deal = register.get(db, principal=principal, deal_id=deal_id)
        try:
            da.receipt(db, principal, deal, data, now)
        except DomainError as error:
            refused = da.Refused(f"receipt-{deal_id}", typed=vars(data))
            render = partial(_list_page, request, db, principal, now)
            raise da.refusal(error, refused, render) from error
        return redirect(f"{BASE}?done=receipt")

    @post("/{deal_id:int}/consent", sync_to_thread=True)
    def consent(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.ConsentForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The pledgee consents to licensing or transferring the pledged patents from a day."""
        register.get(db, principal=principal, deal_id=deal_id)
        try:
            da.consent(db, principal, deal_id, data, now)
        except DomainError as error:
            refused = da.Refused(f"consent-{deal_id}", typed=vars(data))
            render = partial(_list_page, request, db, principal, now)
            raise da.refusal(error, refused, render) from error
        return redirect(f"{BASE}?done=consent")

    @get("/{deal_id:int}/end", sync_to_thread=True)
    def end_form(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """What ending the deal on `?ended_on=` does, in words, to confirm (or cancel)."""
        form = da.end_form(request, now)
        return da.end_page(request, db, principal, deal_id, form, base=BASE)

    @post("/{deal_id:int}/end", sync_to_thread=True)
    def end(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.EndForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """End the deal (release a pledge, end a licence, undo a transfer), once confirmed."""
        register.get(db, principal=principal, deal_id=deal_id)
        try:
            da.end(db, principal, deal_id, data, now)
        except DomainError as error:
            render = partial(da.end_page, request, db, principal, deal_id, data, base=BASE)
            raise da.end_refusal(error, render) from error
        return redirect(f"{BASE}?done=ended")
