"""Payments released from an invoice being cancelled (a corrected report): what they had settled
on it goes back to the licensee as credit, in one balanced ledger entry."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.models.billing import Invoice, PaymentAllocation
from pool.services import audit
from pool.services.billing import booking, ledger, licensee_money
from pool.services.billing.ledger import (
    CASH,
    DEFERRED_RECEIVABLE,
    LICENSEE_CREDIT,
    RECEIVABLE,
    Leg,
)
from pool.services.billing.settlement import ALLOCATIONS_RELEASED, SYSTEM, audit_allocations


def release_allocations(session: Session, *, invoice: Invoice, now: datetime) -> int:
    """Give back as credit what payments had settled on `invoice`, which is being cancelled
    (a corrected report); return the amount. Without this the money would stay stranded on an
    invoice nobody owes, and the replacing invoice would look unpaid.

    One negative allocation row per payment keeps the history (see `PaymentAllocation`). The
    entry is the inverse of settling: Dr receivable (P) (or deferred_receivable, for parts paid
    before they fell due) / Cr licensee_credit, and the cash
    goes back from the invoice's usage period P to "no period", because cash without a period
    is exactly the licensees' credit (docs/ledger.md). `apply_credit` then moves it to the
    replacing invoice (usually the same period P) or keeps it as credit."""
    licensee_money.serialize(session, invoice.licensee_organisation_id)
    rows = session.exec(
        select(PaymentAllocation.payment_id, func.sum(PaymentAllocation.amount_minor))
        .where(PaymentAllocation.invoice_id == invoice.id)
        .group_by(col(PaymentAllocation.payment_id))
        .order_by(col(PaymentAllocation.payment_id))
    ).all()
    released = {payment_id: int(total) for payment_id, total in rows if total}
    if not released:
        return 0
    made = [
        PaymentAllocation(
            payment_id=payment_id,
            invoice_id=invoice.id or 0,
            amount_minor=-amount,
            allocated_on=now.date(),
        )
        for payment_id, amount in released.items()
    ]
    session.add_all(made)
    session.flush()
    audit_allocations(
        session, made, action="payment_allocation.released", pool_id=invoice.pool_id, now=now
    )
    found = booking.bookings(session, invoice, paid_minor=sum(released.values()))
    from_deferred = sum(b.paid_while_deferred_minor for b in found)
    _post_released(session, invoice, released, from_deferred, now=now)
    return sum(released.values())


def _post_released(
    session: Session,
    invoice: Invoice,
    released: dict[int, int],
    from_deferred: int,
    *,
    now: datetime,
) -> None:
    """`from_deferred`: what the payments had settled Cr deferred_receivable (parts paid
    before they fell due) goes back there, the rest to receivable, so that with the reversed
    issue entry both net to zero for the invoice."""
    total = sum(released.values())
    who = invoice.licensee_organisation_id
    ledger.post(
        session,
        pool_id=invoice.pool_id,
        currency=invoice.currency,
        occurred_on=now.date(),
        kind=ALLOCATIONS_RELEASED,
        source_type="invoice",
        source_id=invoice.id or 0,
        legs=[
            ledger.invoice_leg(invoice, RECEIVABLE, total - from_deferred),
            ledger.invoice_leg(invoice, DEFERRED_RECEIVABLE, from_deferred),
            Leg(LICENSEE_CREDIT, -total, licensee_organisation_id=who),
            ledger.invoice_leg(invoice, CASH, -total),
            Leg(CASH, total, licensee_organisation_id=who),
        ],
        now=now,
        memo=f"payments on cancelled invoice {invoice.number} released as credit",
    )
    audit.record(
        session,
        actor=SYSTEM,
        action="invoice.payments_released",
        entity_type="invoice",
        entity_id=invoice.id,
        pool_id=invoice.pool_id,
        after={"released_minor": total, "by_payment": {str(k): v for k, v in released.items()}},
        now=now,
    )
