"""Payments for administrators: the licensees' payment notices waiting for the bank's word
(confirm with the amount and date received, or reject with a reason), a payment received
without a notice, and the recent payments with what they settled. Auditors read the page
without the forms; everything goes through the same services as the API."""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError, InvalidInput, NotFound
from pool.models.billing import PaymentCreate, PaymentRead
from pool.models.billing.payment_notice import NoticeConfirm, NoticeReject, NoticeStatus
from pool.models.integers import id_from_text
from pool.models.pool import Pool
from pool.services import pools
from pool.services.billing import invoices, payment_notices, payments
from pool.services.licensing import picking
from pool.unit_of_work import FormRefusal
from pool.web import payment_forms as pf
from pool.web.admin import views as av
from pool.web.admin.dashboard import PoolChoice, staff_only
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

SHOWN = 100  # pending notices and recent payments shown


@dataclass
class ConfirmForm:
    amount: str = ""
    received_on: str = ""


@dataclass
class RejectForm:
    reason: str = ""


@dataclass
class ReceiptForm:
    pool_id: str = ""
    licensee: str = ""  # a name typed (the type-ahead fills "Name (#id)")
    licensee_organisation_id: str = ""  # one of the names the server found for it
    reference: str = ""
    amount: str = ""
    received_on: str = ""


@dataclass(frozen=True)
class Refused:
    """Which form on the page was refused (`notice-3-confirm`, `receipt`) and what was typed."""

    form: str = ""
    errors: FormErrors = NO_ERRORS
    typed: dict[str, str] = field(default_factory=dict)
    matches: list[tuple[int, str]] = field(default_factory=list)  # licensees the name fits


@dataclass(frozen=True)
class Settled:
    invoice_id: int
    number: str
    amount_minor: int


@dataclass(frozen=True)
class ReceivedView:
    received_on: date
    licensee: str
    reference: str
    currency: str
    amount_minor: int
    settled: list[Settled]
    credit_left_minor: int


def _numbers(db: Session, staff: Principal, ids: set[int]) -> dict[int, str]:
    found = {}
    for invoice_id in sorted(ids):
        try:
            found[invoice_id] = invoices.get(db, principal=staff, invoice_id=invoice_id).number
        except NotFound:
            found[invoice_id] = f"#{invoice_id}"
    return found


def _recent(db: Session, staff: Principal, pool_id: int) -> list[PaymentRead]:
    total = payments.listing(
        db, principal=staff, pool_id=pool_id, licensee_organisation_id=None, limit=1, offset=0
    ).total
    return list(
        reversed(
            payments.listing(
                db,
                principal=staff,
                pool_id=pool_id,
                licensee_organisation_id=None,
                limit=SHOWN,
                offset=max(0, total - SHOWN),
            ).items
        )
    )


class AdminPaymentsController(Controller):
    path = "/admin/payments"
    include_in_schema = False
    dependencies = staff_only()

    def _page(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        staff: Principal,
        now: datetime,
        pool_id: int | None,
        *,
        refused: Refused | None = None,
        status: int = 200,
    ) -> Response[str]:
        pool, choices = av.chosen_pool(db, pool_id)
        template = "web/admin/payments.html.j2"
        if pool is None or pool.id is None:
            return page(request, template, staff, pool=None, choices=choices)
        pending = payment_notices.listing(
            db, principal=staff, pool_id=pool.id, status=NoticeStatus.PENDING, limit=SHOWN,
            offset=0,
        )  # fmt: skip
        received = _recent(db, staff, pool.id)
        names = av.names(db, staff, {n.licensee_organisation_id for n in pending.items})
        names |= av.names(db, staff, {p.licensee_organisation_id for p in received} - set(names))
        invoice_ids = {n.invoice_id for n in pending.items if n.invoice_id}
        invoice_ids |= {a.invoice_id for p in received for a in p.allocations}
        numbers = _numbers(db, staff, invoice_ids)
        return page(
            request,
            template,
            staff,
            status=status,
            pool=pool,
            choices=choices,
            notices=[pf.notice_view(n, numbers=numbers, names=names) for n in pending.items],
            waiting=pending.total,
            received=[_received(p, names, numbers) for p in received],
            today=now.date().isoformat(),
            major=pf.major,
            refused=refused or Refused(),
        )

    @get("/", sync_to_thread=True)
    def payments_page(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
    ) -> Response[str]:
        """Notices to confirm, a receipt to record, and the recent payments of one pool."""
        return self._page(request, db, staff, now, pool_id)

    @post("/notices/{notice_id:int}/confirm", sync_to_thread=True)
    def confirm(
        self,
        request: Request[Any, Any, Any],
        notice_id: PathId,
        data: URLEncodedBody[ConfirmForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The bank shows the money: record it as the payment, amount and date as received."""
        notice = payment_notices.get(db, principal=staff, notice_id=notice_id)
        try:
            staff.require_admin()
            answer = pf.parsed(
                NoticeConfirm, {"received_on": data.received_on},
                amount=("amount_minor", data.amount, notice.currency),
            )  # fmt: skip
            payment_notices.confirm(db, principal=staff, notice_id=notice_id, data=answer, now=now)
        except DomainError as error:
            return self._refused(request, db, staff, now, notice.pool_id, error,
                                 f"notice-{notice_id}-confirm", vars(data))  # fmt: skip
        return redirect(f"/admin/payments?pool={notice.pool_id}")

    @post("/notices/{notice_id:int}/reject", sync_to_thread=True)
    def reject(
        self,
        request: Request[Any, Any, Any],
        notice_id: PathId,
        data: URLEncodedBody[RejectForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """No such money arrived: the licensee reads the reason on its invoice."""
        notice = payment_notices.get(db, principal=staff, notice_id=notice_id)
        try:
            staff.require_admin()
            answer = pf.parsed(NoticeReject, {"reason": data.reason}, amount=None)
            payment_notices.reject(db, principal=staff, notice_id=notice_id, data=answer, now=now)
        except DomainError as error:
            return self._refused(request, db, staff, now, notice.pool_id, error,
                                 f"notice-{notice_id}-reject", vars(data))  # fmt: skip
        return redirect(f"/admin/payments?pool={notice.pool_id}")

    @post("/", sync_to_thread=True)
    def record(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[ReceiptForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """A payment received without a notice, from the bank's receipt."""
        pool = _pool(db, data.pool_id)
        values = {
            "licensee_organisation_id": data.licensee_organisation_id,
            "reference": data.reference,
            "received_on": data.received_on,
            "currency": pool.currency,
        }
        matches: list[tuple[int, str]] = []
        try:
            staff.require_admin()
            if not data.licensee_organisation_id.strip():
                found, matches = picking.one_licensee(
                    db, principal=staff, pool_id=pool.id or 0, text=data.licensee, field="licensee"
                )
                if matches:
                    raise InvalidInput.field("licensee", "several licensees have this name")
                values["licensee_organisation_id"] = str(found)
            receipt = pf.parsed(
                PaymentCreate, values, amount=("amount_minor", data.amount, pool.currency)
            )
            payments.record(db, principal=staff, pool_id=pool.id or 0, data=receipt, now=now)
        except DomainError as error:
            return self._refused(request, db, staff, now, pool.id, error, "receipt", vars(data),
                                 matches)  # fmt: skip
        return redirect(f"/admin/payments?pool={pool.id}")

    def _refused(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        staff: Principal,
        now: datetime,
        pool_id: int | None,
        error: DomainError,
        form: str,
        typed: dict[str, str],
        matches: list[tuple[int, str]] | None = None,
    ) -> Response[str]:
        """The page again with the refused form's messages next to its fields; nothing saved."""
        refused = Refused(form, FormErrors.of(error), typed, matches or [])
        raise FormRefusal(partial(
            self._page, request, db, staff, now, pool_id, refused=refused,
            status=error.status_code,
        )) from error  # fmt: skip


def _pool(db: Session, value: str) -> Pool:
    pool_id = id_from_text(value)  # 2^63 raised OverflowError in the driver (issue 13)
    if pool_id is None:
        raise NotFound("pool not found")
    return pools.get(db, pool_id=pool_id)


def _received(payment: PaymentRead, names: dict[int, str], numbers: dict[int, str]) -> ReceivedView:
    net: dict[int, int] = {}
    for allocation in payment.allocations:
        net[allocation.invoice_id] = net.get(allocation.invoice_id, 0) + allocation.amount_minor
    return ReceivedView(
        received_on=payment.received_on,
        licensee=names.get(payment.licensee_organisation_id, ""),
        reference=payment.reference,
        currency=payment.currency,
        amount_minor=payment.amount_minor,
        settled=[Settled(i, numbers.get(i, f"#{i}"), a) for i, a in net.items() if a],
        credit_left_minor=payment.credit_left_minor,
    )
