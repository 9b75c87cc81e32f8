"""Lists for administrators and auditors: the audit log (issue 17: filtered by action, actor,
object and days, each action in words with what it changed, paged, CSV). (Usage reports:
`registers/reports.py`.)
(Agreements and memberships, with their forms: `agreements.py`, `members.py`.)"""

import json
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.models.audit import AuditEventRead
from pool.services.audit import trail_lists as audit_listing
from pool.web.admin import audit_words as words
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, read_list
from pool.web.pages import page

PER_PAGE = 50
PageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=100_000)]
AUDIT_LIST = ListSpec(
    filters=(
        Filter("action", "text"),
        Filter("actor", "text"),
        Filter("entity_type", "text"),
        Filter("entity_id", "text"),
        Filter("pool", "id"),
        Filter("from", "day"),
        Filter("to", "day"),
    ),
    sorts=tuple(audit_listing.SORTS),
    default_sort=audit_listing.DEFAULT_SORT,
)
AUDIT_CSV_HEADER = (
    "event", "at", "actor", "action", "action_code", "entity_type", "entity_id", "pool",
    "before", "after", "hash",
)  # fmt: skip
STATE_LABELS = {
    "draft": N_("Draft"),
    "active": N_("Active"),
    "suspended": N_("Suspended"),
    "terminated": N_("Terminated"),
    "expired": N_("Expired"),
}


def _audit_csv(events: Iterable[AuditEventRead], now: datetime) -> Stream:
    """Every event as stored (before and after as JSON); the action also in English words."""
    dump = partial(json.dumps, ensure_ascii=False, sort_keys=True, default=str)
    return csv_response("audit", now.date(), AUDIT_CSV_HEADER, (
        (e.id, e.at.isoformat(), e.actor, words.ACTIONS.get(e.action, e.action), e.action,
         e.entity_type, e.entity_id, e.pool_id, dump(e.before) if e.before else "",
         dump(e.after) if e.after else "", e.hash)
        for e in events
    ))  # fmt: skip


def pager(page_number: int, total: int) -> dict[str, Any]:
    return {
        "page_number": page_number,
        "previous_page": page_number - 1 if page_number > 1 else None,
        "next_page": page_number + 1 if page_number * PER_PAGE < total else None,
    }


class AdminListsController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/audit", sync_to_thread=True)
    def audit_log(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The append-only audit log, newest first (`q`, `action`, `actor`, `entity_type`,
        `entity_id`, `pool`, the UTC days `from` and `to` (not included), `page`,
        `format=csv`); each action in words, with what it changed."""
        lst = read_list(request, AUDIT_LIST)
        if lst.csv:
            return _audit_csv(audit_listing.admin_export(db, principal=staff, spec=lst.query), now)
        found = audit_listing.admin_listing(db, principal=staff, spec=lst.query)
        _, pool_choices = av.chosen_pool(db, None)
        return page(
            request, "web/admin/audit.html.j2", staff, lst=lst, events=found,
            changes={e.id: words.changes(e) for e in found.items}, action_label=words.ACTIONS,
            object_label=words.OBJECTS, pool_choices=pool_choices,
            actions=sorted(words.ACTIONS.items()), objects=sorted(words.OBJECTS.items()),
        )  # fmt: skip
