"""A pool's open-licence offers (`/admin/offers?pool=`): every offer, withdrawn ones too, the
form that publishes one on a version of the pool's terms, and withdrawal, which a page asks to
confirm. `offers.publish` refuses an offer a pledge in force without consent would cover (409,
the pledge named): the form shows it in the reader's language and nothing is published."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError, InvalidInput
from pool.models.licensing import OfferCreate, OfferWithdraw
from pool.services import pools
from pool.services.licensing import offers, terms
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.dashboard import Done, PoolChoice, staff_only
from pool.web.i18n import N_
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

SHOWN = 500
NOT_A_DAY = N_("enter a date")
CONFIRM = N_("confirm on this page")
REFUSED = N_("the offer was not published")


@dataclass
class PublishForm:
    terms_id: str = ""
    term_months: str = ""
    jurisdiction: str = ""
    payment_method: str = ""
    published_on: str = ""


@dataclass
class WithdrawForm:
    withdrawn_on: str = ""
    confirm: str = ""


def _schema(schema: type[Any], values: dict[str, str], detail: str) -> Any:
    data = {name: value.strip() for name, value in values.items() if value.strip()}
    if "jurisdiction" in data:
        data["jurisdiction"] = data["jurisdiction"].upper()
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise schema_messages.invalid_input(detail, error) from error


def _offers_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    pool_id: int | None,
    *,
    form: PublishForm | None = None,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
    done: str | None = None,
) -> Response[str]:
    pool, choices = av.chosen_pool(db, pool_id)
    template = "web/admin/offers.html.j2"
    if pool is None or pool.id is None:
        return page(request, template, staff, pool=None, choices=choices)
    found = offers.listing(db, principal=staff, pool_id=pool.id, limit=SHOWN, offset=0)
    versions = terms.listing(db, pool_id=pool.id, limit=SHOWN, offset=0).items
    today = now.date().isoformat()
    return page(
        request, template, staff, status=status, pool=pool, choices=choices,
        offers=list(reversed(found.items)), total=found.total,
        versions={t.id: t.version for t in versions}, today=today, done=done,
        form=form or PublishForm(published_on=today), errors=errors,
    )  # fmt: skip


class AdminOffersController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/offers", sync_to_thread=True)
    def offer_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
        done: Done = None,
    ) -> Response[str]:
        """The pool's open-licence offers, newest first, and the form that publishes one."""
        return _offers_page(request, db, staff, now, pool_id, done=done)

    @post("/pools/{pool_id:int}/offers", sync_to_thread=True)
    def publish(
        self,
        request: Request[Any, Any, Any],
        pool_id: PathId,
        data: URLEncodedBody[PublishForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Publish an offer (audited); refused over a pledge in force without consent."""
        staff.require_admin()
        pools.get(db, pool_id=pool_id)
        try:
            offer = _schema(OfferCreate, vars(data), REFUSED)
            offers.publish(db, principal=staff, pool_id=pool_id, data=offer, now=now)
        except DomainError as error:
            if error.status_code not in (404, 409, 422):
                raise
            if error.status_code == 404:  # terms of another pool, or none
                error = InvalidInput.field("terms_id", "choose one of the pool's terms")
            raise FormRefusal(partial(
                _offers_page, request, db, staff, now, pool_id, form=data,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/offers?pool={pool_id}&done=published")

    @get("/offers/{offer_id:int}/withdraw", sync_to_thread=True)
    def withdraw_form(
        self,
        request: Request[Any, Any, Any],
        offer_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """What withdrawing the offer on `?withdrawn_on=` means, to confirm or cancel."""
        staff.require_admin()
        day = str(request.query_params.get("withdrawn_on") or now.date().isoformat())[:20]
        return _withdraw_page(request, db, staff, offer_id, WithdrawForm(withdrawn_on=day))

    @post("/offers/{offer_id:int}/withdraw", sync_to_thread=True)
    def withdraw(
        self,
        request: Request[Any, Any, Any],
        offer_id: PathId,
        data: URLEncodedBody[WithdrawForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Withdraw the offer from a day, once confirmed (audited)."""
        staff.require_admin()
        offer = offers.get(db, offer_id=offer_id)
        try:
            answer = _schema(OfferWithdraw, {"withdrawn_on": data.withdrawn_on}, REFUSED)
            if data.confirm != "yes":
                raise InvalidInput.field("confirm", CONFIRM)
            offers.withdraw(db, principal=staff, offer_id=offer_id, data=answer, now=now)
        except DomainError as error:
            if error.status_code not in (409, 422):
                raise
            raise FormRefusal(partial(
                _withdraw_page, request, db, staff, offer_id, data,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/offers?pool={offer.pool_id}&done=withdrawn")


def _withdraw_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    offer_id: int,
    form: WithdrawForm,
    *,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response[str]:
    offer = offers.get(db, offer_id=offer_id)
    try:
        on: date | None = date.fromisoformat(form.withdrawn_on.strip())
    except ValueError:
        on, status = None, 422
        errors = FormErrors(fields={"withdrawn_on": [NOT_A_DAY]}, general=errors.general)
    version = terms.get(db, pool_id=offer.pool_id, terms_id=offer.terms_id).version
    return page(
        request, "web/admin/offer_withdraw.html.j2", staff, status=status, offer=offer,
        version=version, on=on, form=form, errors=errors,
    )  # fmt: skip
