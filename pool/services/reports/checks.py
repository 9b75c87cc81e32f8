"""Everything a usage report is checked against before anything is written.

Order: scope (another licensee's agreement is 404), role (403), agreement state and the
period's slot (409), then the period and every line (422, each fault named). The slot check
also finds the current reports of later periods of the same year: they are charged again
after this one (`reports.accept`), since tiers, the allowance and caps run through the year.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from contracts import PaymentTerms, RoyaltyTerms, add_months
from pool.auth import Principal
from pool.errors import Conflict, FieldError, InvalidInput
from pool.models.integers import MAX_EXACT
from pool.models.licensing import LicenceAgreement, Product
from pool.models.pool import Pool, ReportingCadence
from pool.models.reporting import ReportStatus, UsageLineIn, UsageReport
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services.billing import licensee_money
from pool.services.licensing import agreements
from pool.services.licensing.terms import royalty_terms_of
from pool.services.pools import money_dates

TOTALLED = ("units", "net_sales_minor")  # the report's `units_total`, `net_sales_total_minor`
CADENCE_MONTHS = {
    ReportingCadence.QUARTERLY: 3,
    ReportingCadence.SEMIANNUAL: 6,
    ReportingCadence.ANNUAL: 12,
}


@dataclass(frozen=True)
class Target:
    """Everything a report is checked against: its agreement, period, products and terms, and
    the licensee's current reports of later periods of the same year (in period order)."""

    agreement: LicenceAgreement
    period: tuple[date, date]
    products: dict[int, str]  # product id -> category
    terms: RoyaltyTerms
    payment: PaymentTerms
    later: tuple[UsageReport, ...] = ()
    codes: dict[str, int] = field(default_factory=dict)  # filing code -> product id


def period_of(session: Session, agreement: LicenceAgreement, start: date, today: date) -> Any:
    """The cadence period starting on `start` ([start, end)); it must touch the agreement, have
    started, and not have ended before the pool existed."""
    pool = session.get(Pool, agreement.pool_id)
    cadence = pool.reporting_cadence if pool else ReportingCadence.QUARTERLY
    months = CADENCE_MONTHS[ReportingCadence(cadence)]
    if start.day != 1 or (start.month - 1) % months:
        firsts = ", ".join(date(2000, m, 1).strftime("%b") for m in range(1, 13, months))
        raise InvalidInput.field(
            "period_start",
            Phrase("a %(cadence)s period starts on 1 %(firsts)s", cadence=cadence, firsts=firsts),
        )
    end = add_months(start, months)
    if not (start < agreement.end_on and agreement.start_on < end):
        raise InvalidInput.field(
            "period_start",
            Phrase(
                "the period [%(start)s, %(end)s) lies outside the agreement "
                "[%(start_on)s, %(end_on)s)",
                start=start,
                end=end,
                start_on=agreement.start_on,
                end_on=agreement.end_on,
            ),
        )
    if start > today:
        raise InvalidInput.field("period_start", "the period has not started yet")
    if pool is not None:
        money_dates.check_period(pool, field="period_start", start=start, end=end)
    return start, end


def target(
    session: Session,
    *,
    principal: Principal,
    agreement_id: int,
    period_start: date,
    today: date,
    correcting: UsageReport | None = None,
) -> Target:
    """Scope, role, state and period checks, in that order (404, then 403, then 409/422)."""
    agreement = agreements.get_for_licensee(session, principal=principal, agreement_id=agreement_id)
    principal.require_role(Role.ADMIN, Role.LICENSEE)
    if correcting is None and agreement.state != "active":
        raise Conflict(
            Phrase(
                "only an active agreement takes reports; this one is %(state)s",
                state=agreement.state,
            )
        )
    period = period_of(session, agreement, period_start, today)
    _one_at_a_time(session, agreement)
    later = _check_slot(session, agreement, period, correcting)
    rows = session.exec(
        select(Product.id, Product.category, Product.filing_code).where(
            Product.agreement_id == agreement.id
        )
    ).all()
    terms, payment = royalty_terms_of(session, agreement)
    products = {pid: cat for pid, cat, _ in rows if pid}
    codes = {code.upper(): pid for pid, _, code in rows if pid}
    return Target(agreement, period, products, terms, payment, later, codes)


def _one_at_a_time(session: Session, agreement: LicenceAgreement) -> None:
    """A licensee's reports are charged one transaction at a time, since each reads the year
    to date and may replace the invoices (and move the payments) of later periods."""
    licensee_money.serialize(session, agreement.licensee_organisation_id)


def _check_slot(
    session: Session,
    agreement: LicenceAgreement,
    period: tuple[date, date],
    correcting: UsageReport | None,
) -> tuple[UsageReport, ...]:
    """One current report per period and no overlap; return the current reports of later
    periods of the same year (any agreement of the licensee in the pool), in period order:
    a late report or a correction of an earlier period is charged, then they are charged
    again (docs/reporting.md, "Earlier periods")."""
    start, end = period
    current = session.exec(
        select(UsageReport)
        .join(LicenceAgreement, col(LicenceAgreement.id) == UsageReport.agreement_id)
        .where(
            LicenceAgreement.pool_id == agreement.pool_id,
            UsageReport.licensee_organisation_id == agreement.licensee_organisation_id,
            UsageReport.status == ReportStatus.ACCEPTED,
            col(UsageReport.period_end) > start,
            col(UsageReport.period_start) < date(start.year + 1, 1, 1),
        )
        .order_by(col(UsageReport.period_start), col(UsageReport.id))
    ).all()
    later: list[UsageReport] = []
    for other in current:
        if correcting is not None and other.id == correcting.id:
            continue
        if other.agreement_id == agreement.id and other.period_start == start:
            raise Conflict(
                Phrase(
                    "report %(report)s already covers this period; send a correction",
                    report=other.id,
                )
            )
        if other.period_start < end:
            raise Conflict(
                Phrase(
                    "the period overlaps report %(report)s [%(period_start)s, ...)",
                    report=other.id,
                    period_start=other.period_start,
                )
            )
        later.append(other)
    return tuple(later)


def check_line(row: dict[str, Any], target: Target) -> list[tuple[str, str]]:
    """Cross-field and reference checks shared by JSON and CSV: (column, message) pairs."""
    faults: list[tuple[str, str]] = []
    category = target.products.get(row["product_id"])
    if category is None:
        faults.append(
            ("product_id", f"no registered product {row['product_id']} on this agreement")
        )
    else:
        row["category"] = category
        priced = target.terms.category(category)
        if priced is None:
            faults.append(("product_id", f"the terms do not price the category {category!r}"))
        elif priced.bands and row["unit_price_minor"] is None:
            faults.append(("unit_price_minor", f"category {category!r} is priced by band"))
    if row["upstream_paid_units"] > row["units"]:
        faults.append(("upstream_paid_units", "cannot exceed units"))
    return faults


def add_to_totals(totals: dict[str, int], row: dict[str, Any]) -> list[tuple[str, str]]:
    """Add a line to the report's running totals. Each line is bounded, but 10,000 of them
    summed past the 64 bits of the report's columns (a 500): the line whose total passes
    `MAX_EXACT` (what the API answers exactly) is refused, naming its column."""
    faults = []
    for column in TOTALLED:
        before = totals.get(column, 0)
        totals[column] = before + row[column]
        if before <= MAX_EXACT < totals[column]:
            faults.append((column, f"the report's total {column} would pass {MAX_EXACT}"))
    return faults


def json_rows(lines: list[UsageLineIn], target: Target) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    totals: dict[str, int] = {}
    for index, line in enumerate(lines):
        row = {"line_no": index + 1, **line.model_dump()}
        for column, message in [*check_line(row, target), *add_to_totals(totals, row)]:
            errors.append(FieldError(message=message, field=f"lines[{index}].{column}"))
        rows.append(row)
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) found; nothing was stored", errors)
    return rows


def check_currency(currency: str | None, target: Target) -> None:
    if currency is not None and currency.upper() != target.terms.currency:
        raise InvalidInput.field(
            "currency",
            Phrase(
                "reports are in the pool's currency, %(currency)s", currency=target.terms.currency
            ),
        )
