"""Every licensee's usage reports for administrators (issue 17): searched by licensee name,
narrowed by licensee, agreement, period, status (`filed`: the current report; `late`: filed
after the period's report was due; `corrected`: a correction in force; `nil`: nothing sold;
`superseded`: replaced by a correction) and the day filed; sorted by period, day filed or
royalty (the report's live invoice), a page at a time or whole (CSV).

A report is late when it was filed (UTC day) after its due day, `REPORT_DUE_DAYS` after the
period ends (the reminders' rule). That compares two columns of the same row, so it is a
date sum in SQL, written for each database."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Date, and_, cast, func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.billing import Invoice, InvoiceStatus
from pool.models.organisation import Organisation
from pool.models.reporting import UsageReport
from pool.services.billing.reminders import REPORT_DUE_DAYS
from pool.services.common.listing import ListQuery, run
from pool.services.common.pages import Page

STATUSES = ("filed", "late", "corrected", "nil", "superseded")
SORTS: dict[str, list[Any]] = {
    "period": [col(UsageReport.period_start)],
    "filed": [col(UsageReport.submitted_at)],
    "royalty": [func.coalesce(Invoice.total_minor, 0)],
}
DEFAULT_SORT = "-filed"


class ReportRow(BaseModel):
    """A report, its licensee, and the royalty its live invoice asks (none: nil or not yet)."""

    id: int
    agreement_id: int
    licensee_organisation_id: int
    licensee: str
    period_start: date
    period_end: date  # not included
    period_last_day: date
    is_nil: bool
    status: str
    corrects: int | None
    late: bool
    units_total: int
    net_sales_total_minor: int
    submitted_at: datetime
    invoice_number: str | None
    currency: str | None
    royalty_minor: int | None


def _late(session: Session) -> Any:
    """Filed on a UTC day after the period's end plus `REPORT_DUE_DAYS`."""
    if session.get_bind().dialect.name == "postgresql":
        filed_day = cast(func.timezone("UTC", UsageReport.submitted_at), Date)
        return filed_day > col(UsageReport.period_end) + REPORT_DUE_DAYS
    # SQLite keeps UTC text: the day after the due day, at midnight, orders as text
    return col(UsageReport.submitted_at) >= func.date(
        UsageReport.period_end, f"+{REPORT_DUE_DAYS + 1} days"
    )


def _is_late(report: UsageReport) -> bool:
    due = report.period_end + timedelta(days=REPORT_DUE_DAYS)
    return report.submitted_at.astimezone(UTC).date() > due


def _row(report: UsageReport, licensee: str, invoice: Invoice | None) -> ReportRow:
    return ReportRow(
        **report.model_dump(include=set(ReportRow.model_fields)),
        licensee=licensee,
        period_last_day=report.period_end - timedelta(days=1),
        corrects=report.supersedes_id,
        late=_is_late(report),
        invoice_number=invoice.number if invoice else None,
        currency=invoice.currency if invoice else None,
        royalty_minor=invoice.total_minor if invoice else None,
    )


def _utc_midnight(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(), tzinfo=UTC)


def _narrowed(session: Session, query: Any, spec: ListQuery) -> Any:
    for name, column in (("licensee", UsageReport.licensee_organisation_id),
                         ("agreement", UsageReport.agreement_id)):  # fmt: skip
        if value := spec.filter(name):
            query = query.where(column == int(value))
    if period := spec.filter("period"):
        query = query.where(UsageReport.period_start == date.fromisoformat(period))
    if start := spec.filter("from"):
        query = query.where(col(UsageReport.submitted_at) >= _utc_midnight(start))
    if end := spec.filter("to"):  # the day itself included
        query = query.where(col(UsageReport.submitted_at) < _utc_midnight(end) + timedelta(days=1))
    status = spec.filter("status")
    current = col(UsageReport.status) == "accepted"
    wanted = {
        "filed": current,
        "late": and_(current, _late(session)),
        "corrected": and_(current, col(UsageReport.supersedes_id).is_not(None)),
        "nil": and_(current, col(UsageReport.is_nil).is_(True)),
        "superseded": col(UsageReport.status) == "superseded",
    }
    return query.where(wanted[status]) if status in wanted else query


def admin_listing(session: Session, *, principal: Principal, spec: ListQuery) -> Page[ReportRow]:
    """Every pool's usage reports for staff (filters: `licensee`, `agreement`, `period`
    (its first day), `status`, `from` and `to` (days filed, both included))."""
    principal.require_staff()
    live = and_(
        col(Invoice.report_id) == UsageReport.id, col(Invoice.status) != InvoiceStatus.CANCELLED
    )
    query = (
        select(UsageReport, Organisation.name, Invoice)
        .join(Organisation, col(Organisation.id) == UsageReport.licensee_organisation_id)
        .outerjoin(Invoice, live)
    )
    return run(
        session, _narrowed(session, query, spec), spec,
        search=[Organisation.name], sorts=SORTS, default=DEFAULT_SORT,
        tie_break=col(UsageReport.id), convert=lambda row: _row(row[0], row[1], row[2]),
    )  # fmt: skip


def periods(session: Session, *, principal: Principal) -> list[date]:
    """The periods reports were filed for, latest first (the period filter's choices)."""
    principal.require_staff()
    starts = col(UsageReport.period_start)
    return list(session.exec(select(starts).distinct().order_by(starts.desc())).all())
