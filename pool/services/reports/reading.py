"""Reading usage reports back: who sees which (staff every report, a licensee its own
organisation's, contributors none), the listing and one report with its lines and invoice."""

from typing import Any

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.billing import Invoice, InvoiceStatus
from pool.models.reporting import (
    ReportStatus,
    UsageReport,
    UsageReportDetail,
    UsageReportLine,
    UsageReportLineRead,
    UsageReportRead,
)
from pool.models.user import Role
from pool.services.common.pages import Page, paginate


def _scoped(principal: Principal) -> Any:
    """Staff see every report; a licensee its own organisation's; contributors none."""
    query = select(UsageReport)
    if principal.sees_everything:
        return query
    if principal.role != Role.LICENSEE:
        return query.where(col(UsageReport.id).is_(None))
    return query.where(UsageReport.licensee_organisation_id == principal.organisation_id)


def visible(session: Session, principal: Principal, report_id: int) -> UsageReport:
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
    report = visible(session, principal, report_id)
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
