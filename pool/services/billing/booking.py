"""Where each part of an invoice sits in the ledger: in `receivable` (due) or still in
`deferred_receivable` (not yet due), and how much of it payments have settled.

A payment settles a part at once, due or not (issue 15: paying early must not look unpaid), so
a part can be settled from either account:

* a part that is due (due by the issue date, or its "falls due" entry posted) is settled
  Cr `receivable`;
* a part not yet due is settled Cr `deferred_receivable`;
* when a part falls due, only what is still unpaid moves to `receivable` (`recognise_part`);
  a part paid in full before its date gets a "falls due" entry with no postings, so the
  entry still marks it as handled and the job never looks at it again.

Payments fill an invoice's parts in due order (`ledger.parts_of`), so what settled a part is
read from the invoice's total allocations, never stored twice."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.models.billing import Invoice, PaymentAllocation
from pool.models.ledger import JournalEntry, Posting
from pool.services.billing import ledger
from pool.services.billing.ledger import DEFERRED_DUE, DEFERRED_RECEIVABLE, RECEIVABLE


@dataclass(frozen=True)
class PartBooking:
    """One part of an invoice and what payments have settled of it."""

    part: ledger.Part
    paid_minor: int
    in_receivable: bool  # due at issue, or its "falls due" entry is posted
    paid_while_deferred_minor: int  # settled Cr deferred_receivable, before it fell due

    @property
    def unpaid_minor(self) -> int:
        return self.part.amount_minor - self.paid_minor

    @property
    def account(self) -> str:
        """The account that holds the unpaid rest, and that a payment on it credits."""
        return RECEIVABLE if self.in_receivable else DEFERRED_RECEIVABLE


def allocated(session: Session, invoice_id: int) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0)).where(
            PaymentAllocation.invoice_id == invoice_id
        )
    ).one()
    return int(total)


def moved_to_receivable(
    session: Session, parts: Sequence[ledger.Part]
) -> dict[tuple[str, int], int]:
    """The parts whose "falls due" entry exists, with the amount it moved to `receivable`
    (less than the part when some was paid before, 0 when all was)."""
    ids = {p.source_id for p in parts}
    if not ids:
        return {}
    rows = session.exec(
        select(
            JournalEntry.source_type,
            JournalEntry.source_id,
            func.coalesce(func.sum(Posting.amount_minor), 0),
        )
        .outerjoin(
            Posting,
            (col(Posting.entry_id) == JournalEntry.id) & (Posting.account == RECEIVABLE),
        )
        .where(JournalEntry.kind == DEFERRED_DUE, col(JournalEntry.source_id).in_(ids))
        .group_by(col(JournalEntry.source_type), col(JournalEntry.source_id))
    ).all()
    wanted = {(p.source_type, p.source_id) for p in parts}
    return {(t, i): int(moved) for t, i, moved in rows if (t, i) in wanted}


def bookings(
    session: Session, invoice: Invoice, *, paid_minor: int | None = None
) -> list[PartBooking]:
    """The invoice's parts in due order with what is paid of each (allocations fill parts in
    that order) and the account each sits in."""
    parts = ledger.parts_of(session, invoice)
    moved = moved_to_receivable(session, parts)
    left = allocated(session, invoice.id or 0) if paid_minor is None else paid_minor
    found: list[PartBooking] = []
    for part in parts:
        paid = max(min(left, part.amount_minor), 0)
        left -= paid
        key = (part.source_type, part.source_id)
        if key in moved:
            in_receivable, while_deferred = True, part.amount_minor - moved[key]
        elif ledger.due_at_issue(invoice, part):
            in_receivable, while_deferred = True, 0
        else:
            in_receivable, while_deferred = False, paid
        found.append(PartBooking(part, paid, in_receivable, while_deferred))
    return found


def split(found: Sequence[PartBooking], amount_minor: int) -> tuple[int, int]:
    """How `amount_minor`, paid next on the invoice, divides between `receivable` and
    `deferred_receivable`: it fills the unpaid parts in due order."""
    receivable = deferred = 0
    left = amount_minor
    for booking in found:
        take = min(left, booking.unpaid_minor)
        if take <= 0:
            continue
        if booking.in_receivable:
            receivable += take
        else:
            deferred += take
        left -= take
    return receivable, deferred


def recognise_part(
    session: Session,
    invoice: Invoice,
    booking: PartBooking,
    *,
    occurred_on: date,
    memo: str,
    now: datetime,
) -> int:
    """Post the part's "falls due" entry: Dr receivable / Cr deferred_receivable for what is
    still unpaid of it (nothing when it was paid in full early). Return the amount moved."""
    unpaid = booking.unpaid_minor
    ledger.post(
        session,
        pool_id=invoice.pool_id,
        currency=invoice.currency,
        occurred_on=occurred_on,
        kind=DEFERRED_DUE,
        source_type=booking.part.source_type,
        source_id=booking.part.source_id,
        legs=[
            ledger.invoice_leg(invoice, RECEIVABLE, unpaid),
            ledger.invoice_leg(invoice, DEFERRED_RECEIVABLE, -unpaid),
        ],
        now=now,
        memo=memo,
    )
    return unpaid
