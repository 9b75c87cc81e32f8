"""Why each adjustment line of a statement moved, and how the pool-wide figures reconcile.

An adjustment is a contributor's change, in this run, for a usage period an earlier run
already distributed (docs/distribution.md). Its reason is derived, when the statement is
issued, from the run's stored lines and the money movements of the statement period, in this
order (the first that holds):

1. `rounding_carry`: the change is one minor unit (±0.01) and the contributor's exact share of
   the pool's change in that country is less than one unit (zero, or of the other sign
   included). Re-apportioning the cumulative amount by largest remainder moved a unit between
   contributors (or between countries, with the fee); nothing was paid for it.
2. `report_correction`: during the statement period money moved on an invoice of that usage
   period that was cancelled (a corrected report, or a later period charged again) or that
   bills a report correcting an earlier one.
3. `clawback`: the change is negative (money given back, withheld tax returned with it).
4. `late_payment`: money received in this period for the earlier usage period.

Money recorded late but dated before the statement period (a back-dated payment) carries no
movement inside the period: it reads as a late payment, or a clawback when negative.
"""

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from pool.models.billing import Invoice, PaymentAllocation
from pool.models.distribution import DistributionRun, RunLine
from pool.models.reporting import UsageReport

ROUNDING_CARRY = "rounding_carry"
REPORT_CORRECTION = "report_correction"
CLAWBACK = "clawback"
LATE_PAYMENT = "late_payment"
REASONS = (LATE_PAYMENT, REPORT_CORRECTION, CLAWBACK, ROUNDING_CARRY)

BucketKey = tuple[date, date, str]  # usage period and country


def bucket_changes(session: Session, run: DistributionRun) -> dict[BucketKey, int]:
    """The pool's change in this run per usage period and country bucket: the sum of every
    contributor's change (all of a bucket's distributable money goes to its contributors), so
    these sum exactly to the run's distributable amount."""
    rows = session.exec(
        select(
            col(RunLine.usage_start),
            col(RunLine.usage_end),
            col(RunLine.country),
            func.sum(RunLine.amount_minor),
        )
        .where(RunLine.run_id == run.id)
        .group_by(col(RunLine.usage_start), col(RunLine.usage_end), col(RunLine.country))
    ).all()
    return {(s, e, c): int(total or 0) for s, e, c, total in rows}


def corrected_periods(session: Session, run: DistributionRun) -> set[tuple[date, date]]:
    """Usage periods with money moved during the statement period on a cancelled invoice or
    on the invoice of a correcting report."""
    rows = session.exec(
        select(col(Invoice.usage_start), col(Invoice.usage_end))
        .join(PaymentAllocation, col(PaymentAllocation.invoice_id) == Invoice.id)
        .outerjoin(UsageReport, col(UsageReport.id) == Invoice.report_id)
        .where(
            Invoice.pool_id == run.pool_id,
            col(PaymentAllocation.allocated_on) >= run.period_start,
            col(PaymentAllocation.allocated_on) < run.period_end,
            or_(Invoice.status == "cancelled", col(UsageReport.supersedes_id).is_not(None)),
        )
        .distinct()
    ).all()
    return {(start, end) for start, end in rows}


def reason_for(line: RunLine, bucket_change: int, corrected: set[tuple[date, date]]) -> str:
    """The reason of one adjustment line (module docstring)."""
    if abs(line.amount_minor) == 1 and _share_below_one_unit(line, bucket_change):
        return ROUNDING_CARRY
    if (line.usage_start, line.usage_end) in corrected:
        return REPORT_CORRECTION
    return CLAWBACK if line.amount_minor < 0 else LATE_PAYMENT


def _share_below_one_unit(line: RunLine, bucket_change: int) -> bool:
    """The contributor's exact share of the bucket's change (its cumulative part of the
    bucket, times the change) is less than one unit in the direction of the line."""
    total = line.bucket_distributable_cumulative_minor
    if total <= 0 or bucket_change * line.amount_minor <= 0:
        return True
    return abs(line.cumulative_minor * bucket_change) < total
