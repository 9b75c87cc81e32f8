"""Review flags: licences that look "clearly not aimed at implementation" (DOMAIN.md section 4).

Read-only and computed on every query from agreements, products, accepted usage reports and
terms, so a flag disappears as soon as its cause does. Every threshold is a parameter.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlmodel import Session, col, select

import contracts
from pool.auth import Principal
from pool.models.licensing import LicenceAgreement, LicenceTerms, Product, ReviewFlag
from pool.models.organisation import Organisation
from pool.models.pool import ReportingCadence
from pool.models.reporting import UsageReport
from pool.services import pools
from pool.services.licensing import terms

CADENCE_MONTHS = {
    ReportingCadence.QUARTERLY: 3,
    ReportingCadence.SEMIANNUAL: 6,
    ReportingCadence.ANNUAL: 12,
}
RUNNING = (contracts.AgreementState.ACTIVE, contracts.AgreementState.SUSPENDED)


@dataclass(frozen=True)
class Thresholds:
    no_product_days: int = 90
    nil_periods: int = 2
    report_due_days: int = 30  # a period's report is missing only this long after it ends
    nominal_annual_minor: int = 100_000
    early_termination_days: int = 90


class Reported(NamedTuple):
    """An accepted report's period, as the nil-reports flag reads it."""

    period_start: date
    period_end: date
    is_nil: bool


Found = tuple[str, str, dict[str, str | int]]  # (kind, English reason, its facts)


def _no_product(
    with_products: set[int], a: LicenceAgreement, today: date, t: Thresholds
) -> list[Found]:
    if a.state not in RUNNING or today < a.start_on + timedelta(days=t.no_product_days):
        return []
    if a.id in with_products:
        return []
    reason = f"no product registered {t.no_product_days} days after the start"
    return [("no_product", reason, {"days": t.no_product_days})]


def _closed_periods(a: LicenceAgreement, months: int, today: date, t: Thresholds) -> list[date]:
    """Starts of the calendar-aligned periods overlapping the agreement whose report is due."""
    start = date(a.start_on.year, 1 + (a.start_on.month - 1) // months * months, 1)
    starts = []
    while start < a.end_on:
        end = contracts.add_months(start, months)
        if end + timedelta(days=t.report_due_days) > today:
            break
        starts.append(start)
        start = end
    return starts


def _nil_reports(
    accepted: dict[int, list[Reported]],
    a: LicenceAgreement,
    months: int,
    today: date,
    t: Thresholds,
) -> list[Found]:
    """The last `nil_periods` due periods each have no accepted report, or only nil ones."""
    if a.state not in RUNNING:
        return []
    periods = _closed_periods(a, months, today, t)[-t.nil_periods :]
    if len(periods) < t.nil_periods:
        return []
    reports = accepted.get(a.id or 0, [])
    for start in periods:
        end = contracts.add_months(start, months)
        covering = [r for r in reports if r.period_start < end and r.period_end > start]
        if any(not r.is_nil for r in covering):
            return []
    first = periods[0].isoformat()
    reason = f"the last {t.nil_periods} periods from {first} are nil or missing"
    return [("nil_reports", reason, {"periods": t.nil_periods, "from": first})]


def _fees(stored: LicenceTerms, t: Thresholds) -> list[Found]:
    royalty, _ = terms.parsed(stored)
    if terms.is_zero_fee(royalty):
        return [("zero_fee", f"terms {stored.version} charge nothing", {"terms": stored.version})]
    most = terms.max_annual_charge_minor(royalty)
    if most is not None and most < t.nominal_annual_minor:
        return [
            (
                "nominal_fee",
                f"terms {stored.version} charge at most {most} minor units a year "
                f"(below {t.nominal_annual_minor})",
                {
                    "terms": stored.version,
                    "most_minor": most,
                    "nominal_minor": t.nominal_annual_minor,
                },
            )
        ]
    return []


def _early_termination(a: LicenceAgreement, t: Thresholds) -> list[Found]:
    days = (a.state_changed_on - a.signed_on).days
    if a.state != contracts.AgreementState.TERMINATED or days > t.early_termination_days:
        return []
    return [("early_termination", f"terminated {days} days after signature", {"days": days})]


def _read_for_flags(session: Session, pool_id: int) -> tuple[set[int], dict[int, list[Reported]]]:
    """The pool's agreements with a product, and their accepted reports by agreement: read
    once for the whole pool (one query per agreement took seconds at 2,000 licensees)."""
    in_pool = select(LicenceAgreement.id).where(LicenceAgreement.pool_id == pool_id)
    with_products = set(
        session.exec(
            select(Product.agreement_id).where(col(Product.agreement_id).in_(in_pool)).distinct()
        )
    )
    accepted: dict[int, list[Reported]] = {}
    for agreement_id, start, end, nil in session.exec(
        select(
            col(UsageReport.agreement_id),
            col(UsageReport.period_start),
            col(UsageReport.period_end),
            col(UsageReport.is_nil),
        ).where(col(UsageReport.agreement_id).in_(in_pool), UsageReport.status == "accepted")
    ):
        accepted.setdefault(agreement_id, []).append(Reported(start, end, nil))
    return with_products, accepted


def flags(
    session: Session, *, principal: Principal, pool_id: int, thresholds: Thresholds, now: datetime
) -> list[ReviewFlag]:
    """Every flag of the pool's non-draft agreements, by agreement id then kind."""
    pool = pools.get(session, pool_id=pool_id)
    principal.require_staff()
    months = CADENCE_MONTHS[ReportingCadence(pool.reporting_cadence)]
    rows = session.exec(
        select(LicenceAgreement, Organisation.name, LicenceTerms)
        .join(Organisation, col(Organisation.id) == LicenceAgreement.licensee_organisation_id)
        .join(LicenceTerms, col(LicenceTerms.id) == LicenceAgreement.terms_id)
        .where(
            LicenceAgreement.pool_id == pool_id,
            LicenceAgreement.state != contracts.AgreementState.DRAFT,
        )
        .order_by(col(LicenceAgreement.id))
    ).all()
    today, found = now.date(), []
    with_products, accepted = _read_for_flags(session, pool_id)
    fees: dict[int, list[Found]] = {}  # by terms: a pool's agreements share a few
    for agreement, licensee, stored in rows:
        if stored.id not in fees:
            fees[stored.id or 0] = _fees(stored, thresholds)
        reasons = [
            *_no_product(with_products, agreement, today, thresholds),
            *_nil_reports(accepted, agreement, months, today, thresholds),
            *fees[stored.id or 0],
            *_early_termination(agreement, thresholds),
        ]
        found += [
            ReviewFlag(
                agreement_id=agreement.id or 0,
                licensee_organisation_id=agreement.licensee_organisation_id,
                licensee=licensee,
                kind=kind,
                reason=reason,
                facts=facts,
            )
            for kind, reason, facts in reasons
        ]
    return found
