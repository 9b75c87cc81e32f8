"""A pool's licensees for administrators and auditors (issue 17): searched by name or USCC,
narrowed by size class, country, agreement state and standing (good, overdue), sorted by name,
size, amount invoiced or still owed, paged and exported (`?format=csv`, amounts in major units
next to the pool's currency). The pool is `?pool=` (the first pool by default), kept in every
link."""

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.models.organisation import SizeClass
from pool.services.billing.registers import licensee_lists
from pool.web.admin import views as av
from pool.web.admin.audit import STATE_LABELS
from pool.web.admin.dashboard import PoolChoice, staff_only
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, major_units, read_list
from pool.web.pages import page

STANDING_LABELS = {"good": N_("In good standing"), "overdue": N_("Overdue")}
LIST = ListSpec(
    filters=(
        Filter("size", "choice", tuple(size.value for size in SizeClass)),
        Filter("country", "text"),
        Filter("state", "choice", tuple(STATE_LABELS)),
        Filter("standing", "choice", licensee_lists.STANDINGS),
    ),
    sorts=licensee_lists.SORT_KEYS,
    default_sort="name",
)
CSV_HEADER = (
    "organisation", "name", "uscc", "size_class", "country", "agreement_states",
    "currency", "invoiced", "owed", "overdue", "missing_reports",
)  # fmt: skip


def _csv(rows: list[licensee_lists.LicenseeRow], now: datetime) -> Stream:
    return csv_response("licensees", now.date(), CSV_HEADER, (
        (r.id, r.name, r.uscc, r.size_class, r.country, " ".join(r.states), r.currency,
         major_units(r.invoiced_minor, r.currency), major_units(r.owed_minor, r.currency),
         "yes" if r.overdue else "no", r.missing_reports)
        for r in rows
    ))  # fmt: skip


class AdminLicenseesController(Controller):
    path = "/admin/licensees"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def licensee_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
    ) -> Response[Any]:
        """The pool's licensees (`pool`, `q`, `size`, `country`, `state`, `standing`, `sort`,
        `page`, `format=csv`) by name, with what they were invoiced and still owe."""
        pool, choices = av.chosen_pool(db, pool_id)
        lst = read_list(request, LIST, extra={"pool": str(pool.id)} if pool else None)
        if pool is None:
            return page(request, "web/admin/licensees.html.j2", staff, pool=None, lst=lst)
        found = licensee_lists.admin_listing(
            db, principal=staff, pool=pool, spec=lst.query, today=now.date()
        )
        if lst.csv:
            return _csv(found.items, now)
        return page(
            request, "web/admin/licensees.html.j2", staff, pool=pool, choices=choices, lst=lst,
            licensees=found, size_label=av.SIZE_LABELS, state_label=STATE_LABELS,
            sizes=[(s.value, av.SIZE_LABELS[s.value]) for s in SizeClass],
            states=list(STATE_LABELS.items()), standings=list(STANDING_LABELS.items()),
        )  # fmt: skip
