"""One invoice at a date: each part with its state, what is paid, what is late and its
interest, and the amount to pay that day.

Read from the same rows the ledger settles with (parts in due order, allocations dated when
they settled), so "paid", "due" and "overdue" mean the same on every page and in the API."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session

from pool.models.billing import Invoice
from pool.services.billing import dues
from pool.services.billing.position.facts import InvoiceFacts, facts_for


class PartState(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    AWAITING_THRESHOLD = "awaiting_threshold"  # "use first, pay later" until sales reach it
    DUE = "due"  # due today: payable, not yet late
    OVERDUE = "overdue"
    PAID = "paid"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"


# the state an invoice shows: its most pressing part's
_URGENCY = (
    PartState.OVERDUE,
    PartState.DUE,
    PartState.NOT_YET_DUE,
    PartState.AWAITING_THRESHOLD,
    PartState.WRITTEN_OFF,
    PartState.CANCELLED,
    PartState.PAID,
)


@dataclass(frozen=True)
class PartPosition:
    number: int  # 1-based, in due order
    due_on: date | None
    amount_minor: int
    paid_minor: int
    outstanding_minor: int
    state: PartState
    days_late: int = 0
    interest_minor: int = 0  # late interest to the date asked (simple, rounded once)


@dataclass(frozen=True)
class InvoicePosition:
    invoice: Invoice
    as_of: date
    parts: tuple[PartPosition, ...]

    def _sum(self, *states: PartState) -> int:
        return sum(p.outstanding_minor for p in self.parts if p.state in states)

    @property
    def state(self) -> PartState:
        present = {p.state for p in self.parts} or {PartState.PAID}
        return next(s for s in _URGENCY if s in present)

    @property
    def paid_minor(self) -> int:
        return sum(p.paid_minor for p in self.parts)

    @property
    def overdue_minor(self) -> int:
        return self._sum(PartState.OVERDUE)

    @property
    def due_now_minor(self) -> int:
        """Due and unpaid on the date, late or not."""
        return self._sum(PartState.DUE, PartState.OVERDUE)

    @property
    def not_yet_due_minor(self) -> int:
        return self._sum(PartState.NOT_YET_DUE, PartState.AWAITING_THRESHOLD)

    @property
    def outstanding_minor(self) -> int:
        """Everything still owed on the invoice, due or not (0 once written off/cancelled)."""
        return self.due_now_minor + self.not_yet_due_minor

    @property
    def interest_minor(self) -> int:
        return sum(p.interest_minor for p in self.parts)

    @property
    def to_pay_today_minor(self) -> int:
        """What settles everything due on the date: the late parts, today's, and interest."""
        return self.due_now_minor + self.interest_minor

    @property
    def days_late(self) -> int:
        return max((p.days_late for p in self.parts), default=0)

    @property
    def late_since(self) -> date | None:
        """The contractual due date interest runs from: the oldest late part's."""
        return next((p.due_on for p in self.parts if p.state is PartState.OVERDUE), None)


def _closed_state(invoice: Invoice, facts: InvoiceFacts, as_of: date) -> PartState | None:
    if invoice.status not in ("written_off", "cancelled"):
        return None
    if facts.closed_on is not None and facts.closed_on > as_of:
        return None  # still owed on that date
    return PartState.WRITTEN_OFF if invoice.status == "written_off" else PartState.CANCELLED


def _state(due_on: date | None, outstanding: int, as_of: date) -> PartState:
    if outstanding == 0:
        return PartState.PAID
    if due_on is None:
        return PartState.AWAITING_THRESHOLD
    if due_on > as_of:
        return PartState.NOT_YET_DUE
    return PartState.DUE if due_on == as_of else PartState.OVERDUE


def invoice_position(
    session: Session, invoice: Invoice, *, as_of: date, facts: InvoiceFacts | None = None
) -> InvoicePosition:
    """The invoice as it stood at the end of `as_of` (payments settled by then count).
    `facts` read already (`invoice_positions`) spare the queries."""
    facts = facts or facts_for(session, [invoice])[invoice.id or 0]
    closed = _closed_state(invoice, facts, as_of)
    parts = facts.parts
    left = sum(amount for on, amount in facts.allocations if on <= as_of)
    late = (
        [None] * len(parts)
        if closed
        else dues.lateness_of(invoice, parts, facts.allocations, facts.late_interest, as_of=as_of)
    )
    found: list[PartPosition] = []
    for number, (part, overdue) in enumerate(zip(parts, late, strict=True), start=1):
        paid = max(min(left, part.amount_minor), 0)
        left -= paid
        outstanding = part.amount_minor - paid
        if closed is not None:
            state = PartState.PAID if outstanding == 0 else closed
            found.append(PartPosition(number, part.due_on, part.amount_minor, paid, 0, state))
            continue
        state = _state(part.due_on, outstanding, as_of)
        found.append(
            PartPosition(
                number,
                part.due_on,
                part.amount_minor,
                paid,
                outstanding,
                state,
                overdue.days_late if overdue else 0,
                overdue.interest_minor if overdue else 0,
            )
        )
    return InvoicePosition(invoice, as_of, tuple(found))


def invoice_positions(
    session: Session, invoices: Sequence[Invoice], *, as_of: date
) -> list[InvoicePosition]:
    """`invoice_position` of each invoice, in the order given, from facts read in a few
    queries for all of them."""
    facts = facts_for(session, invoices)
    return [
        invoice_position(session, invoice, as_of=as_of, facts=facts[invoice.id or 0])
        for invoice in invoices
    ]
