"""Payments received from licensees and invoice write-offs.

Only an administrator records a payment: it is a bank receipt, the pool's evidence that money
arrived. A licensee's own word that it paid is not cash, so licensees read their payments but
do not record them (403). Recording is idempotent by (licensee, reference)."""

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from pool.models.billing import (
    AllocationRead,
    Invoice,
    Payment,
    PaymentAllocation,
    PaymentCreate,
    PaymentRead,
    WriteOffCreate,
    WriteOffRead,
)
from pool.models.licensing import LicenceAgreement
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.billing import booking, ledger, licensee_money, settlement
from pool.services.billing.ledger import (
    BAD_DEBT,
    CASH,
    DEFERRED_RECEIVABLE,
    LICENSEE_CREDIT,
    RECEIVABLE,
)
from pool.services.common.pages import Page, paginate
from pool.services.pools import money_dates


def _check_payer(session: Session, *, pool_id: int, data: PaymentCreate, currency: str) -> None:
    if data.currency.upper() != currency:
        raise InvalidInput.field(
            "currency", Phrase("this pool is paid in %(currency)s", currency=currency)
        )
    payer = data.licensee_organisation_id
    deal = session.exec(
        select(LicenceAgreement.id).where(
            LicenceAgreement.pool_id == pool_id,
            LicenceAgreement.licensee_organisation_id == payer,
        )
    ).first()
    billed = session.exec(  # a contributor paying its evaluation fees
        select(Invoice.id).where(
            Invoice.pool_id == pool_id, Invoice.licensee_organisation_id == payer
        )
    ).first()
    if deal is None and billed is None:
        raise InvalidInput.field(
            "licensee_organisation_id", "no licence agreement and no invoice in this pool"
        )


def _existing(session: Session, data: PaymentCreate) -> Payment | None:
    return session.exec(
        select(Payment).where(
            Payment.licensee_organisation_id == data.licensee_organisation_id,
            Payment.reference == data.reference,
        )
    ).first()


def _replay(found: Payment, pool_id: int, data: PaymentCreate) -> Payment:
    """A retry must describe the same money; the same reference for other money is a clash."""
    if (found.pool_id, found.amount_minor, found.received_on) != (
        pool_id,
        data.amount_minor,
        data.received_on,
    ):
        raise Conflict(
            Phrase(
                "payment reference %(reference)s was recorded with other details",
                reference=data.reference,
            )
        )
    return found


def record(
    session: Session, *, principal: Principal, pool_id: int, data: PaymentCreate, now: datetime
) -> tuple[Payment, bool]:
    """Record a receipt and settle what it can; return (payment, created). The same reference
    with the same details returns the first payment and changes nothing."""
    pool = pools.get(session, pool_id=pool_id)
    if principal.role == Role.LICENSEE:
        principal.require_staff_or_org(data.licensee_organisation_id, "licensee")
    principal.require_admin()
    _check_payer(session, pool_id=pool_id, data=data, currency=pool.currency)
    money_dates.check(
        pool,
        field="received_on",
        what="the date received",
        value=data.received_on,
        today=now.date(),
    )
    licensee_money.serialize(session, data.licensee_organisation_id)
    if (found := _existing(session, data)) is not None:
        return _replay(found, pool_id, data), False
    # older credit settles first (oldest money first), before this payment exists
    settlement.apply_credit(
        session, pool_id=pool_id, licensee_organisation_id=data.licensee_organisation_id, now=now
    )
    payment = Payment(
        pool_id=pool_id,
        currency=pool.currency,
        recorded_by_user_id=principal.user_id,
        created_at=now,
        **data.model_dump(exclude={"currency"}),
    )
    try:
        with session.begin_nested():
            session.add(payment)
            session.flush()
    except IntegrityError:  # the same reference, committed by a concurrent request
        found = _existing(session, data)
        if found is None:
            raise
        return _replay(found, pool_id, data), False
    _settle_new(session, principal=principal, payment=payment, now=now)
    return payment, True


def _settle_new(session: Session, *, principal: Principal, payment: Payment, now: datetime) -> None:
    """After older credit (see `record`), this payment: Dr cash / Cr receivable (or
    deferred_receivable, for parts not yet due) per invoice, tagged with its usage period;
    the rest Dr cash / Cr credit."""
    who = payment.licensee_organisation_id
    settled = settlement.allocate(
        session,
        payment=payment,
        amount_minor=payment.amount_minor,
        on=payment.received_on,
        now=now,
    )
    excess = payment.amount_minor - sum(made.row.amount_minor for made in settled)
    ledger.post(
        session,
        pool_id=payment.pool_id,
        currency=payment.currency,
        occurred_on=payment.received_on,
        kind=settlement.PAYMENT_RECEIVED,
        source_type="payment",
        source_id=payment.id or 0,
        legs=[
            *settlement.settle_legs(settled),
            ledger.Leg(CASH, excess, licensee_organisation_id=who),
            ledger.Leg(LICENSEE_CREDIT, -excess, licensee_organisation_id=who),
        ],
        now=now,
        memo=f"payment {payment.reference}",
    )
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="payment.recorded",
        entity_type="payment",
        entity_id=payment.id,
        pool_id=payment.pool_id,
        after={**(snapshot(payment) or {}), "credit_minor": excess},
        now=now,
    )


def read(session: Session, payment: Payment) -> PaymentRead:
    rows = session.exec(
        select(PaymentAllocation)
        .where(PaymentAllocation.payment_id == payment.id)
        .order_by(col(PaymentAllocation.id))
    ).all()
    allocations = [AllocationRead.model_validate(row) for row in rows]
    return PaymentRead.model_validate(
        {
            **payment.model_dump(),
            "allocations": allocations,
            "credit_left_minor": payment.amount_minor - sum(a.amount_minor for a in allocations),
        }
    )


def get(session: Session, *, principal: Principal, payment_id: int) -> Payment:
    """Staff see every payment; a licensee its own; contributors none (404)."""
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise NotFound("payment not found")
    principal.require_staff_or_org(payment.licensee_organisation_id, "payment")
    return payment


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int | None,
    licensee_organisation_id: int | None,
    limit: int,
    offset: int,
) -> Page[PaymentRead]:
    query = select(Payment).order_by(col(Payment.received_on), col(Payment.id))
    if not principal.sees_everything:
        if principal.role != Role.LICENSEE:
            raise NotFound("not found")
        query = query.where(Payment.licensee_organisation_id == principal.organisation_id)
    if pool_id is not None:
        query = query.where(Payment.pool_id == pool_id)
    if licensee_organisation_id is not None:
        query = query.where(Payment.licensee_organisation_id == licensee_organisation_id)
    return paginate(session, query, limit=limit, offset=offset, convert=lambda p: read(session, p))


def write_off(
    session: Session, *, principal: Principal, invoice_id: int, data: WriteOffCreate, now: datetime
) -> WriteOffRead:
    """Give up on what is still owed (due and deferred): Dr bad_debt / Cr receivable and
    Cr deferred_receivable, so the licensee's balances drop and revenue stays as invoiced."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound("invoice not found")
    principal.require_staff_or_org(invoice.licensee_organisation_id, "invoice")
    principal.require_admin()
    pool = pools.get(session, pool_id=invoice.pool_id)
    money_dates.check(pool, field="on", what="the write-off date", value=data.on, today=now.date())
    licensee_money.serialize(session, invoice.licensee_organisation_id)
    session.refresh(invoice)  # as it is now that no other settlement can change it
    if invoice.status != settlement.OPEN:
        raise IllegalTransition(
            Phrase("a %(status)s invoice cannot be written off", status=invoice.status)
        )
    before = snapshot(invoice)
    found = booking.bookings(session, invoice)
    owed_now = sum(b.unpaid_minor for b in found if b.in_receivable)
    deferred = sum(b.unpaid_minor for b in found if not b.in_receivable)
    ledger.post(
        session,
        pool_id=invoice.pool_id,
        currency=invoice.currency,
        occurred_on=data.on,
        kind="write_off",
        source_type="invoice",
        source_id=invoice_id,
        legs=[
            ledger.invoice_leg(invoice, BAD_DEBT, owed_now + deferred),
            ledger.invoice_leg(invoice, RECEIVABLE, -owed_now),
            ledger.invoice_leg(invoice, DEFERRED_RECEIVABLE, -deferred),
        ],
        now=now,
        memo=f"write-off of invoice {invoice.number}: {data.reason}",
    )
    invoice.status = settlement.WRITTEN_OFF
    session.add(invoice)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="invoice.written_off",
        entity_type="invoice",
        entity_id=invoice_id,
        pool_id=invoice.pool_id,
        before=before,
        after={**(snapshot(invoice) or {}), "written_off_minor": owed_now + deferred},
        now=now,
    )
    return WriteOffRead(
        invoice_id=invoice_id,
        number=invoice.number,
        amount_minor=owed_now + deferred,
        status=invoice.status,
    )
