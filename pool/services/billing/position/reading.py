"""The position as the API returns it, and who may read whose."""

from datetime import date

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.billing import (
    InvoicePositionRead,
    PartPositionRead,
    PartStateRead,
    PositionRead,
    StandingReasonRead,
)
from pool.models.organisation import Organisation
from pool.models.user import Role
from pool.services.billing.accounts_statement import pool_of, pools_of
from pool.services.billing.position.licensee import Position, licensee_position
from pool.services.billing.position.parts import InvoicePosition


def position_for(
    session: Session,
    *,
    principal: Principal,
    organisation_id: int,
    pool_id: int | None,
    as_of: date,
) -> PositionRead:
    """Staff read every licensee's position; a licensee its own; anyone else is told none."""
    org = session.get(Organisation, organisation_id)
    if org is None or principal.role == Role.CONTRIBUTOR:
        raise NotFound("account not found")
    principal.require_staff_or_org(organisation_id, "account")
    found = licensee_position(
        session,
        pool_id=pool_of(session, organisation_id, pool_id),
        licensee_organisation_id=organisation_id,
        as_of=as_of,
    )
    return read(found)


def read_invoice(item: InvoicePosition) -> InvoicePositionRead:
    invoice = item.invoice
    return InvoicePositionRead(
        invoice_id=invoice.id or 0,
        number=invoice.number,
        issued_on=invoice.issued_on,
        usage_start=invoice.usage_start,
        usage_end=invoice.usage_end,
        total_minor=invoice.total_minor,
        paid_minor=item.paid_minor,
        outstanding_minor=item.outstanding_minor,
        due_now_minor=item.due_now_minor,
        interest_minor=item.interest_minor,
        to_pay_today_minor=item.to_pay_today_minor,
        state=PartStateRead(item.state.value),
        days_late=item.days_late,
        late_since=item.late_since,
        parts=[
            PartPositionRead(
                number=p.number,
                due_on=p.due_on,
                amount_minor=p.amount_minor,
                paid_minor=p.paid_minor,
                outstanding_minor=p.outstanding_minor,
                state=PartStateRead(p.state.value),
                days_late=p.days_late,
                interest_minor=p.interest_minor,
            )
            for p in item.parts
        ],
    )


def read(found: Position) -> PositionRead:
    return PositionRead(
        pool_id=found.pool_id,
        pool_name=found.pool_name,
        licensee_organisation_id=found.licensee_organisation_id,
        currency=found.currency,
        as_of=found.as_of,
        due_now_minor=found.due_now_minor,
        overdue_minor=found.overdue_minor,
        not_yet_due_minor=found.not_yet_due_minor,
        outstanding_minor=found.outstanding_minor,
        interest_minor=found.interest_minor,
        credit_minor=found.credit_minor,
        to_pay_today_minor=found.to_pay_today_minor,
        balance_minor=found.balance_minor,
        good_standing=found.standing.good,
        standing_reasons=[
            StandingReasonRead(
                kind=r.kind,
                text=r.text,
                invoice_id=r.invoice_id,
                invoice_number=r.invoice_number,
                outstanding_minor=r.outstanding_minor,
                due_on=r.due_on,
                agreement_id=r.agreement_id,
                period_start=r.period_start,
                period_end=r.period_end,
            )
            for r in found.standing.reasons
        ],
        invoices=[read_invoice(item) for item in found.invoices],
    )


def own_positions(session: Session, *, principal: Principal, as_of: date) -> list[PositionRead]:
    """A licensee's position in each pool where it holds an agreement (pools have their own
    currencies, so positions never add up across pools)."""
    if principal.role != Role.LICENSEE or principal.organisation_id is None:
        raise NotFound("account not found")
    who = principal.organisation_id
    return [
        read(licensee_position(session, pool_id=pool_id, licensee_organisation_id=who, as_of=as_of))
        for pool_id in pools_of(session, who)
    ]
