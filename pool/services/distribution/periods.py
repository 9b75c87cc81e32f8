"""Statement periods, the order they close in, and what approved runs have paid so far.

A run may only be computed for a period that has ended, and periods close in order: no run
while an earlier one is a draft, none before a run that already exists for a later period, and
an approved run is immutable. `check_closable` says so before any work is done, so a page can
refuse at once what a background close would refuse after a while."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from contracts.money import add_months
from pool.errors import Conflict, InvalidInput, NotFound
from pool.models.distribution import DistributionRun, RunLine, RunStatus, RunUsagePeriod
from pool.models.pool import Pool
from pool.rendering import Phrase
from pool.services.distribution.cash import UsagePeriod

CADENCE_MONTHS = {"quarterly": 3, "semiannual": 6, "annual": 12}
LineKey = tuple[UsagePeriod, int, str]  # usage period, contributor organisation, country


def statement_period(pool: Pool, period_start: date) -> tuple[date, date]:
    """The pool's cadence period starting on `period_start` ([start, end))."""
    months = CADENCE_MONTHS[pool.reporting_cadence]
    if period_start.day != 1 or (period_start.month - 1) % months:
        firsts = ", ".join(date(2000, m, 1).strftime("%b") for m in range(1, 13, months))
        raise InvalidInput.field(
            "period_start",
            Phrase(
                "a %(cadence)s statement period starts on 1 %(firsts)s",
                cadence=pool.reporting_cadence,
                firsts=firsts,
            ),
        )
    return period_start, add_months(period_start, months)


@dataclass(frozen=True)
class Distributed:
    """What approved runs have paid so far, per usage period (money, fee) and per line."""

    received: dict[UsagePeriod, int]
    fees: dict[UsagePeriod, int]
    lines: dict[LineKey, int]
    first_run: dict[UsagePeriod, int]


def distributed(session: Session, *, pool_id: int) -> Distributed:
    approved = select(DistributionRun.id).where(
        DistributionRun.pool_id == pool_id, DistributionRun.status == RunStatus.APPROVED
    )
    received: dict[UsagePeriod, int] = defaultdict(int)
    fees: dict[UsagePeriod, int] = defaultdict(int)
    first_run: dict[UsagePeriod, int] = {}
    for row in session.exec(
        select(RunUsagePeriod)
        .where(col(RunUsagePeriod.run_id).in_(approved))
        .order_by(col(RunUsagePeriod.run_id))
    ).all():
        key = (row.usage_start, row.usage_end)
        received[key] += row.received_minor
        fees[key] += row.admin_fee_minor
        first_run.setdefault(key, row.run_id)
    lines: dict[LineKey, int] = defaultdict(int)
    for start, end, org, country, total in session.execute(
        select_rows(
            col(RunLine.usage_start),
            col(RunLine.usage_end),
            col(RunLine.contributor_organisation_id),
            col(RunLine.country),
            func.sum(RunLine.amount_minor),
        )
        .where(col(RunLine.run_id).in_(approved))
        .group_by(
            col(RunLine.usage_start),
            col(RunLine.usage_end),
            col(RunLine.contributor_organisation_id),
            col(RunLine.country),
        )
    ).all():
        lines[((start, end), org, country)] = int(total)
    return Distributed(dict(received), dict(fees), dict(lines), first_run)


def check_order(session: Session, pool_id: int, period_start: date) -> DistributionRun | None:
    """Refuse what would pay twice or skip money; return this period's draft, if any."""
    runs = session.exec(select(DistributionRun).where(DistributionRun.pool_id == pool_id)).all()
    current = None
    for run in runs:
        if run.period_start == period_start:
            if run.status == RunStatus.APPROVED:
                raise Conflict(
                    Phrase(
                        "the run %(run)s for this period is approved and immutable",
                        run=run.id,
                    )
                )
            current = run
        elif run.period_start > period_start:
            raise Conflict(
                Phrase(
                    "a run exists for the later period starting %(period_start)s; "
                    "periods close in order (a correction appears there as an adjustment)",
                    period_start=run.period_start,
                )
            )
        elif run.status == RunStatus.DRAFT:
            raise Conflict(
                Phrase(
                    "the earlier run %(run)s (%(period_start)s) is not approved yet",
                    run=run.id,
                    period_start=run.period_start,
                )
            )
    return current


@dataclass(frozen=True)
class Closable:
    """A statement period that may be computed now, and its current draft (if any)."""

    pool: Pool
    start: date
    end: date
    draft: DistributionRun | None


def check_closable(session: Session, *, pool_id: int, period_start: date, today: date) -> Closable:
    """Refuse a period that is not a statement period, has not ended, or is out of order."""
    pool = session.get(Pool, pool_id)
    if pool is None:
        raise NotFound("pool not found")
    start, end = statement_period(pool, period_start)
    if end > today:
        raise InvalidInput.field(
            "period_start",
            Phrase("the period [%(start)s, %(end)s) has not ended yet", start=start, end=end),
        )
    return Closable(pool, start, end, check_order(session, pool_id, start))
