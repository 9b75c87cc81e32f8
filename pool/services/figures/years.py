"""The years a pool's figures can be shown for, and the one shown by default.

The default is the latest year the pool's business covers: agreements signed, usage invoiced
or paid for (by the usage period's start, not the day the invoice or the money came), periods
distributed. So the fourth quarter's invoices, issued and paid in January, do not make the new
year the default while nothing else happened in it; the dashboard shows the last year of
business, not the calendar's. The years offered run from the first year with any data to the
last (invoices issued and money received counted by their own days too), never after this
year."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

import contracts
from pool.auth import Principal
from pool.models.billing import Invoice, InvoiceStatus, PaymentAllocation
from pool.models.distribution import DistributionRun, RunStatus
from pool.models.licensing import LicenceAgreement
from pool.services import pools
from pool.services.figures.summary import FIRST_YEAR


@dataclass(frozen=True)
class Years:
    """The years with data, oldest first (this year alone when there is none yet), and the
    latest year of business among them: the year shown when none is asked for."""

    years: list[int]
    latest: int


def _bounds(session: Session, query: Any) -> list[date | None]:
    return list(session.exec(query).one())


def _spans(session: Session, pool_id: int) -> tuple[list[date | None], list[date | None]]:
    """The first and last days of the pool's business (see the module docstring), and those
    of its invoices issued and money received."""
    signed = col(LicenceAgreement.signed_on)
    usage, issued = col(Invoice.usage_start), col(Invoice.issued_on)
    paid = col(PaymentAllocation.allocated_on)
    run_start = col(DistributionRun.period_start)
    deals = _bounds(
        session,
        select(func.min(signed), func.max(signed)).where(
            LicenceAgreement.pool_id == pool_id,
            LicenceAgreement.state != contracts.AgreementState.DRAFT,
        ),
    )
    invoices = _bounds(
        session,
        select(func.min(usage), func.max(usage), func.min(issued), func.max(issued)).where(
            Invoice.pool_id == pool_id, Invoice.status != InvoiceStatus.CANCELLED
        ),
    )
    money = _bounds(
        session,
        select(func.min(usage), func.max(usage), func.min(paid), func.max(paid))
        .select_from(PaymentAllocation)
        .join(Invoice, col(Invoice.id) == PaymentAllocation.invoice_id)
        .where(Invoice.pool_id == pool_id),
    )
    runs = _bounds(
        session,
        select(func.min(run_start), func.max(run_start)).where(
            DistributionRun.pool_id == pool_id, DistributionRun.status == RunStatus.APPROVED
        ),
    )
    return [*deals, *invoices[:2], *money[:2], *runs], [*invoices[2:], *money[2:]]


def with_data(session: Session, *, principal: Principal, pool_id: int, now: datetime) -> Years:
    """The pool's years with data, up to this year (administrators and auditors)."""
    pools.get(session, pool_id=pool_id)
    principal.require_staff()
    this_year = now.date().year
    business, other = _spans(session, pool_id)
    latest = max((day.year for day in business if day is not None), default=this_year)
    found = [day.year for day in [*business, *other] if day is not None] or [this_year]
    first = max(min(found), FIRST_YEAR)
    last = max(min(max(found), this_year), FIRST_YEAR)
    latest = max(min(latest, last), first)
    return Years(years=list(range(first, last + 1)), latest=latest)
