"""Every payment received, for administrators and auditors (issue 17): searched by reference
or licensee, narrowed by licensee, pool, the days received and whether it is all allocated or
some is kept as credit, sorted by day or amount, paged and exported (`?format=csv`, amounts in
major units next to the currency). Recording and confirming payments stays on
`/admin/payments`."""

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.services.billing.registers import payment_lists
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, major_units, read_list
from pool.web.pages import page

KIND_LABELS = {
    "allocated": N_("All allocated to invoices"),
    "credit": N_("Some kept as credit"),
}
LIST = ListSpec(
    filters=(
        Filter("licensee", "id"),
        Filter("pool", "id"),
        Filter("from", "day"),
        Filter("to", "day"),
        Filter("kind", "choice", payment_lists.KINDS),
    ),
    sorts=tuple(payment_lists.SORTS),
    default_sort=payment_lists.DEFAULT_SORT,
)
CSV_HEADER = (
    "payment", "received_on", "licensee", "pool", "reference", "currency", "amount",
    "allocated", "credit_left",
)  # fmt: skip


def _csv(rows: list[payment_lists.PaymentRow], now: datetime) -> Stream:
    return csv_response("payments", now.date(), CSV_HEADER, (
        (r.id, r.received_on, r.licensee, r.pool, r.reference, r.currency,
         major_units(r.amount_minor, r.currency), major_units(r.allocated_minor, r.currency),
         major_units(r.credit_left_minor, r.currency))
        for r in rows
    ))  # fmt: skip


class AdminPaymentListController(Controller):
    path = "/admin/payments/received"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def payment_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Payments of every pool (`q`, `licensee`, `pool`, `from`, `to`, `kind`, `sort`,
        `page`, `format=csv`), latest received first."""
        lst = read_list(request, LIST)
        found = payment_lists.admin_listing(db, principal=staff, spec=lst.query)
        if lst.csv:
            return _csv(found.items, now)
        chosen = lst.query.filter("licensee")
        _, pool_choices = av.chosen_pool(db, None)
        return page(
            request, "web/admin/payment_list.html.j2", staff, lst=lst, payments=found,
            kinds=list(KIND_LABELS.items()), pool_choices=pool_choices,
            licensee=av.names(db, staff, {int(chosen)}) if chosen else {},
        )  # fmt: skip
