"""Every licensee's usage reports for administrators and auditors (issue 17): searched by
licensee, narrowed by licensee, agreement, period, status (filed, late, corrected, nil,
superseded) and the days filed, sorted by period, day filed or royalty, paged and exported
(`?format=csv`, royalty in major units next to its currency)."""

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.services.reports import report_lists
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, major_units, read_list
from pool.web.pages import page

STATUS_LABELS = {
    "filed": N_("Filed (current)"),
    "late": N_("Filed late"),
    "corrected": N_("Corrected"),
    "nil": N_("Nil report"),
    "superseded": N_("Superseded"),
}
LIST = ListSpec(
    filters=(
        Filter("licensee", "id"),
        Filter("agreement", "id"),
        Filter("period", "day"),
        Filter("status", "choice", report_lists.STATUSES),
        Filter("from", "day"),
        Filter("to", "day"),
    ),
    sorts=tuple(report_lists.SORTS),
    default_sort=report_lists.DEFAULT_SORT,
)
CSV_HEADER = (
    "report", "licensee", "agreement", "period_start", "period_last_day", "status", "corrects",
    "nil", "late", "filed_at", "units", "invoice", "currency", "royalty",
)  # fmt: skip


def _status(row: report_lists.ReportRow) -> str:
    if row.status == "superseded":
        return "superseded"
    return "corrected" if row.corrects else "filed"


def _csv(rows: list[report_lists.ReportRow], now: datetime) -> Stream:
    return csv_response("reports", now.date(), CSV_HEADER, (
        (r.id, r.licensee, r.agreement_id, r.period_start, r.period_last_day, _status(r),
         r.corrects, "yes" if r.is_nil else "no", "yes" if r.late else "no",
         r.submitted_at.isoformat(), r.units_total, r.invoice_number, r.currency,
         major_units(r.royalty_minor, r.currency) if r.currency else "")
        for r in rows
    ))  # fmt: skip


class AdminReportsController(Controller):
    path = "/admin/reports"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def report_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Usage reports of every pool (`q`, `licensee`, `agreement`, `period`, `status`,
        `from`, `to`, `sort`, `page`, `format=csv`), latest filed first."""
        lst = read_list(request, LIST)
        found = report_lists.admin_listing(db, principal=staff, spec=lst.query)
        if lst.csv:
            return _csv(found.items, now)
        chosen = lst.query.filter("licensee")
        licensee = av.names(db, staff, {int(chosen)}) if chosen else {}
        periods = report_lists.periods(db, principal=staff)
        return page(
            request, "web/admin/reports.html.j2", staff, lst=lst, reports=found,
            statuses=list(STATUS_LABELS.items()), status_label=STATUS_LABELS,
            status_of=_status, licensee=licensee,
            periods=[(p.isoformat(), p.isoformat()) for p in periods],
        )  # fmt: skip
