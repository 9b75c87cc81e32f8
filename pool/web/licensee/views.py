"""What the licensee's pages share: the licensee-only caller, labels, and view models.

Nothing here decides anything the services decide: it names things, lists the reporting
periods a form offers, reads form fields into the services' schemas, and lays the services'
errors (a field, or a CSV line and column) next to the data they are about.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from litestar.di import NamedDependency, Provide

import contracts
from pool.auth import Principal
from pool.errors import NotFound, Unauthenticated
from pool.models.licensing import AgreementRead, LicenceTerms
from pool.models.pool import ReportingCadence
from pool.models.reporting import ReportStatus, UsageReportRead
from pool.models.user import Role
from pool.services.licensing import agreements
from pool.services.reports import checks as report_checks
from pool.web import schema_messages, views
from pool.web.i18n import N_

LIST_LIMIT = 500  # the services' page size limit; a licensee's lists fit for years

LICENCE_TYPE_LABELS = {
    "ordinary": N_("Ordinary (non-exclusive)"),
    "sole": N_("Sole"),
    "exclusive": N_("Exclusive"),
}
STATE_LABELS = {
    "draft": N_("Draft"),
    "active": N_("Active"),
    "suspended": N_("Suspended"),
    "terminated": N_("Terminated"),
    "expired": N_("Expired"),
}
INVOICE_STATUS_LABELS = {
    "open": N_("Open"),
    "paid": N_("Paid"),
    "written_off": N_("Written off"),
    "cancelled": N_("Cancelled (replaced)"),
}
INVOICE_KIND_LABELS = {
    "royalty": N_("Royalties"),
    "entry_fee": N_("Entry fee"),
    "annual_fee": N_("Annual fee"),
    "evaluation_fee": N_("Evaluation fee"),
}
REPORT_STATUS_LABELS = {"accepted": N_("Current"), "superseded": N_("Superseded")}
ENTRY_KIND_LABELS = {
    "invoice_issued": N_("Invoice issued"),
    "deferred_due": N_("Deferred part fell due"),
    "payment_received": N_("Payment received"),
    "credit_applied": N_("Credit applied"),
    "write_off": N_("Written off"),
    "invoice_cancelled": N_("Invoice cancelled"),
    "allocations_released": N_("Payments released as credit"),
}

# Messages the services put on a field or a CSV cell, translated when shown (others are shown
# as the service wrote them: they carry values, like a product id or a country code).
SERVICE_MESSAGES = (
    N_("required"),
    N_("must not be negative"),
    N_("cannot exceed units"),
    N_("unknown column"),
    N_("required column missing"),
    N_("column given twice"),
    N_("no header line"),
    N_("no data lines"),
    N_("the period has not started yet"),
    N_("the period ended before the pool existed"),
    N_("a country code is exactly two letters (ISO 3166-1 alpha-2)"),
    N_("agreement not found"),
    N_("report not found"),
    N_("invoice not found"),
    N_("account not found"),
    N_("product not found"),
)
NOT_A_NUMBER = N_("not a whole number")
TOO_LONG = N_("too long")
CHOOSE_ONE = N_("choose at least one")
CHOOSE_PERIOD = N_("choose a period")


def provide_licensee(viewer: NamedDependency[Principal | None]) -> Principal:
    """The caller of every licensee page: signed in (else the login page) and a licensee.
    Other roles get "not found": these pages hold one licensee's own data only."""
    if viewer is None:
        raise Unauthenticated("sign in to see this page")
    if viewer.role != Role.LICENSEE:
        raise NotFound("not found")
    return viewer


def licensee_only() -> dict[str, Provide]:
    """Every licensee controller's `dependencies`: its `principal` is a licensee."""
    return {"principal": Provide(provide_licensee, sync_to_thread=False)}


def as_list(value: list[str] | str) -> list[str]:
    """A repeated form field: one value arrives as a string, several as a list."""
    return [value] if isinstance(value, str) else list(value)


# ---------------------------------------------------------------- agreements and terms


@dataclass(frozen=True)
class AgreementView:
    id: int
    pool_id: int
    terms_id: int
    pool_name: str
    currency: str
    licence_type: str  # msgid
    state: str  # msgid
    active: bool
    live: bool  # draft, active or suspended
    worldwide: bool
    territory: list[str]
    categories: list[str]
    signed_on: date
    start_on: date
    end_on: date  # exclusive
    last_day: date
    payment_method: str | None
    filing_number: str | None
    filing_due_on: date
    filing_overdue: bool
    offer_id: int | None


def agreement(item: AgreementRead, pool_name: str, currency: str) -> AgreementView:
    return AgreementView(
        id=item.id,
        pool_id=item.pool_id,
        terms_id=item.terms_id,
        pool_name=pool_name,
        currency=currency,
        licence_type=LICENCE_TYPE_LABELS.get(item.licence_type, item.licence_type),
        state=STATE_LABELS.get(item.state, item.state),
        active=item.state == contracts.AgreementState.ACTIVE,
        live=item.state in agreements.LIVE_STATES,
        worldwide=item.worldwide,
        territory=item.territory,
        categories=item.product_categories,
        signed_on=item.signed_on,
        start_on=item.start_on,
        end_on=item.end_on,
        last_day=date.fromordinal(item.end_on.toordinal() - 1),
        payment_method=item.payment_method,
        filing_number=item.filing_number,
        filing_due_on=item.filing_due_on,
        filing_overdue=item.filing_overdue,
        offer_id=item.offer_id,
    )


@dataclass(frozen=True)
class TermsView:
    """An agreement's fee standard, shaped as the public offer's (same template pieces)."""

    version: str
    sha256: str
    currency: str
    categories: list[views.CategoryView]
    free_units_per_year: int
    annual_cap_minor: int | None
    entry_fee_minor: int
    annual_fee_minor: int
    discounts: list[views.DiscountView]
    payment: contracts.PaymentTerms
    late_interest_fraction: Decimal | None


def terms(stored: LicenceTerms) -> TermsView:
    royalty = contracts.parse_terms(stored.royalty_terms)
    payment = contracts.parse_payment_terms(stored.payment_terms)
    interest = payment.late_interest
    return TermsView(
        version=stored.version,
        sha256=stored.sha256,
        currency=royalty.currency,
        categories=[views._category(category) for category in royalty.categories],
        free_units_per_year=royalty.free_units_per_year,
        annual_cap_minor=royalty.annual_cap_minor,
        entry_fee_minor=royalty.entry_fee_minor,
        annual_fee_minor=royalty.annual_fee_minor,
        discounts=views._discounts(royalty.discounts),
        payment=payment,
        late_interest_fraction=interest.annual_percent.scaleb(-2) if interest else None,
    )


# ---------------------------------------------------------------- reporting periods


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive
    last_day: date
    ended: bool


def periods_to_report(
    cadence: str, agreement: AgreementView, today: date, reported: set[date]
) -> list[Period]:
    """The cadence's periods that touch the agreement, have started and have no current
    report, oldest first (the service checks the same rules again when a report arrives)."""
    months = report_checks.CADENCE_MONTHS[ReportingCadence(cadence)]
    first = agreement.start_on
    start = date(first.year, (first.month - 1) // months * months + 1, 1)
    found: list[Period] = []
    while start <= today and start < agreement.end_on:
        end = contracts.add_months(start, months)
        if start not in reported:
            last = date.fromordinal(end.toordinal() - 1)
            found.append(Period(start, end, last, ended=end <= today))
        start = end
    return found


def default_period(periods: list[Period]) -> date | None:
    """The latest period that has ended, else the running one."""
    ended = [period.start for period in periods if period.ended]
    if ended:
        return ended[-1]
    return periods[-1].start if periods else None


# ---------------------------------------------------------------- form values


def pydantic_messages(errors: list[Any]) -> dict[str, list[str]]:
    """A schema's refusal (pydantic `errors()`) as msgids per top-level field."""
    return schema_messages.by_field(errors)


@dataclass(frozen=True)
class ReportView:
    id: int
    agreement_id: int
    period_start: date
    last_day: date
    is_nil: bool
    current: bool
    status: str  # msgid
    line_count: int
    units_total: int
    net_sales_total_minor: int
    submitted_at: datetime


def report(item: UsageReportRead) -> ReportView:
    return ReportView(
        id=item.id,
        agreement_id=item.agreement_id,
        period_start=item.period_start,
        last_day=date.fromordinal(item.period_end.toordinal() - 1),
        is_nil=item.is_nil,
        current=item.status == ReportStatus.ACCEPTED,
        status=REPORT_STATUS_LABELS.get(item.status, item.status),
        line_count=item.line_count,
        units_total=item.units_total,
        net_sales_total_minor=item.net_sales_total_minor,
        submitted_at=item.submitted_at,
    )
