"""How money settles invoices: open items in a fixed order, payments and credit filling them,
and deferred parts falling due. Every step is one balanced ledger entry.

Rules (docs/ledger.md):

* a payment settles what the licensee owes at once, due or not yet due (`booking`: due parts
  Cr `receivable`, parts not yet due Cr `deferred_receivable`); the due date only decides
  lateness. Money beyond everything owed is the licensee's credit (`licensee_credit`),
  consumed by the next invoice;
* open items are settled oldest first: by the due date of the invoice's oldest unpaid part
  (parts waiting for a revenue threshold last), then by invoice id; inside an invoice, parts
  fill in due order;
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
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.billing import booking, ledger, licensee_money
from pool.services.billing.ledger import (
    CASH,
    DEFERRED_RECEIVABLE,
    LICENSEE_CREDIT,
    RECEIVABLE,
    Leg,
)

OPEN, PAID, WRITTEN_OFF = "open", "paid", "written_off"
PAYMENT_RECEIVED = "payment_received"
CREDIT_APPLIED = "credit_applied"
ALLOCATIONS_RELEASED = "allocations_released"
SYSTEM = audit.Actor.system("billing")


@dataclass(frozen=True)
class OpenItem:
    """The unpaid rest of an invoice, due or not, with where each part of it sits."""

    invoice: Invoice
    outstanding_minor: int
    due_on: date | None  # the oldest unpaid part's due date (None: waits for a threshold)
    bookings: list[booking.PartBooking]

    @property
    def order(self) -> tuple[bool, date, int]:
        """Settlement order: oldest due date first, undated parts last, then invoice id."""
        return (self.due_on is None, self.due_on or date.max, self.invoice.id or 0)


def allocated(session: Session, invoice_id: int) -> int:
    return booking.allocated(session, invoice_id)


def open_item(session: Session, invoice: Invoice) -> OpenItem | None:
    found = booking.bookings(session, invoice)
    unpaid = [b for b in found if b.unpaid_minor > 0]
    if not unpaid:
        return None
    outstanding = sum(b.unpaid_minor for b in unpaid)
    return OpenItem(invoice, outstanding, unpaid[0].part.due_on, found)


def open_items(session: Session, *, pool_id: int, licensee_organisation_id: int) -> list[OpenItem]:
    """The licensee's unpaid invoices, due or not yet due, in settlement order."""
    invoices = session.exec(
        select(Invoice).where(
            Invoice.pool_id == pool_id,
            Invoice.licensee_organisation_id == licensee_organisation_id,
            Invoice.status == OPEN,
        )
    ).all()
    items = [item for inv in invoices if (item := open_item(session, inv)) is not None]
    return sorted(items, key=lambda item: item.order)


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


@dataclass(frozen=True)
class Settlement:
    """One allocation made, and which accounts it settled (see `booking`)."""

    row: PaymentAllocation
    invoice: Invoice
    receivable_minor: int
    deferred_minor: int


Settled = list[Settlement]
Credit = tuple[Payment, int]  # a payment and the part of it not yet allocated


def allocate(
    session: Session, *, payment: Payment, amount_minor: int, on: date, now: datetime
) -> Settled:
    """Fill open items in order with up to `amount_minor` of `payment`; return what was made
    (each allocation, and each invoice's status change, audited).

    Parts not yet due are settled too: the due date only decides lateness. An allocation is
    dated the later of `on` and the invoice's issue date (money cannot settle an invoice that
    did not exist yet), so late interest never runs on money the pool already held."""
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
        receivable, deferred = booking.split(item.bookings, share)
        row = PaymentAllocation(
            payment_id=payment.id or 0,
            invoice_id=item.invoice.id or 0,
            amount_minor=share,
            allocated_on=max(on, item.invoice.issued_on),
        )
        session.add(row)
        session.flush()
        audit_allocations(
            session, [row], action="payment_allocation.made", pool_id=payment.pool_id, now=now
        )
        refresh_status(session, item.invoice, now=now)
        made.append(Settlement(row, item.invoice, receivable, deferred))
        left -= share
    return made


def settled_legs(made: Settlement) -> list[Leg]:
    """Cr receivable and/or Cr deferred_receivable for what one allocation settled, tagged
    with the invoice's usage period (zero legs are not posted)."""
    return [
        ledger.invoice_leg(made.invoice, RECEIVABLE, -made.receivable_minor),
        ledger.invoice_leg(made.invoice, DEFERRED_RECEIVABLE, -made.deferred_minor),
    ]


def settle_legs(settled: Settled) -> list[Leg]:
    """Dr cash / Cr receivable (or deferred_receivable) per allocation, tagged with the
    invoice's usage period."""
    return [
        leg
        for made in settled
        for leg in (
            ledger.invoice_leg(made.invoice, CASH, made.row.amount_minor),
            *settled_legs(made),
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
    """Settle open items from the licensee's credit, oldest payment first; return the amount.

    Per allocation: Dr licensee_credit / Cr receivable or deferred_receivable, and the cash
    moves from "no period" to the invoice's usage period (Dr cash period / Cr cash
    unattributed). Call it after anything new is owed: an invoice issued, payments released."""
    licensee_money.serialize(session, licensee_organisation_id)
    if not open_items(session, pool_id=pool_id, licensee_organisation_id=licensee_organisation_id):
        return 0  # nothing is owed: credit stays credit
    applied = 0
    for payment, left in _credits(session, pool_id, licensee_organisation_id):
        settled = allocate(
            session, payment=payment, amount_minor=left, on=payment.received_on, now=now
        )
        if not settled:
            break  # nothing left open for the next payments either
        for made in settled:
            _post_credit_applied(session, payment, made, now=now)
            applied += made.row.amount_minor
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
    session: Session, payment: Payment, made: Settlement, *, now: datetime
) -> None:
    who = payment.licensee_organisation_id
    row, invoice = made.row, made.invoice
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
            *settled_legs(made),
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
