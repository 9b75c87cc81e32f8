"""How money settles invoices: open items in a fixed order, payments and credit filling them,
and deferred parts falling due. Every step is one balanced ledger entry.

Rules (docs/ledger.md):

* only amounts that are due (in `receivable`) are settled; money beyond them is the licensee's
  credit (`licensee_credit`), consumed as soon as more falls due (new invoices, instalments);
* open items are settled oldest first: by the due date of the invoice's oldest unpaid part,
  then by invoice id; inside an invoice, parts fill in due order;
* every cash leg that settles an invoice carries that invoice's usage period, so the money
  received for a usage period is the sum of `cash` postings tagged with it (DOMAIN.md §3);
  cash not yet attributed (credit) has no period.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.models.billing import Invoice, Payment, PaymentAllocation
from pool.models.ledger import JournalEntry
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.billing import ledger, licensee_money
from pool.services.billing.ledger import CASH, DEFERRED_DUE, LICENSEE_CREDIT, RECEIVABLE, Leg

OPEN, PAID, WRITTEN_OFF = "open", "paid", "written_off"
PAYMENT_RECEIVED = "payment_received"
CREDIT_APPLIED = "credit_applied"
ALLOCATIONS_RELEASED = "allocations_released"
SYSTEM = audit.Actor.system("billing")


@dataclass(frozen=True)
class OpenItem:
    """The part of an invoice that is due and unpaid, and from when it was due."""

    invoice: Invoice
    outstanding_minor: int
    due_on: date  # the oldest unpaid part's due date: the settlement order
    due_since: date  # the day it became collectable (never before the invoice existed)


def allocated(session: Session, invoice_id: int) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0)).where(
            PaymentAllocation.invoice_id == invoice_id
        )
    ).one()
    return int(total)


def recognised_keys(session: Session, parts: Sequence[ledger.Part]) -> set[tuple[str, int]]:
    """Deferred parts already moved to `receivable` (their "falls due" entry exists)."""
    ids = {p.source_id for p in parts}
    rows = session.exec(
        select(JournalEntry.source_type, JournalEntry.source_id).where(
            JournalEntry.kind == DEFERRED_DUE, col(JournalEntry.source_id).in_(ids)
        )
    ).all()
    return {(source_type, source_id) for source_type, source_id in rows}


def due_parts(session: Session, invoice: Invoice) -> list[ledger.Part]:
    """The parts currently in `receivable`: due at issue, or recognised since."""
    parts = ledger.parts_of(session, invoice)
    moved = recognised_keys(session, parts)
    return [
        p for p in parts if ledger.due_at_issue(invoice, p) or (p.source_type, p.source_id) in moved
    ]


def open_item(session: Session, invoice: Invoice) -> OpenItem | None:
    paid = allocated(session, invoice.id or 0)
    parts = due_parts(session, invoice)
    outstanding = sum(p.amount_minor for p in parts) - paid
    for part in parts:
        if paid < part.amount_minor:
            due_on = part.due_on or invoice.issued_on
            return OpenItem(invoice, outstanding, due_on, max(due_on, invoice.issued_on))
        paid -= part.amount_minor
    return None


def open_items(session: Session, *, pool_id: int, licensee_organisation_id: int) -> list[OpenItem]:
    """The licensee's due and unpaid amounts in settlement order (due date, then invoice id)."""
    invoices = session.exec(
        select(Invoice).where(
            Invoice.pool_id == pool_id,
            Invoice.licensee_organisation_id == licensee_organisation_id,
            Invoice.status == OPEN,
        )
    ).all()
    items = [item for inv in invoices if (item := open_item(session, inv)) is not None]
    return sorted(items, key=lambda item: (item.due_on, item.invoice.id or 0))


def refresh_status(session: Session, invoice: Invoice, *, now: datetime) -> None:
    """`paid` once allocations cover the total; written-off and cancelled invoices stay so.
    A change is audited (`invoice.paid` or `invoice.reopened`) with the invoice's row."""
    if invoice.status not in (OPEN, PAID):
        return
    before = snapshot(invoice)
    status = PAID if allocated(session, invoice.id or 0) >= invoice.total_minor else OPEN
    if status == invoice.status:
        return
    invoice.status = status
    session.add(invoice)
    audit.record(
        session,
        actor=SYSTEM,
        action="invoice.paid" if status == PAID else "invoice.reopened",
        entity_type="invoice",
        entity_id=invoice.id,
        pool_id=invoice.pool_id,
        before=before,
        after=snapshot(invoice),
        now=now,
    )


def audit_allocations(
    session: Session, rows: Sequence[PaymentAllocation], *, action: str, pool_id: int, now: datetime
) -> None:
    """One event per allocation row written (`payment_allocation.made` or `.released`), its
    row as `after`: what `audit.verify_money` checks the table against."""
    audit.record_many(
        session,
        [(action, "payment_allocation", row.id, None, snapshot(row), pool_id) for row in rows],
        actor=SYSTEM,
        now=now,
    )


Settled = list[tuple[PaymentAllocation, Invoice]]
Credit = tuple[Payment, int]  # a payment and the part of it not yet allocated


def allocate(
    session: Session, *, payment: Payment, amount_minor: int, on: date, now: datetime
) -> Settled:
    """Fill open items in order with up to `amount_minor` of `payment`; return what was made
    (each allocation, and each invoice's status change, audited).

    An allocation is dated the later of `on` and the day the item became collectable, so late
    interest never runs on money the pool already held."""
    licensee_money.serialize(session, payment.licensee_organisation_id)
    made: Settled = []
    left = amount_minor
    items = open_items(
        session, pool_id=payment.pool_id, licensee_organisation_id=payment.licensee_organisation_id
    )
    for item in items:
        if left == 0:
            break
        share = min(left, item.outstanding_minor)
        row = PaymentAllocation(
            payment_id=payment.id or 0,
            invoice_id=item.invoice.id or 0,
            amount_minor=share,
            allocated_on=max(on, item.due_since),
        )
        session.add(row)
        session.flush()
        audit_allocations(
            session, [row], action="payment_allocation.made", pool_id=payment.pool_id, now=now
        )
        refresh_status(session, item.invoice, now=now)
        made.append((row, item.invoice))
        left -= share
    return made


def settle_legs(settled: Settled) -> list[Leg]:
    """Dr cash / Cr receivable per allocation, both tagged with the invoice's usage period."""
    return [
        leg
        for row, invoice in settled
        for leg in (
            ledger.invoice_leg(invoice, CASH, row.amount_minor),
            ledger.invoice_leg(invoice, RECEIVABLE, -row.amount_minor),
        )
    ]


def credit_left(session: Session, payment: Payment) -> int:
    return payment.amount_minor - allocated_to_payment(session, payment.id or 0)


def allocated_to_payment(session: Session, payment_id: int) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0)).where(
            PaymentAllocation.payment_id == payment_id
        )
    ).one()
    return int(total)


def apply_credit(
    session: Session, *, pool_id: int, licensee_organisation_id: int, now: datetime
) -> int:
    """Settle due items from the licensee's credit, oldest payment first; return the amount.

    Per allocation: Dr licensee_credit / Cr receivable, and the cash moves from "no period"
    to the invoice's usage period (Dr cash period / Cr cash unattributed). Call it after
    anything falls due: an invoice issued, a deferred part recognised."""
    licensee_money.serialize(session, licensee_organisation_id)
    if not open_items(session, pool_id=pool_id, licensee_organisation_id=licensee_organisation_id):
        return 0  # nothing is due: credit stays credit
    applied = 0
    for payment, left in _credits(session, pool_id, licensee_organisation_id):
        settled = allocate(
            session, payment=payment, amount_minor=left, on=payment.received_on, now=now
        )
        if not settled:
            break  # nothing left open for the next payments either
        for row, invoice in settled:
            _post_credit_applied(session, payment, row, invoice, now=now)
            applied += row.amount_minor
    return applied


def _credits(session: Session, pool_id: int, licensee_organisation_id: int) -> list[Credit]:
    """The licensee's payments with credit left, oldest first, in one query (a licensee with
    many payments once cost a query per payment on every new payment or invoice)."""
    used = (
        select(
            col(PaymentAllocation.payment_id).label("payment_id"),
            func.sum(PaymentAllocation.amount_minor).label("used"),
        )
        .group_by(col(PaymentAllocation.payment_id))
        .subquery()
    )
    rows = session.exec(
        select(Payment, func.coalesce(used.c.used, 0))
        .outerjoin(used, used.c.payment_id == Payment.id)
        .where(
            Payment.pool_id == pool_id,
            Payment.licensee_organisation_id == licensee_organisation_id,
        )
        .order_by(col(Payment.received_on), col(Payment.id))
    ).all()
    return [(p, p.amount_minor - int(u)) for p, u in rows if p.amount_minor > int(u)]


def _post_credit_applied(
    session: Session, payment: Payment, row: PaymentAllocation, invoice: Invoice, *, now: datetime
) -> None:
    who = payment.licensee_organisation_id
    ledger.post(
        session,
        pool_id=payment.pool_id,
        currency=payment.currency,
        occurred_on=row.allocated_on,
        kind=CREDIT_APPLIED,
        source_type="payment_allocation",
        source_id=row.id or 0,
        legs=[
            Leg(LICENSEE_CREDIT, row.amount_minor, licensee_organisation_id=who),
            ledger.invoice_leg(invoice, RECEIVABLE, -row.amount_minor),
            ledger.invoice_leg(invoice, CASH, row.amount_minor),
            Leg(CASH, -row.amount_minor, licensee_organisation_id=who),
        ],
        now=now,
        memo=f"credit from payment {payment.reference} applied to invoice {invoice.number}",
    )
    audit.record(
        session,
        actor=SYSTEM,
        action="payment.credit_applied",
        entity_type="payment",
        entity_id=payment.id,
        pool_id=payment.pool_id,
        after={"invoice_id": invoice.id, "amount_minor": row.amount_minor},
        now=now,
    )
