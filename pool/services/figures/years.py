"""The years a pool's figures can be shown for: from the first year with data to the latest
(agreements signed, invoices issued, money received, runs approved), never after this year.
The dashboard shows the latest of them by default, not the calendar's year: a pool whose
last activity was last year is shown last year's figures, not an empty year."""

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
    latest of them: the year shown when none is asked for."""

    years: list[int]
    latest: int


def _bounds(session: Session, query: Any) -> tuple[date | None, date | None]:
    low, high = session.exec(query).one()
    return low, high


def _spans(session: Session, pool_id: int) -> list[tuple[date | None, date | None]]:
    signed = col(LicenceAgreement.signed_on)
    issued = col(Invoice.issued_on)
    paid = col(PaymentAllocation.allocated_on)
    run_start = col(DistributionRun.period_start)
    return [
        _bounds(session, select(func.min(signed), func.max(signed)).where(
            LicenceAgreement.pool_id == pool_id,
            LicenceAgreement.state != contracts.AgreementState.DRAFT,
        )),
        _bounds(session, select(func.min(issued), func.max(issued)).where(
            Invoice.pool_id == pool_id, Invoice.status != InvoiceStatus.CANCELLED
        )),
        _bounds(session, select(func.min(paid), func.max(paid))
                .select_from(PaymentAllocation)
                .join(Invoice, col(Invoice.id) == PaymentAllocation.invoice_id)
                .where(Invoice.pool_id == pool_id)),
        _bounds(session, select(func.min(run_start), func.max(run_start)).where(
            DistributionRun.pool_id == pool_id, DistributionRun.status == RunStatus.APPROVED
        )),
    ]  # fmt: skip


def with_data(session: Session, *, principal: Principal, pool_id: int, now: datetime) -> Years:
    """The pool's years with data, up to this year (administrators and auditors)."""
    pools.get(session, pool_id=pool_id)
    principal.require_staff()
    this_year = now.date().year
    found = [day for span in _spans(session, pool_id) for day in span if day is not None]
    years = sorted({min(day.year, this_year) for day in found})
    if not years:
        return Years(years=[this_year], latest=this_year)
    first, latest = max(years[0], FIRST_YEAR), max(years[-1], FIRST_YEAR)
    return Years(years=list(range(first, latest + 1)), latest=latest)
