"""Distribution runs: the money received up to the end of a statement period, split among
contributors by the pool's formula, as a draft an administrator approves.

Rules (docs/distribution.md):

* A usage period is re-apportioned when its cumulative money received up to the period's end
  differs from what approved runs distributed; the run pays each contributor the difference
  per usage period and country (so late, partial and refunded payments never drift from the
  one-shot result).
* Periods close in order: no run while an earlier one is a draft, and none before a run that
  already exists for a later period.
* A draft can be recomputed; an approved run is immutable, and approval posts the fee,
  withholding and contributor payables to the ledger.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from hashlib import sha256
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

import allocation
from contracts.money import round_half_even
from pool.models.distribution import (
    DistributionRun,
    RunContributor,
    RunLine,
    RunPatentLine,
    RunUsagePeriod,
)
from pool.models.organisation import Organisation
from pool.models.pool import Pool
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.distribution import patent_lines, splitting
from pool.services.distribution.cash import (
    UsagePeriod,
    buckets_for,
    received_by_usage_period,
)
from pool.services.distribution.inputs import (
    contributor_key,
    pool_patents,
)
from pool.services.distribution.periods import (
    CADENCE_MONTHS,
    Distributed,
    LineKey,
    check_closable,
    distributed,
    statement_period,
)
from pool.services.pools import member_bounds
from pool.services.tasks.progress import ALLOCATING, Progress, no_progress


def compute(
    session: Session,
    *,
    pool_id: int,
    period_start: date,
    actor: audit.Actor,
    now: datetime,
    progress: Progress = no_progress,
) -> DistributionRun:
    """Compute (or recompute) the draft run of a statement period that has ended;
    `progress` hears of each usage period allocated."""
    closable = check_closable(session, pool_id=pool_id, period_start=period_start, today=now.date())
    pool, start, end, run = closable.pool, closable.start, closable.end, closable.draft
    before = snapshot(run) if run is not None else None
    outcome = _outcome(session, pool, end, progress)
    if run is None:
        run = DistributionRun(
            pool_id=pool_id,
            period_start=start,
            period_end=end,
            computed_at=now,
            **outcome.run_fields(),
        )
    else:
        _clear(session, run.id or 0)
        for name, value in outcome.run_fields().items():
            setattr(run, name, value)
        run.computations += 1
        run.computed_at = now
    session.add(run)
    session.flush()
    _store(session, run.id or 0, outcome)
    audit.record(
        session,
        actor=actor,
        action="distribution_run.computed",
        entity_type="distribution_run",
        entity_id=run.id,
        pool_id=pool_id,
        before=before,
        after=audit.money_state(session, run),
        now=now,
    )
    return run


def _clear(session: Session, run_id: int) -> None:
    session.execute(delete(RunPatentLine).where(col(RunPatentLine.run_id) == run_id))
    session.execute(delete(RunLine).where(col(RunLine.run_id) == run_id))
    session.execute(delete(RunUsagePeriod).where(col(RunUsagePeriod.run_id) == run_id))
    session.execute(delete(RunContributor).where(col(RunContributor.run_id) == run_id))


@dataclass
class Outcome:
    """A run's figures before they are stored."""

    currency: str
    periods: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    contributors: list[dict[str, Any]]
    hashes: list[str]
    solvers: set[str]
    statuses: set[str]
    patent_lines: list[dict[str, Any]] = field(default_factory=list)

    def run_fields(self) -> dict[str, Any]:
        received = sum(p["received_minor"] for p in self.periods)
        fee = sum(p["admin_fee_minor"] for p in self.periods)
        withholding = sum(c["withholding_minor"] for c in self.contributors)
        net = sum(c["net_payable_minor"] for c in self.contributors)
        return {
            "currency": self.currency,
            "formula_version": allocation.FORMULA_VERSION,
            "input_sha256": sha256("\n".join(self.hashes).encode()).hexdigest(),
            "solver": ",".join(sorted(self.solvers)) or "none",
            "solver_status": ",".join(sorted(self.statuses)) or "nothing to allocate",
            "received_minor": received,
            "admin_fee_minor": fee,
            "distributable_minor": received - fee,
            "withholding_minor": withholding,
            "net_payable_minor": net,
        }


def _outcome(session: Session, pool: Pool, end: date, report: Progress) -> Outcome:
    """Re-apportion every usage period whose cumulative money changed; lines are the change."""
    pool_id = pool.id or 0
    paid = distributed(session, pool_id=pool_id)
    received = received_by_usage_period(session, pool_id=pool_id, before=end)
    changed = sorted(
        p
        for p in set(received) | set(paid.received)
        if received.get(p, 0) != paid.received.get(p, 0)
    )
    buckets = buckets_for(session, pool_id=pool_id, before=end, periods=changed)
    patents = pool_patents(session, pool_id=pool_id) if changed else []
    outcome = Outcome(pool.currency, [], [], [], [], set(), set())
    before_tax: dict[str, dict[int, int]] = {"gross": defaultdict(int), "adj": defaultdict(int)}
    for done, period in enumerate(changed, start=1):
        bounds = member_bounds.in_force(session, pool_id=pool_id, on=period[0])
        cumulative, fee, bucket_totals, digest, binding = splitting.split_period(
            pool, patents, period, buckets[period], bounds
        )
        report(ALLOCATING, done, len(changed))
        outcome.hashes.append(f"{period[0]}/{period[1]}:{digest[0]}")
        outcome.solvers.add(digest[1])
        outcome.statuses.add(digest[2])
        outcome.periods.append(
            {
                "usage_start": period[0],
                "usage_end": period[1],
                "received_cumulative_minor": received.get(period, 0),
                "received_minor": received.get(period, 0) - paid.received.get(period, 0),
                "admin_fee_cumulative_minor": fee,
                "admin_fee_minor": fee - paid.fees.get(period, 0),
                "input_sha256": digest[0],
                "solver_status": digest[2],
                "first_run_id": paid.first_run.get(period),
                "bounds_applied": binding or None,
            }
        )
        totals = before_tax["adj" if period in paid.first_run else "gross"]
        lines = _changes(period, cumulative, paid, bucket_totals)
        for line in lines:
            totals[line["contributor_organisation_id"]] += line["amount_minor"]
        outcome.lines.extend(lines)
        outcome.patent_lines.extend(patent_lines.split(pool, patents, period, lines))
    outcome.contributors = _contributor_totals(session, before_tax["gross"], before_tax["adj"])
    return outcome


def _changes(
    period: UsagePeriod,
    cumulative: dict[LineKey, int],
    paid: Distributed,
    bucket_totals: dict[str, int],
) -> list[dict[str, Any]]:
    """A usage period's lines: each contributor and country's cumulative amount now, and the
    change from what approved runs paid (lines that were and stay zero are left out)."""
    keys = set(cumulative) | {k for k in paid.lines if k[0] == period}
    lines = []
    for key in sorted(keys):
        now = cumulative.get(key, 0)
        amount = now - paid.lines.get(key, 0)
        if amount == 0 and now == 0:
            continue
        _, org, country = key
        lines.append(
            {
                "contributor_organisation_id": org,
                "usage_start": period[0],
                "usage_end": period[1],
                "country": country,
                "bucket_distributable_cumulative_minor": bucket_totals.get(country, 0),
                "cumulative_minor": now,
                "amount_minor": amount,
            }
        )
    return lines


def _contributor_totals(
    session: Session, gross: dict[int, int], adjustments: dict[int, int]
) -> list[dict[str, Any]]:
    """Gross, adjustments and withholding per contributor; withholding is the contributor's
    rate times gross plus adjustments, rounded once half to even (negative for a clawback,
    which gives the withheld tax back)."""
    ids = sorted(set(gross) | set(adjustments))
    rates = {
        org.id: Decimal(org.withholding_rate)
        for org in session.exec(select(Organisation).where(col(Organisation.id).in_(ids))).all()
    }
    rows = []
    for org in ids:
        rate = rates.get(org, Decimal(0))
        before_tax = gross.get(org, 0) + adjustments.get(org, 0)
        withholding = round_half_even(rate * before_tax)
        rows.append(
            {
                "contributor_organisation_id": org,
                "gross_minor": gross.get(org, 0),
                "adjustments_minor": adjustments.get(org, 0),
                "withholding_rate": f"{rate:f}",
                "withholding_minor": withholding,
                "net_payable_minor": before_tax - withholding,
            }
        )
    return rows


def _store(session: Session, run_id: int, outcome: Outcome) -> None:
    """Core bulk inserts: a large pool has tens of thousands of lines."""
    for table, rows in (
        (RunUsagePeriod, outcome.periods),
        (RunLine, outcome.lines),
        (RunContributor, outcome.contributors),
        (RunPatentLine, outcome.patent_lines),
    ):
        if rows:
            session.execute(insert(table), [{"run_id": run_id, **row} for row in rows])


__all__ = [
    "CADENCE_MONTHS",
    "compute",
    "contributor_key",
    "distributed",
    "statement_period",
]
