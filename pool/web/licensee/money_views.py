"""The licensee's money as its pages show it: invoices with their position today, read from
the position service (`services.billing.position`), so every page and the API agree."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from pool.auth import Principal
from pool.models.billing import InvoicePositionRead, InvoiceRead, PartPositionRead, PositionRead
from pool.services.billing import position
from pool.web.i18n import N_
from pool.web.licensee import views as lv

PART_STATE_LABELS = {
    "not_yet_due": N_("Not yet due"),
    "awaiting_threshold": N_("Deferred until your net sales reach the threshold"),
    "due": N_("Due today"),
    "overdue": N_("Overdue"),
    "paid": N_("Paid"),
    "written_off": N_("Written off"),
    "cancelled": N_("Cancelled (replaced)"),
}


@dataclass(frozen=True)
class InvoiceView:
    """An invoice as the licensee reads it: its facts, and its position today (the same
    figures as the API's `/licensees/{id}/position`)."""

    id: int
    number: str
    kind: str  # msgid
    agreement_id: int | None  # None for an evaluation fee
    report_id: int | None
    currency: str
    usage_start: date
    usage_last_day: date
    issued_on: date
    next_due_on: date | None  # the oldest unpaid part's due date
    total_minor: int
    position: InvoicePositionRead
    status: str  # msgid
    open: bool

    @property
    def late_issue(self) -> date | None:
        """The contractual due date, when the invoice was issued after it (a late report)."""
        first = self.position.parts[0].due_on if self.position.parts else None
        return first if first is not None and first < self.issued_on else None


def invoice_view(item: InvoiceRead, found: InvoicePositionRead) -> InvoiceView:
    kind = item.fee_kind or item.kind
    unpaid = [p for p in found.parts if p.outstanding_minor]
    return InvoiceView(
        id=item.id,
        number=item.number,
        kind=lv.INVOICE_KIND_LABELS.get(kind, kind),
        agreement_id=item.agreement_id,
        report_id=item.report_id,
        currency=item.currency,
        usage_start=item.usage_start,
        usage_last_day=date.fromordinal(item.usage_end.toordinal() - 1),
        issued_on=item.issued_on,
        next_due_on=unpaid[0].due_on if unpaid else None,
        total_minor=item.total_minor,
        position=found,
        status=PART_STATE_LABELS.get(found.state, found.state),
        open=item.status == "open",
    )


def positions(db: Session, principal: Principal, today: date) -> dict[int, PositionRead]:
    """The licensee's position in each of its pools today, by pool id."""
    return {p.pool_id: p for p in position.own_positions(db, principal=principal, as_of=today)}


def invoice_positions(found: dict[int, PositionRead]) -> dict[int, InvoicePositionRead]:
    return {i.invoice_id: i for p in found.values() for i in p.invoices}


@dataclass(frozen=True)
class LatePart:
    invoice: InvoicePositionRead
    part: PartPositionRead
    currency: str


def late_parts(found: list[PositionRead]) -> list[LatePart]:
    """Every overdue part of every pool, oldest due date first."""
    late = [
        LatePart(item, part, standing.currency)
        for standing in found
        for item in standing.invoices
        for part in item.parts
        if part.state == "overdue"
    ]
    return sorted(late, key=lambda x: (x.part.due_on or date.max, x.invoice.invoice_id))
