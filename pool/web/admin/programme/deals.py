"""A pool's deal register (`/admin/deals?pool=`): the list (search, `kind`, `state`, sort by
the day signed, pages, CSV with amounts in major units), the form that records a deal, and on
each row a receipt, the pledgee's consent (pledges) and the end or release, which a page says
in words and asks to confirm. Everything goes through `deals.register`, as the API does; what
the contributor's register (`/contributor/deals`) does alike is in `pool.web.deals`."""

from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError
from pool.services import pools
from pool.services.deals import deal_lists, register
from pool.web.admin import views as av
from pool.web.admin.dashboard import Done, PoolChoice, staff_only
from pool.web.deals import actions as da
from pool.web.deals import forms as df
from pool.web.lists import read_list
from pool.web.pages import page, redirect

BASE = "/admin/deals"


def _list_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    pool_id: int | None,
    *,
    refused: da.Refused | None = None,
    status: int = 200,
    done: str | None = None,
) -> Response[Any]:
    pool, choices = av.chosen_pool(db, pool_id)
    template = "web/admin/deals.html.j2"
    if pool is None or pool.id is None:
        return page(request, template, staff, pool=None, choices=choices)
    # after a refused form (posted elsewhere) the links still lead to the list
    lst = replace(read_list(request, da.LIST, extra={"pool": str(pool.id)}), path=BASE)
    found = deal_lists.admin_listing(db, principal=staff, pool_id=pool.id, spec=lst.query)
    if lst.csv:
        return da.csv(found.items, now)
    return page(
        request, template, staff, status=status, pool=pool, choices=choices, lst=lst,
        deals=found, refused=refused or da.Refused(), today=now.date().isoformat(), done=done,
        **da.labels(now.date()),
    )  # fmt: skip


class AdminDealsController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/deals", sync_to_thread=True)
    def deal_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
        done: Done = None,
    ) -> Response[Any]:
        """The pool's deals (`q`, `kind`, `state`, `sort`, `page`, `format=csv`) and, for
        administrators, the form that records one."""
        return _list_page(request, db, staff, now, pool_id, done=done)

    @post("/pools/{pool_id:int}/deals", sync_to_thread=True)
    def record(
        self,
        request: Request[Any, Any, Any],
        pool_id: PathId,
        data: URLEncodedBody[df.DealForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Record a deal of the pool's patents (audited); a transfer over a pledge in force
        without consent is refused (409, the pledge named) and changes nothing."""
        staff.require_admin()
        pool = pools.get(db, pool_id=pool_id)
        choices = df.Choices()
        try:
            deal = df.deal_create(db, staff, pool, data, choices)
            register.record(db, principal=staff, pool_id=pool_id, data=deal, now=now)
        except DomainError as error:
            refused = da.Refused("record", typed=vars(data), choices=choices.by_field)
            render = partial(_list_page, request, db, staff, now, pool_id)
            raise da.refusal(error, refused, render) from error
        return redirect(f"{BASE}?pool={pool_id}&done=recorded")

    @post("/deals/{deal_id:int}/receipts", sync_to_thread=True)
    def receipt(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.ReceiptForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Money received under the deal, in major units, dated (audited)."""
        staff.require_admin()
        deal = register.get(db, principal=staff, deal_id=deal_id)
        try:
            da.receipt(db, staff, deal, data, now)
        except DomainError as error:
            render = partial(_list_page, request, db, staff, now, deal.pool_id)
            refused = da.Refused(f"receipt-{deal_id}", typed=vars(data))
            raise da.refusal(error, refused, render) from error
        return redirect(f"{BASE}?pool={deal.pool_id}&done=receipt")

    @post("/deals/{deal_id:int}/consent", sync_to_thread=True)
    def consent(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.ConsentForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The pledgee consents to licensing or transferring the pledged patents from a day."""
        staff.require_admin()
        deal = register.get(db, principal=staff, deal_id=deal_id)
        try:
            da.consent(db, staff, deal_id, data, now)
        except DomainError as error:
            render = partial(_list_page, request, db, staff, now, deal.pool_id)
            refused = da.Refused(f"consent-{deal_id}", typed=vars(data))
            raise da.refusal(error, refused, render) from error
        return redirect(f"{BASE}?pool={deal.pool_id}&done=consent")

    @get("/deals/{deal_id:int}/end", sync_to_thread=True)
    def end_form(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """What ending the deal on `?ended_on=` does, in words, to confirm (or cancel)."""
        staff.require_admin()
        return da.end_page(request, db, staff, deal_id, da.end_form(request, now), base=BASE)

    @post("/deals/{deal_id:int}/end", sync_to_thread=True)
    def end(
        self,
        request: Request[Any, Any, Any],
        deal_id: PathId,
        data: URLEncodedBody[df.EndForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """End the deal (release a pledge, end a licence, undo a transfer), once confirmed."""
        staff.require_admin()
        deal = register.get(db, principal=staff, deal_id=deal_id)
        try:
            da.end(db, staff, deal_id, data, now)
        except DomainError as error:
            render = partial(da.end_page, request, db, staff, deal_id, data, base=BASE)
            raise da.end_refusal(error, render) from error
        return redirect(f"{BASE}?pool={deal.pool_id}&done=ended")
