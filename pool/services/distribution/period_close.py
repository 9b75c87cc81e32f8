"""When statement periods close: the day after the reporting deadline of the period (reports
for it are due `REPORT_DUE_DAYS` after its end), so its invoices and memo lines are complete.

Periods close one at a time and in order, from the period in which the pool's first licence
starts. A period closes into a draft run; where the pool's policy says so the draft is
approved at once, otherwise the next period waits for an administrator's approval (a later
run is computed against approved runs only, so it must not overtake a draft)."""

from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from contracts.money import add_months
from pool.models.distribution import DistributionRun, RunStatus
from pool.models.licensing import LicenceAgreement
from pool.models.pool import Pool
from pool.services import audit, distribution
from pool.services.billing.reminders import REPORT_DUE_DAYS
from pool.services.distribution import runs as distribution_runs
from pool.services.distribution.periods import CADENCE_MONTHS


def closes_on(period_end: date) -> date:
    """The first day a period may close: the day after its reporting deadline."""
    return period_end + timedelta(days=REPORT_DUE_DAYS + 1)


def next_period(session: Session, pool: Pool) -> tuple[date, date] | None:
    """The period to close next (after the latest run, or the first of the pool), if any."""
    months = CADENCE_MONTHS[pool.reporting_cadence]
    latest = session.exec(
        select(func.max(DistributionRun.period_end)).where(DistributionRun.pool_id == pool.id)
    ).one()
    if latest is not None:
        return latest, add_months(latest, months)
    first = session.exec(
        select(func.min(LicenceAgreement.start_on)).where(LicenceAgreement.pool_id == pool.id)
    ).one()
    if first is None:
        return None
    start = date(first.year, 1 + (first.month - 1) // months * months, 1)
    return start, add_months(start, months)


def close_next(
    session: Session, *, pool_id: int, as_of: date, now: datetime, actor: audit.Actor
) -> DistributionRun | None:
    """Close the next period if its day has come and no draft waits; approve it if the pool
    auto-approves. Returns the run made, or None when there is nothing to do."""
    pool = session.get(Pool, pool_id)
    if pool is None:
        return None
    waiting = session.exec(
        select(DistributionRun.id).where(
            DistributionRun.pool_id == pool_id, DistributionRun.status == RunStatus.DRAFT
        )
    ).first()
    period = next_period(session, pool)
    if waiting is not None or period is None or closes_on(period[1]) > as_of:
        return None
    run = distribution.compute(
        session, pool_id=pool_id, period_start=period[0], actor=actor, now=now
    )
    if pool.auto_approve_distributions:
        distribution_runs.approve(session, run=run, actor=actor, now=now)
    return run


def runs_to_issue(session: Session, *, pool_id: int) -> list[DistributionRun]:
    """Approved runs, oldest first (the issuing job skips those already complete)."""
    return list(
        session.exec(
            select(DistributionRun)
            .where(DistributionRun.pool_id == pool_id, DistributionRun.status == RunStatus.APPROVED)
            .order_by(col(DistributionRun.period_start))
        ).all()
    )
