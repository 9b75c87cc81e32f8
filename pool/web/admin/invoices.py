"""Every licensee's invoices for administrators and auditors (issue 17): searched by licensee
or invoice number, narrowed by state (`not_yet_due`, `due`, `overdue`, `paid`,
`written_off`: the licensee position service's, as of today), pool and year of issue, sorted by
due date, amount, licensee or issue date, paged and exported (`?format=csv`)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.services.billing.position import listing as invoice_lists
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, major_units, read_list
from pool.web.pages import page

STATE_LABELS = {  # the position's states, as the administrator reads them
    "not_yet_due": N_("Not yet due"),
    "awaiting_threshold": N_("Deferred until the licensee's net sales reach the threshold"),
    "due": N_("Due today"),
    "overdue": N_("Overdue"),
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
LIST = ListSpec(
    filters=(
        Filter("status", "choice", tuple(invoice_lists.STATES)),
        Filter("pool", "id"),
        Filter("year", "year"),
        Filter("kind", "choice", invoice_lists.KINDS),
    ),
    sorts=tuple(invoice_lists.SORTS),
    default_sort=invoice_lists.DEFAULT_SORT,
)
CSV_HEADER = (
    "invoice", "number", "licensee", "pool", "kind", "usage_start", "usage_end", "issued_on",
    "due_on", "state", "currency", "total", "paid", "outstanding", "overdue", "interest",
    "days_late",
)  # fmt: skip


def _csv(rows: Iterable[invoice_lists.InvoiceRow], now: datetime) -> Stream:
    return csv_response("invoices", now.date(), CSV_HEADER, (
        (r.id, r.number, r.licensee, r.pool, r.fee_kind or r.kind, r.usage_start, r.usage_end,
         r.issued_on, r.due_on, r.state, r.currency, major_units(r.total_minor, r.currency),
         major_units(r.paid_minor, r.currency), major_units(r.outstanding_minor, r.currency),
         major_units(r.overdue_minor, r.currency), major_units(r.interest_minor, r.currency),
         r.days_late)
        for r in rows
    ))  # fmt: skip


class AdminInvoicesController(Controller):
    path = "/admin/invoices"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def invoice_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Invoices of every licensee (`q`, `status`, `pool`, `year`, `sort`, `page`,
        `format=csv`), newest first, each with its position today."""
        lst = read_list(request, LIST)
        if lst.csv:
            rows = invoice_lists.admin_export(db, principal=staff, spec=lst.query, as_of=now.date())
            return _csv(rows, now)
        found = invoice_lists.admin_listing(db, principal=staff, spec=lst.query, as_of=now.date())
        _, pool_choices = av.chosen_pool(db, None)
        years = [(str(y), str(y)) for y in range(now.year + 1, now.year - 10, -1)]
        return page(
            request, "web/admin/invoices.html.j2", staff, lst=lst, invoices=found,
            states=[(s, STATE_LABELS[s]) for s in invoice_lists.STATES],
            state_label=STATE_LABELS, pool_choices=pool_choices, years=years,
            kinds=[(k, INVOICE_KIND_LABELS[k]) for k in invoice_lists.KINDS],
            kind_label=INVOICE_KIND_LABELS,
        )  # fmt: skip
