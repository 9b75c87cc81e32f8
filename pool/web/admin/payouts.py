"""Payout batches (`/admin/payouts`): the contributors held for want of bank details, the
batches of a pool, and the form that makes one; a batch's page downloads its pain.001 file,
marks it sent and records each payment paid or returned. The services are the API's
(`payouts.batches`, `payouts.settling`: audited, serialized per pool); a refused action is
shown on the page and changes nothing. Auditors read without the forms."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError, InvalidInput
from pool.services.payouts import batches, pain001, settling
from pool.unit_of_work import FormRefusal
from pool.web.admin import views as av
from pool.web.admin.dashboard import Done, PoolChoice, staff_only
from pool.web.i18n import N_
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

NOT_CONFIRMED = N_("tick the box to confirm that the file went to the bank")


@dataclass
class BatchForm:
    execution_date: str = ""


@dataclass
class SentForm:
    sent_on: str = ""
    confirm: str = ""  # "yes": the administrator ticked what marking it sent means


@dataclass
class PaidForm:
    paid_on: str = ""
    bank_reference: str = ""


@dataclass
class ReturnedForm:
    returned_on: str = ""
    reason: str = ""


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.field(field, "a date is written YYYY-MM-DD") from None


def _text(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidInput.field(field, "this field is required")
    return value.strip()


def _list_page(
    request: Request[Any, Any, Any], db: Session, staff: Principal, pool_id: int | None, *,
    errors: FormErrors = NO_ERRORS, status: int = 200,
) -> Response[str]:  # fmt: skip
    pool, choices = av.chosen_pool(db, pool_id)
    pid = (pool.id or 0) if pool else 0
    found = (
        batches.listing(db, principal=staff, pool_id=pid, limit=100, offset=0).items if pool else []
    )
    held = batches.held(db, principal=staff, pool_id=pid, limit=500, offset=0).items if pool else []
    return page(
        request, "web/admin/payouts.html.j2", staff, status=status, pool=pool, choices=choices,
        batches=found, held=held, errors=errors,
    )  # fmt: skip


def _batch_page(
    request: Request[Any, Any, Any], db: Session, staff: Principal, batch_id: int, *,
    errors: FormErrors = NO_ERRORS, status: int = 200, done: str | None = None,
) -> Response[str]:  # fmt: skip
    batch = batches.read(db, batches.get(db, principal=staff, batch_id=batch_id))
    return page(
        request, "web/admin/payout_batch.html.j2", staff, status=status, batch=batch,
        errors=errors, done=done,
    )  # fmt: skip


def _refused(error: DomainError, answer: Any) -> FormRefusal:
    if error.status_code not in (409, 422):
        raise error
    return FormRefusal(partial(answer, errors=FormErrors.of(error), status=error.status_code))


class AdminPayoutsController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/payouts", sync_to_thread=True)
    def payouts(
        self, request: Request[Any, Any, Any], db: NamedDependency[Session],
        staff: NamedDependency[Principal], pool_id: PoolChoice = None,
    ) -> Response[str]:  # fmt: skip
        """The pool's payout batches, who is held, and (administrators) a new batch."""
        return _list_page(request, db, staff, pool_id)

    @post("/pools/{pool_id:int}/payouts", sync_to_thread=True)
    def create(
        self, request: Request[Any, Any, Any], pool_id: PathId, data: URLEncodedBody[BatchForm],
        db: NamedDependency[Session], staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:  # fmt: skip
        """Make a batch of every contributor's open net payable."""
        staff.require_admin()
        try:
            on = _day(data.execution_date, "execution_date")
            batch = batches.create(db, principal=staff, pool_id=pool_id, execution_date=on, now=now)
        except DomainError as error:
            raise _refused(error, partial(_list_page, request, db, staff, pool_id)) from error
        return redirect(f"/admin/payouts/{batch.id}?done=created")

    @get("/payouts/{batch_id:int}", sync_to_thread=True)
    def batch(
        self, request: Request[Any, Any, Any], batch_id: PathId, db: NamedDependency[Session],
        staff: NamedDependency[Principal], done: Done = None,
    ) -> Response[str]:  # fmt: skip
        """The batch, its payments, and the forms that settle them."""
        return _batch_page(request, db, staff, batch_id, done=done)

    @get("/payouts/{batch_id:int}/pain001", sync_to_thread=True)
    def download(
        self, batch_id: PathId, db: NamedDependency[Session], staff: NamedDependency[Principal]
    ) -> Response[bytes]:
        """The pain.001 credit-transfer file for the bank."""
        found = batches.get(db, principal=staff, batch_id=batch_id)
        content = pain001.build(db, found, batches.lines_of(db, batch_id))
        disposition = f'attachment; filename="{found.message_id}.xml"'
        return Response(
            content, media_type=pain001.MEDIA_TYPE, headers={"Content-Disposition": disposition}
        )

    @post("/payouts/{batch_id:int}/sent", sync_to_thread=True)
    def sent(
        self, request: Request[Any, Any, Any], batch_id: PathId, data: URLEncodedBody[SentForm],
        db: NamedDependency[Session], staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:  # fmt: skip
        """The file went to the bank: only with the box ticked that says what this means."""
        try:
            on = _day(data.sent_on, "sent_on")
            if data.confirm != "yes":
                raise InvalidInput.field("confirm", NOT_CONFIRMED)
            settling.mark_sent(db, principal=staff, batch_id=batch_id, sent_on=on, now=now)
        except DomainError as error:
            raise _refused(error, partial(_batch_page, request, db, staff, batch_id)) from error
        return redirect(f"/admin/payouts/{batch_id}?done=sent")

    @post("/payouts/{batch_id:int}/lines/{line_id:int}/paid", sync_to_thread=True)
    def paid(
        self, request: Request[Any, Any, Any], batch_id: PathId, line_id: PathId,
        data: URLEncodedBody[PaidForm], db: NamedDependency[Session],
        staff: NamedDependency[Principal], now: NamedDependency[datetime],
    ) -> Response[Any]:  # fmt: skip
        """The bank paid this payment."""
        try:
            on, ref = _day(data.paid_on, "paid_on"), _text(data.bank_reference, "bank_reference")
            settling.record_paid(
                db, principal=staff, line_id=line_id, paid_on=on, bank_reference=ref, now=now
            )
        except DomainError as error:
            raise _refused(error, partial(_batch_page, request, db, staff, batch_id)) from error
        return redirect(f"/admin/payouts/{batch_id}?done=paid#line-{line_id}")

    @post("/payouts/{batch_id:int}/lines/{line_id:int}/returned", sync_to_thread=True)
    def returned(
        self, request: Request[Any, Any, Any], batch_id: PathId, line_id: PathId,
        data: URLEncodedBody[ReturnedForm], db: NamedDependency[Session],
        staff: NamedDependency[Principal], now: NamedDependency[datetime],
    ) -> Response[Any]:  # fmt: skip
        """The payment came back: payable again, in the next batch."""
        try:
            on, why = _day(data.returned_on, "returned_on"), _text(data.reason, "reason")
            settling.record_returned(
                db, principal=staff, line_id=line_id, returned_on=on, reason=why, now=now
            )
        except DomainError as error:
            raise _refused(error, partial(_batch_page, request, db, staff, batch_id)) from error
        return redirect(f"/admin/payouts/{batch_id}?done=returned#line-{line_id}")
