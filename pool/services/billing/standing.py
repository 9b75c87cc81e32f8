"""Good standing of a licensee for a period (DOMAIN.md §1.7): no overdue invoice, no missing
usage report, no underpayment. Discounts that require it read this."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from allocation.currency import format_minor
from contracts.money import add_months
from pool.models.licensing import LicenceAgreement
from pool.models.pool import Pool
from pool.models.reporting import UsageReport
from pool.services.billing import dues

MONTHS = {"quarterly": 3, "semiannual": 6, "annual": 12}


OVERDUE, UNDERPAID, REPORT_MISSING = "overdue", "underpaid", "report_missing"


@dataclass(frozen=True)
class Reason:
    """Why a licensee is not in good standing, as data: pages say it in the reader's
    language, with money in major units and periods as first and last day."""

    kind: str  # OVERDUE, UNDERPAID (partly paid) or REPORT_MISSING
    currency: str
    invoice_id: int | None = None
    invoice_number: str | None = None
    outstanding_minor: int = 0
    due_on: date | None = None
    agreement_id: int | None = None
    period_start: date | None = None
    period_end: date | None = None  # exclusive

    @property
    def text(self) -> str:
        """In English, for the API and the CLI."""
        if self.kind == REPORT_MISSING and self.period_start and self.period_end:
            last = self.period_end - timedelta(days=1)
            return (
                f"no usage report for {self.period_start} to {last} (agreement {self.agreement_id})"
            )
        amount = format_minor(self.outstanding_minor, self.currency)
        return (
            f"invoice {self.invoice_number} {self.kind}: {amount} {self.currency} "
            f"due on {self.due_on}"
        )


@dataclass(frozen=True)
class Standing:
    good: bool
    reasons: list[Reason] = field(default_factory=list)


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
) -> list[Reason]:
    """Elapsed reporting periods (ended by `as_of`) of each agreement, inside [start, end),
    with no accepted report overlapping them. A nil report counts as a report."""
    deals = session.exec(
        select(LicenceAgreement).where(
            LicenceAgreement.pool_id == pool.id,
            LicenceAgreement.licensee_organisation_id == licensee_organisation_id,
        )
    ).all()
    missing: list[Reason] = []
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
                missing.append(
                    Reason(
                        REPORT_MISSING,
                        pool.currency,
                        agreement_id=deal.id,
                        period_start=p_start,
                        period_end=p_end,
                    )
                )
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
    reasons: list[Reason] = []
    for part in dues.overdue(
        session, pool_id=pool.id, licensee_organisation_id=licensee_organisation_id, as_of=as_of
    ):
        kind = UNDERPAID if part.outstanding_minor < part.amount_minor else OVERDUE
        reasons.append(
            Reason(
                kind,
                pool.currency,
                invoice_id=part.invoice.id,
                invoice_number=part.invoice.number,
                outstanding_minor=part.outstanding_minor,
                due_on=part.due_on,
            )
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
