"""What `contracts.royalty_due` and `payment_schedule` need, gathered from the database.

Terms come from the agreement, the licensee profile from its organisation and agreement, the
in-force predicate from the pool's inclusion intervals, and the year to date from replaying
the licensee's earlier reports of the calendar year. No royalty arithmetic happens here.

When an earlier period of a year changes, the later periods are charged again in order
(`recharge`), each with the licensee profile it had before the change (`pinned_profiles`).
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from contracts import (
    Accrual,
    Coverage,
    CoverageInterval,
    DueItem,
    InvalidReport,
    InvalidTerms,
    LicenseeProfile,
    PaymentTerms,
    RoyaltyResult,
    RoyaltyTerms,
    YearToDate,
    parse_report,
    payment_schedule,
    royalty_due,
)
from pool.auth import Principal
from pool.errors import FieldError, InvalidInput
from pool.models.billing import Invoice, InvoiceInstalment, InvoiceStatus
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.patent import PatentInclusion
from pool.models.pool import Pool
from pool.models.reporting import ReportStatus, UsageReport, UsageReportLine
from pool.services import audit, ledger, standing
from pool.services.snapshot import snapshot
from pool.services.terms import royalty_terms_of

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
    """Where and when a pool patent is in force: the pool's stored inclusion intervals."""
    rows = session.exec(
        select(
            col(PatentInclusion.country), col(PatentInclusion.start_on), col(PatentInclusion.end_on)
        ).where(PatentInclusion.pool_id == pool_id)
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


Pinned = dict[tuple[int, date], LicenseeProfile]  # (agreement id, period start) -> profile


def pinned_profiles(session: Session, later: Sequence[UsageReport]) -> Pinned:
    """The profile of every later period, judged before anything changes: a re-charge moves
    the year to date only. Judged afterwards, the invoices this change cancels and re-issues
    (their payments re-applied today) would look overdue at those dates and cost the licensee
    a good-standing discount it had."""
    agreements = [session.get(LicenceAgreement, i) for i in {r.agreement_id for r in later}]
    return {
        (agreement.id or 0, report.period_start): profile_of(
            session, agreement, report.period_start
        )
        for agreement in agreements
        if agreement is not None
        for report in later
    }


def _profile(
    session: Session, agreement: LicenceAgreement, pinned: Pinned, start: date
) -> LicenseeProfile:
    found = pinned.get((agreement.id or 0, start))
    return found if found is not None else profile_of(session, agreement, start)


@dataclass(frozen=True)
class Recharged:
    """A later period charged again: its report, agreement, payment terms and the result
    (None for a nil report, which has no invoice but still moves the year to date)."""

    report: UsageReport
    agreement: LicenceAgreement
    payment: PaymentTerms
    result: RoyaltyResult | None


def recharge(session: Session, later: Sequence[UsageReport], pinned: Pinned) -> list[Recharged]:
    """Charge the later periods again, in period order, on the reports now stored: each sees
    the year to date that the changed earlier period leaves, exactly as if all had been
    charged in order. The year to date is carried from one to the next (a fresh replay only
    when the agreement, hence the terms, differs); nothing is written here."""
    done: list[Recharged] = []
    carried: tuple[int, YearToDate] | None = None
    coverage: Coverage | None = None
    for report in later:
        agreement = session.get(LicenceAgreement, report.agreement_id)
        if agreement is None:  # the foreign key makes this unreachable
            continue
        coverage = coverage or coverage_of(session, agreement.pool_id)
        terms, payment = royalty_terms_of(session, agreement)
        profile = functools.partial(_profile, session, agreement, pinned)
        inputs = RoyaltyInputs(terms, profile, coverage)
        start = report.period_start
        if carried is not None and carried[0] == agreement.id:
            ytd = carried[1]
        else:
            ytd = year_to_date(session, agreement, start, inputs)
        period = (start, report.period_end)
        lines = report_lines(session, report.id or 0)
        result = charge(inputs, period=period, lines=lines, ytd=ytd)
        carried = (agreement.id or 0, result.year_to_date)
        done.append(Recharged(report, agreement, payment, None if report.is_nil else result))
    return done


def report_lines(session: Session, report_id: int) -> list[dict[str, Any]]:
    columns = [getattr(UsageReportLine, name) for name in LINE_FIELDS]
    rows = session.exec(
        select(*columns)
        .where(UsageReportLine.report_id == report_id)
        .order_by(col(UsageReportLine.line_no))
    ).all()
    return [dict(zip(LINE_FIELDS, row, strict=True)) for row in rows]


def insert_rows(
    session: Session, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Many rows of plain integers and strings in the request's transaction: COPY on
    PostgreSQL, one driver-level executemany on SQLite. On 100,000 invoice lines SQLAlchemy's
    multi-row insert took 3.6 s (PostgreSQL) and 1.1 s (SQLite); the driver path 0.4 s on
    SQLite. Only for tables whose columns need no type conversion."""
    if not rows:
        return
    connection = session.connection()
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        driver: Any = connection.connection.driver_connection
        with driver.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def due_items(
    session: Session,
    principal: Principal,
    agreement: LicenceAgreement,
    payment: PaymentTerms,
    accrual: Accrual,
    now: datetime,
) -> list[DueItem]:
    """This accrual's due items. A revenue threshold counts the agreement's earlier accruals
    (cumulative net sales); when this one reaches it, earlier held parts get their date too."""
    earlier: list[Accrual] = []
    if payment.revenue_threshold is not None:
        rows = session.exec(
            select(
                col(Invoice.id),
                col(Invoice.usage_end),
                col(Invoice.total_minor),
                col(UsageReport.net_sales_total_minor),
            )
            .join(UsageReport, col(UsageReport.id) == Invoice.report_id)
            .where(Invoice.agreement_id == agreement.id, Invoice.status != InvoiceStatus.CANCELLED)
        ).all()
        earlier = [
            Accrual(reference=str(i), accrued_on=d, amount_minor=t, net_sales_minor=n)
            for i, d, t, n in rows
        ]
    items = payment_schedule(payment, [*earlier, accrual])
    for item in items:
        if item.reference != accrual.reference and item.due_on is not None:
            _release(session, principal, int(item.reference), item.due_on, now)
    return [item for item in items if item.reference == accrual.reference]


def _booked_due(
    session: Session, invoice: Invoice, parts: Sequence[InvoiceInstalment], now: datetime
) -> None:
    """Held parts dated on or before the invoice's issue date now count as due at issue
    (`ledger.due_at_issue`), so `dues.recognise_due` skips them and settlement takes them
    as receivable; but they were booked deferred. Move them to `receivable` now, one
    "falls due" entry per part, as `recognise_due` would have (same kind and source, so
    `ledger.reverse_invoice` takes them back if the invoice is cancelled). This happens
    when a held invoice is issued after a later one already reached the threshold's date,
    e.g. reports sent late or an earlier period's invoice re-issued. Only open invoices: a
    written-off one has nothing deferred left, and a zero part was never booked."""
    for part in parts:
        ledger.post(
            session,
            pool_id=invoice.pool_id,
            currency=invoice.currency,
            occurred_on=now.date(),
            kind=ledger.DEFERRED_DUE,
            source_type="invoice_instalment",
            source_id=part.id or 0,
            legs=[
                ledger.invoice_leg(invoice, ledger.RECEIVABLE, part.amount_minor),
                ledger.invoice_leg(invoice, ledger.DEFERRED_RECEIVABLE, -part.amount_minor),
            ],
            now=now,
            memo=f"invoice {invoice.number}: held part due {part.due_on} (threshold reached)",
        )


def _release(
    session: Session, principal: Principal, invoice_id: int, due_on: date, now: datetime
) -> None:
    """An earlier invoice's parts held for the revenue threshold now fall due on `due_on`."""
    held = session.exec(
        select(InvoiceInstalment).where(
            InvoiceInstalment.invoice_id == invoice_id, col(InvoiceInstalment.due_on).is_(None)
        )
    ).all()
    invoice = session.get(Invoice, invoice_id)
    if not held or invoice is None:
        return
    before = snapshot(invoice)
    for part in held:
        part.due_on = due_on
        session.add(part)
    invoice.due_on = invoice.due_on or due_on
    session.add(invoice)
    session.flush()
    if due_on <= invoice.issued_on and invoice.status == InvoiceStatus.OPEN:
        _booked_due(session, invoice, [part for part in held if part.amount_minor], now)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="invoice.threshold_reached",
        entity_type="invoice",
        entity_id=invoice.id,
        pool_id=invoice.pool_id,
        before=before,
        after=snapshot(invoice),
        now=now,
    )
