"""Every overdue part at a date, across licensees: the overdue API, the dashboard and the
licensees' pages read the same parts the position gives, never a second computation."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, exists, or_, select

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.billing import Invoice, OverdueRead, PaymentAllocation
from pool.models.user import Role
from pool.services.billing.position.parts import (
    InvoicePosition,
    PartPosition,
    PartState,
    invoice_positions,
)


@dataclass(frozen=True)
class LatePart:
    invoice: InvoicePosition
    part: PartPosition


def _candidates(
    session: Session, *, pool_id: int | None, licensee_organisation_id: int | None, as_of: date
) -> list[Invoice]:
    """Invoices that can be overdue on `as_of`: issued by then and still open, or settled or
    closed only after it (a later payment or write-off does not undo lateness back then)."""
    settled_later = exists().where(
        col(PaymentAllocation.invoice_id) == col(Invoice.id),
        col(PaymentAllocation.allocated_on) > as_of,
    )
    query = select(Invoice).where(
        col(Invoice.issued_on) <= as_of,
        or_(Invoice.status != "paid", settled_later),
    )
    if pool_id is not None:
        query = query.where(Invoice.pool_id == pool_id)
    if licensee_organisation_id is not None:
        query = query.where(Invoice.licensee_organisation_id == licensee_organisation_id)
    return list(session.exec(query.order_by(col(Invoice.id))).all())


def late_parts(
    session: Session, *, pool_id: int | None, licensee_organisation_id: int | None, as_of: date
) -> list[LatePart]:
    """Every part overdue on `as_of`, oldest due date first, then by invoice id."""
    candidates = _candidates(
        session, pool_id=pool_id, licensee_organisation_id=licensee_organisation_id, as_of=as_of
    )
    found = [
        LatePart(position, part)
        for position in invoice_positions(session, candidates, as_of=as_of)
        for part in position.parts
        if part.state is PartState.OVERDUE
    ]
    return sorted(found, key=lambda x: (x.part.due_on or date.max, x.invoice.invoice.id or 0))


def overdue_for(
    session: Session, *, principal: Principal, pool_id: int | None, as_of: date
) -> list[OverdueRead]:
    """Staff see every licensee's overdue parts; a licensee its own; contributors none."""
    licensee: int | None = None
    if not principal.sees_everything:
        if principal.role != Role.LICENSEE:
            raise NotFound("not found")
        licensee = principal.organisation_id
    found = late_parts(session, pool_id=pool_id, licensee_organisation_id=licensee, as_of=as_of)
    return [
        OverdueRead(
            invoice_id=late.invoice.invoice.id or 0,
            number=late.invoice.invoice.number,
            pool_id=late.invoice.invoice.pool_id,
            licensee_organisation_id=late.invoice.invoice.licensee_organisation_id,
            usage_start=late.invoice.invoice.usage_start,
            usage_end=late.invoice.invoice.usage_end,
            due_on=late.part.due_on or as_of,
            amount_minor=late.part.amount_minor,
            outstanding_minor=late.part.outstanding_minor,
            days_late=late.part.days_late,
            interest_minor=late.part.interest_minor,
        )
        for late in found
    ]
