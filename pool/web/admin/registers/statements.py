"""Issued statements for administrators and auditors (issue 17): searched by contributor or
serial, narrowed by pool, period, run and the state of each statement's e-mail, sorted by
period, contributor or net payable, paged and exported (`?format=csv`, amounts in major units
next to the currency). Each row opens the statement (`admin/statements.py`) and its stored
documents."""

from datetime import datetime, timedelta
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.services.statements import statement_lists
from pool.web.admin import outbox as outbox_pages
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, major_units, read_list
from pool.web.pages import page

ONE_DAY = timedelta(days=1)
MAIL_LABELS = {**outbox_pages.STATE_LABELS, "none": N_("No e-mail")}
LIST = ListSpec(
    filters=(
        Filter("pool", "id"),
        Filter("run", "id"),
        Filter("period", "day"),
        Filter("mail", "choice", statement_lists.MAIL_STATES),
    ),
    sorts=tuple(statement_lists.SORTS),
    default_sort=statement_lists.DEFAULT_SORT,
)
CSV_HEADER = (
    "statement", "serial", "contributor", "pool", "run", "period_start", "period_last_day",
    "currency", "gross", "adjustments", "withholding", "net_payable", "issued_at", "mail",
)  # fmt: skip


def csv_of(rows: list[statement_lists.StatementRow], now: datetime) -> Stream:
    """The statements as a CSV (the contributor's own list exports the same columns)."""
    return csv_response("statements", now.date(), CSV_HEADER, (
        (r.id, r.serial, r.contributor, r.pool_id, r.run_id, r.period_start,
         r.period_end - ONE_DAY,
         r.currency, major_units(r.gross_minor, r.currency),
         major_units(r.adjustments_minor, r.currency),
         major_units(r.withholding_minor, r.currency),
         major_units(r.net_payable_minor, r.currency), r.issued_at.isoformat(), r.mail or "none")
        for r in rows
    ))  # fmt: skip


class AdminStatementListController(Controller):
    path = "/admin/statements"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def statement_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Issued statements (`q`, `pool`, `run`, `period`, `mail`, `sort`, `page`,
        `format=csv`), latest period first, with their e-mail's state and documents."""
        lst = read_list(request, LIST)
        found = statement_lists.listing(db, principal=staff, spec=lst.query)
        if lst.csv:
            return csv_of(found.items, now)
        _, pool_choices = av.chosen_pool(db, None)
        periods = statement_lists.periods(db, principal=staff)
        return page(
            request, "web/admin/statements.html.j2", staff, lst=lst, statements=found,
            pool_choices=pool_choices, mail_label=MAIL_LABELS,
            mails=[(state, MAIL_LABELS[state]) for state in statement_lists.MAIL_STATES],
            periods=[(p.isoformat(), p.isoformat()) for p in periods],
            last_day={item.id: item.period_end - ONE_DAY for item in found.items},
        )  # fmt: skip
