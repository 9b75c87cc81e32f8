"""Usage reports: submission (JSON or nil), corrections that supersede, and reading them back.

A report is checked completely before anything is written: the agreement is the caller's and
active, the period is one of the pool's cadence and touches the agreement's term, every line
names a registered product of that agreement, and `contracts` can charge it. Then the report,
its lines, the audit events and the invoice are written in the request's one transaction.
"""

import functools
import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, NotFound
from pool.models.billing import Invoice, InvoiceStatus
from pool.models.reporting import (
    NilReportCreate,
    ReportReceipt,
    ReportStatus,
    UsageReport,
    UsageReportCorrection,
    UsageReportCreate,
    UsageReportDetail,
    UsageReportLine,
    UsageReportLineRead,
    UsageReportRead,
)
from pool.models.user import Role
from pool.services import audit, charging, invoices, report_checks, settlement
from pool.services.pages import Page, paginate
from pool.services.report_checks import Target
from pool.services.snapshot import snapshot

REPORT_LINE_COLUMNS = ("report_id", "line_no", "product_id", *charging.LINE_FIELDS)


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
        inputs = charging.RoyaltyInputs(
            target.terms,
            functools.partial(charging.profile_of, session, agreement),
            charging.coverage_of(session, agreement.pool_id),
        )
        ytd = charging.year_to_date(session, agreement, target.period[0], inputs)
        result = charging.charge(inputs, period=target.period, lines=rows, ytd=ytd)
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
    values = [(report.id, *(row[c] for c in REPORT_LINE_COLUMNS[1:])) for row in rows]
    charging.insert_rows(session, "usage_report_line", REPORT_LINE_COLUMNS, values)
    action = "usage_report.corrected" if supersedes else "usage_report.accepted"
    _audit(session, principal, report, action, (target.agreement.pool_id, None), now)
    return report


def _audit(
    session: Session,
    principal: Principal,
    report: UsageReport,
    action: str,
    pool_and_before: tuple[int, dict[str, Any] | None],
    now: datetime,
) -> None:
    pool_id, before = pool_and_before
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=action,
        entity_type="usage_report",
        entity_id=report.id,
        pool_id=pool_id,
        before=before,
        after=snapshot(report),
        now=now,
    )


def submit(
    session: Session,
    *,
    principal: Principal,
    agreement_id: int,
    data: UsageReportCreate | NilReportCreate,
    now: datetime,
) -> ReportReceipt:
    """A JSON report, or a nil report (`NilReportCreate`: nothing made or sold)."""
    found = report_checks.target(
        session,
        principal=principal,
        agreement_id=agreement_id,
        period_start=data.period_start,
        today=now.date(),
    )
    rows: list[dict[str, Any]] = []
    if isinstance(data, UsageReportCreate):
        report_checks.check_currency(data.currency, found)
        rows = report_checks.json_rows(data.lines, found)
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
    cancelled and reversed in the ledger, payments on it released as credit, and the new
    report charged and invoiced afresh, settled from that credit first."""
    old = _visible(session, principal, report_id)
    found = report_checks.target(
        session,
        principal=principal,
        agreement_id=old.agreement_id,
        period_start=old.period_start,
        today=now.date(),
        correcting=old,
    )
    if old.status != ReportStatus.ACCEPTED:
        raise Conflict(f"report {old.id} is {old.status}; correct the current report instead")
    report_checks.check_currency(data.currency, found)
    rows = report_checks.json_rows(data.lines, found)
    _supersede(session, principal, old, found.agreement.pool_id, now)
    receipt = accept(
        session,
        principal=principal,
        target=found,
        rows=rows,
        content_sha256=content_hash(old.period_start, rows),
        supersedes=old,
        now=now,
    )
    # the new invoice took its share of the released payments; after a nil correction the
    # credit settles whatever else the licensee owes (oldest first)
    pool_id, licensee = found.agreement.pool_id, old.licensee_organisation_id
    settlement.apply_credit(session, pool_id=pool_id, licensee_organisation_id=licensee, now=now)
    return receipt


def _supersede(
    session: Session, principal: Principal, old: UsageReport, pool_id: int, now: datetime
) -> None:
    """Keep the old report as `superseded` and cancel (and reverse) the invoice issued on it."""
    before = snapshot(old)
    old.status = ReportStatus.SUPERSEDED
    session.add(old)
    session.flush()  # frees the period's "current report" slot (partial unique index)
    _audit(session, principal, old, "usage_report.superseded", (pool_id, before), now)
    invoices.cancel_for_report(
        session, principal=principal, report_id=old.id or 0, reason="report corrected", now=now
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
    # the live invoice, else the latest cancelled one (a superseded report's)
    invoice_id = session.exec(
        select(Invoice.id)
        .where(Invoice.report_id == report_id)
        .order_by(col(Invoice.status) == InvoiceStatus.CANCELLED, col(Invoice.id).desc())
    ).first()
    return UsageReportDetail.model_validate(
        {
            **report.model_dump(),
            "invoice_id": invoice_id,
            "lines": [UsageReportLineRead.model_validate(line) for line in lines],
        }
    )
