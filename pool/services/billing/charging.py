"""What `contracts.royalty_due` needs, gathered from the database.

Terms come from the agreement, the licensee profile from its organisation and agreement, the
in-force predicate from the pool's inclusion intervals, and the year to date from replaying
the licensee's earlier reports of the calendar year. No royalty arithmetic happens here.

When an earlier period of a year changes, `recharging` charges the later periods again.
`accrual_schedule.due_items` gives an accrual's due items under the payment terms
(`payment_schedule`) and `bulk_insert.insert_rows` writes many plain rows at once; both are
re-exported here for the callers that use them as `charging.due_items` and
`charging.insert_rows`.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from contracts import (
    Coverage,
    CoverageInterval,
    InvalidReport,
    InvalidTerms,
    LicenseeProfile,
    RoyaltyResult,
    RoyaltyTerms,
    YearToDate,
    parse_report,
    royalty_due,
)
from pool.errors import FieldError, InvalidInput
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.patent import PatentInclusion
from pool.models.pool import Pool
from pool.models.reporting import ReportStatus, UsageReport, UsageReportLine
from pool.services.billing import standing
from pool.services.billing.accrual_schedule import due_items as due_items
from pool.services.common.bulk_insert import insert_rows as insert_rows

LINE_FIELDS = (
    "category",
    "country_of_manufacture",
    "country_of_sale",
    "units",
    "net_sales_minor",
    "upstream_paid_units",
    "unit_price_minor",
)


def coverage_of(session: Session, pool_id: int) -> Coverage:
    """Where and when a pool patent is in force: the pool's stored inclusion intervals,
    distinct in the database (a large pool has tens of thousands of patents but few distinct
    intervals, and every report reads them)."""
    rows = session.exec(
        select(
            col(PatentInclusion.country), col(PatentInclusion.start_on), col(PatentInclusion.end_on)
        )
        .where(PatentInclusion.pool_id == pool_id)
        .distinct()
    ).all()
    return Coverage(
        intervals=tuple(
            CoverageInterval(country=country, start=start, end=end)
            for country, start, end in sorted(set(rows), key=str)
            if end is None or end > start
        )
    )


def profile_of(
    session: Session, agreement: LicenceAgreement, period_start: date
) -> LicenseeProfile:
    """Discount eligibility for the period starting on `period_start`. Good standing is
    judged as the period begins (`standing.good_standing`: nothing overdue or underpaid then,
    no report missing for periods already ended), so the period's own report, not yet
    stored, never counts against it."""
    organisation = session.get(Organisation, agreement.licensee_organisation_id)
    size = organisation.size_class if organisation and organisation.size_class else "large"
    pool = session.get(Pool, agreement.pool_id)
    good = pool is not None and (
        standing.good_standing(
            session,
            pool=pool,
            licensee_organisation_id=agreement.licensee_organisation_id,
            start=agreement.start_on,
            end=max(period_start, agreement.start_on),
            as_of=period_start,
        ).good
    )
    return LicenseeProfile.model_validate(
        {"size_class": size, "early_signer": agreement.early_signer, "good_standing": good}
    )


@dataclass(frozen=True)
class RoyaltyInputs:
    """What `royalty_due` needs besides the report; the profile is judged per period."""

    terms: RoyaltyTerms
    profile: Callable[[date], LicenseeProfile]
    coverage: Coverage


def charge(
    inputs: RoyaltyInputs,
    *,
    period: tuple[date, date],
    lines: Sequence[dict[str, Any]],
    ytd: YearToDate,
) -> RoyaltyResult:
    """One report through `royalty_due`; its refusals become 422s naming the line's field."""
    report = {
        "currency": inputs.terms.currency,
        "period": {"start": period[0].isoformat(), "end": period[1].isoformat()},
        "lines": [{k: line[k] for k in LINE_FIELDS if line[k] is not None} for line in lines],
    }
    try:
        return royalty_due(
            inputs.terms,
            parse_report(report),
            ytd,
            profile=inputs.profile(period[0]),
            in_force=functools.cache(inputs.coverage.in_force),  # few countries, many lines
        )
    except (InvalidReport, InvalidTerms) as error:
        faults = [FieldError(message=m, field=p.removeprefix("$.")) for p, m in error.problems]
        raise InvalidInput("the report cannot be charged under the terms", faults) from error
    except ValidationError as error:
        # Bounded units times a large per-unit rate: a line, or the year's total, passes the
        # largest amount `contracts` computes (its `MinorAmount`). That was a 500.
        if any(e["type"] != "less_than_equal" for e in error.errors()):
            raise
        limit = error.errors()[0].get("ctx", {}).get("le")
        message = f"the royalty would pass {limit} minor units, the most charged a line or a year"
        raise InvalidInput.field("lines", message) from error


def year_to_date(
    session: Session, agreement: LicenceAgreement, start: date, inputs: RoyaltyInputs
) -> YearToDate:
    """Replay the licensee's earlier accepted reports of the calendar year, in order, so
    tiers, the free allowance and caps continue exactly where the last period left them."""
    ytd = YearToDate.start_of(start.year)
    earlier = session.exec(
        select(UsageReport)
        .join(LicenceAgreement, col(LicenceAgreement.id) == UsageReport.agreement_id)
        .where(
            LicenceAgreement.pool_id == agreement.pool_id,
            UsageReport.licensee_organisation_id == agreement.licensee_organisation_id,
            UsageReport.status == ReportStatus.ACCEPTED,
            col(UsageReport.period_start) >= date(start.year, 1, 1),
            col(UsageReport.period_start) < start,
        )
        .order_by(col(UsageReport.period_start))
    ).all()
    for report in earlier:
        lines = report_lines(session, report.id or 0)
        period = (report.period_start, report.period_end)
        ytd = charge(inputs, period=period, lines=lines, ytd=ytd).year_to_date
    return ytd


def report_lines(session: Session, report_id: int) -> list[dict[str, Any]]:
    columns = [getattr(UsageReportLine, name) for name in LINE_FIELDS]
    rows = session.exec(
        select(*columns)
        .where(UsageReportLine.report_id == report_id)
        .order_by(col(UsageReportLine.line_no))
    ).all()
    return [dict(zip(LINE_FIELDS, row, strict=True)) for row in rows]
