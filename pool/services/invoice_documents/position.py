"""What an invoice's parts owe at a date: a stand-in for `billing.position.invoice_position`
(being written on main), built from `dues.overdue_parts` and `settlement.allocated`, with the
same shape, so the swap is one import."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session

from pool.models.billing import Invoice, InvoiceStatus
from pool.services.billing import dues, ledger, settlement


class PartState(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    AWAITING_THRESHOLD = "awaiting_threshold"
    DUE = "due"
    OVERDUE = "overdue"
    PAID = "paid"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PartPosition:
    due_on: date | None
    amount_minor: int
    paid_minor: int
    outstanding_minor: int
    state: PartState
    days_late: int
    interest_minor: int


@dataclass(frozen=True)
class InvoicePosition:
    parts: list[PartPosition]
    paid_minor: int
    outstanding_minor: int  # still to pay, due or not
    due_now_minor: int  # due on or before the date and unpaid
    interest_minor: int  # late interest so far
    to_pay_today_minor: int  # due now + interest


def _state(invoice: Invoice, due_on: date | None, outstanding: int, as_of: date) -> PartState:
    if invoice.status == InvoiceStatus.CANCELLED:
        return PartState.CANCELLED
    if outstanding == 0:
        return PartState.PAID
    if invoice.status == InvoiceStatus.WRITTEN_OFF:
        return PartState.WRITTEN_OFF
    if due_on is None:
        return PartState.AWAITING_THRESHOLD
    if due_on > as_of:
        return PartState.NOT_YET_DUE
    return PartState.DUE if due_on == as_of else PartState.OVERDUE


def invoice_position(session: Session, invoice: Invoice, *, as_of: date) -> InvoicePosition:
    """Parts fill with what payments settled in due order (as `settlement` fills them); an
    overdue part carries its days late and the late interest `dues.overdue_parts` computes."""
    left = settlement.allocated(session, invoice.id or 0)
    overdue = iter(dues.overdue_parts(session, invoice, as_of=as_of))
    parts: list[PartPosition] = []
    for part in ledger.parts_of(session, invoice):
        paid = min(left, part.amount_minor)
        left -= paid
        outstanding = part.amount_minor - paid
        state = _state(invoice, part.due_on, outstanding, as_of)
        days, interest = 0, 0
        if state == PartState.OVERDUE:
            late = next(overdue, None)
            days, interest = (late.days_late, late.interest_minor) if late else (0, 0)
        if state in (PartState.WRITTEN_OFF, PartState.CANCELLED):
            outstanding = 0
        parts.append(
            PartPosition(part.due_on, part.amount_minor, paid, outstanding, state, days, interest)
        )
    due_now = sum(
        p.outstanding_minor for p in parts if p.state in (PartState.DUE, PartState.OVERDUE)
    )
    interest = sum(p.interest_minor for p in parts)
    return InvoicePosition(
        parts=parts,
        paid_minor=sum(p.paid_minor for p in parts),
        outstanding_minor=sum(p.outstanding_minor for p in parts),
        due_now_minor=due_now,
        interest_minor=interest,
        to_pay_today_minor=due_now + interest,
    )
