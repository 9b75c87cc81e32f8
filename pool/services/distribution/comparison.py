"""A run against the previous approved run of its pool, per contributor and country: what
each contributor receives for each country in this run (its lines summed over usage periods,
corrections included), what it received in the previous run, and the difference, in minor
units. Rows only in this run are new, rows only in the previous one are dropped. An
administrator reads it before approving a draft (staff only)."""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.distribution import DistributionRun, RunLine, RunStatus
from pool.services.distribution import runs

Key = tuple[int, str]  # (contributor organisation id, country)


class Change(StrEnum):
    NEW = "new"
    DROPPED = "dropped"
    CHANGED = "changed"
    SAME = "same"


@dataclass(frozen=True)
class Row:
    contributor_organisation_id: int
    country: str
    previous_minor: int
    current_minor: int
    change: Change

    @property
    def difference_minor(self) -> int:
        return self.current_minor - self.previous_minor


@dataclass(frozen=True)
class Comparison:
    """`previous` is None when the pool has no approved run before this one: then every row
    is new and the previous amounts are zero."""

    run_id: int
    previous: DistributionRun | None
    rows: list[Row]  # by contributor id, then country

    @property
    def previous_minor(self) -> int:
        return sum(row.previous_minor for row in self.rows)

    @property
    def current_minor(self) -> int:
        return sum(row.current_minor for row in self.rows)

    @property
    def difference_minor(self) -> int:
        return self.current_minor - self.previous_minor

    def count(self, change: Change) -> int:
        return sum(1 for row in self.rows if row.change == change)


def previous_approved(session: Session, run: DistributionRun) -> DistributionRun | None:
    """The pool's latest approved run for a period before this run's."""
    return session.exec(
        select(DistributionRun)
        .where(
            DistributionRun.pool_id == run.pool_id,
            DistributionRun.status == RunStatus.APPROVED,
            col(DistributionRun.period_start) < run.period_start,
        )
        .order_by(col(DistributionRun.period_start).desc())
        .limit(1)
    ).first()


def amounts(session: Session, run_id: int) -> dict[Key, int]:
    """A run's amount per (contributor, country): its lines summed over usage periods."""
    rows = session.exec(
        select(
            col(RunLine.contributor_organisation_id),
            col(RunLine.country),
            func.sum(RunLine.amount_minor),
        )
        .where(RunLine.run_id == run_id)
        .group_by(col(RunLine.contributor_organisation_id), col(RunLine.country))
    ).all()
    return {(org, country): int(amount) for org, country, amount in rows}


def _change(key: Key, before: dict[Key, int], now: dict[Key, int]) -> Change:
    if key not in before:
        return Change.NEW
    if key not in now:
        return Change.DROPPED
    return Change.SAME if before[key] == now[key] else Change.CHANGED


def compare(session: Session, *, principal: Principal, run_id: int) -> Comparison:
    """The run against the previous approved run of its pool (see the module docstring)."""
    run = runs.get(session, principal=principal, run_id=run_id)
    previous = previous_approved(session, run)
    now = amounts(session, run_id)
    before = amounts(session, previous.id or 0) if previous is not None else {}
    return Comparison(
        run_id=run_id,
        previous=previous,
        rows=[
            Row(org, country, before.get((org, country), 0), now.get((org, country), 0),
                _change((org, country), before, now))
            for org, country in sorted({*before, *now})
        ],
    )  # fmt: skip
