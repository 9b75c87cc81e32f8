"""Usage reports: submission (JSON or nil), corrections that supersede, and reading them back.

A report is checked completely before anything is written: the agreement is the caller's and
active, the period is one of the pool's cadence and touches the agreement's term, every line
names a registered product of that agreement, and `contracts` can charge it. Then the report,
its lines, the audit events and the invoice are written in the request's one transaction.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from contracts import PaymentTerms, RoyaltyTerms, add_months
from pool.auth import Principal
from pool.errors import Conflict, FieldError, InvalidInput, NotFound
from pool.models.billing import Invoice
from pool.models.licensing import LicenceAgreement, Product
from pool.models.pool import Pool, ReportingCadence
from pool.models.reporting import (
    NilReportCreate,
    ReportReceipt,
    ReportStatus,
    UsageLineIn,
    UsageReport,
    UsageReportCorrection,
    UsageReportCreate,
    UsageReportDetail,
    UsageReportLine,
    UsageReportLineRead,
    UsageReportRead,
)
from pool.models.user import Role
from pool.services import agreements, audit, invoices
from pool.services.pages import Page, paginate
from pool.services.snapshot import snapshot
from pool.services.terms import royalty_terms_of

CADENCE_MONTHS = {
    ReportingCadence.QUARTERLY: 3,
    ReportingCadence.SEMIANNUAL: 6,
    ReportingCadence.ANNUAL: 12,
}
Locate = Callable[[int, str, str], FieldError]  # (line index, column, message) -> error


@dataclass(frozen=True)
class Target:
    """Everything a report is checked against: its agreement, period, products and terms."""

    agreement: LicenceAgreement
    period: tuple[date, date]
    products: dict[int, str]  # product id -> category
    terms: RoyaltyTerms
    payment: PaymentTerms


def period_of(session: Session, agreement: LicenceAgreement, start: date, today: date) -> Any:
    """The cadence period starting on `start` ([start, end)); it must touch the agreement."""
    pool = session.get(Pool, agreement.pool_id)
    cadence = pool.reporting_cadence if pool else ReportingCadence.QUARTERLY
    months = CADENCE_MONTHS[ReportingCadence(cadence)]
    if start.day != 1 or (start.month - 1) % months:
        firsts = ", ".join(date(2000, m, 1).strftime("%b") for m in range(1, 13, months))
        raise InvalidInput.field("period_start", f"a {cadence} period starts on 1 {firsts}")
    end = add_months(start, months)
    if not (start < agreement.end_on and agreement.start_on < end):
        raise InvalidInput.field(
            "period_start",
            f"the period [{start}, {end}) lies outside the agreement "
            f"[{agreement.start_on}, {agreement.end_on})",
        )
    if start > today:
        raise InvalidInput.field("period_start", "the period has not started yet")
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
        raise Conflict(f"only an active agreement takes reports; this one is {agreement.state}")
    period = period_of(session, agreement, period_start, today)
    _check_slot(session, agreement, period, correcting)
    rows = session.exec(
        select(Product.id, Product.category).where(Product.agreement_id == agreement.id)
    ).all()
    terms, payment = royalty_terms_of(session, agreement)
    return Target(agreement, period, {pid: cat for pid, cat in rows if pid}, terms, payment)


def _check_slot(
    session: Session,
    agreement: LicenceAgreement,
    period: tuple[date, date],
    correcting: UsageReport | None,
) -> None:
    """One current report per period; periods of a year are charged in chronological order
    (tiers, allowance and caps run through the year), so nothing may precede a charged one."""
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
    ).all()
    for other in current:
        if correcting is not None and other.id == correcting.id:
            continue
        if other.agreement_id == agreement.id and other.period_start == start:
            raise Conflict(f"report {other.id} already covers this period; send a correction")
        if other.period_start < end:
            raise Conflict(f"the period overlaps report {other.id} [{other.period_start}, ...)")
        raise Conflict(
            f"report {other.id} for the later period starting {other.period_start} is already "
            "charged; reports of a year are charged in chronological order"
        )


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


def json_rows(lines: list[UsageLineIn], target: Target) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for index, line in enumerate(lines):
        row = {"line_no": index + 1, **line.model_dump()}
        for column, message in check_line(row, target):
            errors.append(FieldError(message=message, field=f"lines[{index}].{column}"))
        rows.append(row)
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) found; nothing was stored", errors)
    return rows


def check_currency(currency: str | None, target: Target) -> None:
    if currency is not None and currency.upper() != target.terms.currency:
        raise InvalidInput.field(
            "currency", f"reports are in the pool's currency, {target.terms.currency}"
        )


def content_hash(period_start: date, rows: list[dict[str, Any]]) -> str:
    text = json.dumps({"period_start": period_start.isoformat(), "lines": rows}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def accept(
    session: Session,
    *,
    principal: Principal,
    target: Target,
    rows: list[dict[str, Any]],
    content_sha256: str,
    now: datetime,
    supersedes: UsageReport | None = None,
) -> ReportReceipt:
    """Charge first (so a report contracts refuses writes nothing), then store and invoice."""
    agreement = target.agreement
    result = None
    if rows:
        inputs = invoices.RoyaltyInputs(
            target.terms,
            invoices.profile_of(session, agreement),
            invoices.coverage_of(session, agreement.pool_id),
        )
        ytd = invoices.year_to_date(session, agreement, target.period[0], inputs)
        result = invoices.charge(inputs, period=target.period, lines=rows, ytd=ytd)
    report = _store(session, principal, target, rows, content_sha256, supersedes, now)
    invoice = None
    if result is not None:
        invoice = invoices.issue(
            session,
            principal=principal,
            agreement=agreement,
            report=report,
            result=result,
            payment=target.payment,
            now=now,
        )
    return ReportReceipt.model_validate(
        {**report.model_dump(), "invoice_id": invoice and invoice.id}
    )


def _store(
    session: Session,
    principal: Principal,
    target: Target,
    rows: list[dict[str, Any]],
    content_sha256: str,
    supersedes: UsageReport | None,
    now: datetime,
) -> UsageReport:
    """The report row, its lines in one multi-row INSERT, and one audit event."""
    report = UsageReport(
        agreement_id=target.agreement.id or 0,
        licensee_organisation_id=target.agreement.licensee_organisation_id,
        period_start=target.period[0],
        period_end=target.period[1],
        is_nil=not rows,
        status=ReportStatus.ACCEPTED,
        supersedes_id=supersedes.id if supersedes else None,
        line_count=len(rows),
        units_total=sum(row["units"] for row in rows),
        net_sales_total_minor=sum(row["net_sales_minor"] for row in rows),
        content_sha256=content_sha256,
        submitted_by_user_id=principal.user_id,
        submitted_at=now,
    )
    session.add(report)
    session.flush()
    columns = ("report_id", "line_no", "product_id", "category", *invoices.LINE_FIELDS[1:])
    values = [(report.id, *(row[c] for c in columns[1:])) for row in rows]
    invoices.insert_rows(session, "usage_report_line", columns, values)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="usage_report.corrected" if supersedes else "usage_report.accepted",
        entity_type="usage_report",
        entity_id=report.id,
        pool_id=target.agreement.pool_id,
        after=snapshot(report),
        now=now,
    )
    return report


def submit(
    session: Session,
    *,
    principal: Principal,
    agreement_id: int,
    data: UsageReportCreate | NilReportCreate,
    now: datetime,
) -> ReportReceipt:
    """A JSON report, or a nil report (`NilReportCreate`: nothing made or sold)."""
    found = target(
        session,
        principal=principal,
        agreement_id=agreement_id,
        period_start=data.period_start,
        today=now.date(),
    )
    rows: list[dict[str, Any]] = []
    if isinstance(data, UsageReportCreate):
        check_currency(data.currency, found)
        rows = json_rows(data.lines, found)
    digest = content_hash(data.period_start, rows)
    return accept(
        session, principal=principal, target=found, rows=rows, content_sha256=digest, now=now
    )


def correct(
    session: Session,
    *,
    principal: Principal,
    report_id: int,
    data: UsageReportCorrection,
    now: datetime,
) -> ReportReceipt:
    """Supersede the period's current report: the old one is kept (`superseded`), its invoice
    cancelled and reversed in the ledger, and the new report charged and invoiced afresh."""
    old = _visible(session, principal, report_id)
    found = target(
        session,
        principal=principal,
        agreement_id=old.agreement_id,
        period_start=old.period_start,
        today=now.date(),
        correcting=old,
    )
    if old.status != ReportStatus.ACCEPTED:
        raise Conflict(f"report {old.id} is {old.status}; correct the current report instead")
    check_currency(data.currency, found)
    rows = json_rows(data.lines, found)
    before = snapshot(old)
    old.status = ReportStatus.SUPERSEDED
    session.add(old)
    session.flush()  # frees the period's "current report" slot (partial unique index)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="usage_report.superseded",
        entity_type="usage_report",
        entity_id=old.id,
        pool_id=found.agreement.pool_id,
        before=before,
        after=snapshot(old),
        now=now,
    )
    invoices.cancel_for_report(
        session, principal=principal, report_id=old.id or 0, reason="report corrected", now=now
    )
    digest = content_hash(old.period_start, rows)
    return accept(
        session,
        principal=principal,
        target=found,
        rows=rows,
        content_sha256=digest,
        supersedes=old,
        now=now,
    )


def _scoped(principal: Principal) -> Any:
    """Staff see every report; a licensee its own organisation's; contributors none."""
    query = select(UsageReport)
    if principal.sees_everything:
        return query
    if principal.role != Role.LICENSEE:
        return query.where(col(UsageReport.id).is_(None))
    return query.where(UsageReport.licensee_organisation_id == principal.organisation_id)


def _visible(session: Session, principal: Principal, report_id: int) -> UsageReport:
    report: UsageReport | None = session.exec(
        _scoped(principal).where(UsageReport.id == report_id)
    ).first()
    if report is None:
        raise NotFound("report not found")
    return report


def listing(
    session: Session,
    *,
    principal: Principal,
    agreement_id: int | None,
    status: ReportStatus | None,
    limit: int,
    offset: int,
) -> Page[UsageReportRead]:
    query = _scoped(principal).order_by(col(UsageReport.id))
    if agreement_id is not None:
        query = query.where(UsageReport.agreement_id == agreement_id)
    if status is not None:
        query = query.where(UsageReport.status == status)
    return paginate(
        session, query, limit=limit, offset=offset, convert=UsageReportRead.model_validate
    )


def get(session: Session, *, principal: Principal, report_id: int) -> UsageReportDetail:
    report = _visible(session, principal, report_id)
    lines = session.exec(
        select(UsageReportLine)
        .where(UsageReportLine.report_id == report_id)
        .order_by(col(UsageReportLine.line_no))
    ).all()
    invoice_id = session.exec(select(Invoice.id).where(Invoice.report_id == report_id)).first()
    return UsageReportDetail.model_validate(
        {
            **report.model_dump(),
            "invoice_id": invoice_id,
            "lines": [UsageReportLineRead.model_validate(line) for line in lines],
        }
    )
