"""Good standing of a licensee for a period (DOMAIN.md §1.7): no overdue invoice, no missing
usage report, no underpayment. Discounts that require it read this."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from contracts.money import add_months
from pool.models.licensing import LicenceAgreement
from pool.models.pool import Pool
from pool.models.reporting import UsageReport
from pool.services.billing import dues

MONTHS = {"quarterly": 3, "semiannual": 6, "annual": 12}


@dataclass(frozen=True)
class Standing:
    good: bool
    reasons: list[str] = field(default_factory=list)


def reporting_periods(cadence: str, start: date, end: date) -> list[tuple[date, date]]:
    """Calendar-aligned reporting periods (quarters from January, half-years, years) that
    overlap [start, end), clipped to it."""
    step = MONTHS.get(cadence, 3)
    cursor = date(start.year, 1, 1)
    periods: list[tuple[date, date]] = []
    while cursor < end:
        following = add_months(cursor, step)
        if following > start:
            periods.append((max(cursor, start), min(following, end)))
        cursor = following
    return periods


def missing_reports(
    session: Session,
    *,
    pool: Pool,
    licensee_organisation_id: int,
    start: date,
    end: date,
    as_of: date,
) -> list[str]:
    """Elapsed reporting periods (ended by `as_of`) of each agreement, inside [start, end),
    with no accepted report overlapping them. A nil report counts as a report."""
    deals = session.exec(
        select(LicenceAgreement).where(
            LicenceAgreement.pool_id == pool.id,
            LicenceAgreement.licensee_organisation_id == licensee_organisation_id,
        )
    ).all()
    missing: list[str] = []
    for deal in deals:
        window = (max(start, deal.start_on), min(end, deal.end_on, as_of))
        reports = [
            (r.period_start, r.period_end)
            for r in session.exec(
                select(UsageReport).where(
                    UsageReport.agreement_id == deal.id, UsageReport.status == "accepted"
                )
            ).all()
        ]
        for p_start, p_end in reporting_periods(pool.reporting_cadence, deal.start_on, deal.end_on):
            elapsed = p_end <= window[1] and p_start >= window[0]
            if elapsed and not any(r0 < p_end and r1 > p_start for r0, r1 in reports):
                missing.append(f"no usage report for {p_start}..{p_end} (agreement {deal.id})")
    return missing


def good_standing(
    session: Session,
    *,
    pool: Pool,
    licensee_organisation_id: int,
    start: date,
    end: date,
    as_of: date,
) -> Standing:
    """Overdue = a part past due and unpaid at `as_of` (any invoice of the pool); underpaid =
    such a part partly paid. Audit findings are not recorded yet, so they cannot count."""
    reasons: list[str] = []
    for part in dues.overdue(
        session, pool_id=pool.id, licensee_organisation_id=licensee_organisation_id, as_of=as_of
    ):
        kind = "underpaid" if part.outstanding_minor < part.amount_minor else "overdue"
        reasons.append(
            f"invoice {part.invoice.number} {kind}: {part.outstanding_minor} due {part.due_on}"
        )
    reasons += missing_reports(
        session,
        pool=pool,
        licensee_organisation_id=licensee_organisation_id,
        start=start,
        end=end,
        as_of=as_of,
    )
    return Standing(good=not reasons, reasons=reasons)
