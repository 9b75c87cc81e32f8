"""Lists for administrators and auditors: the audit log with its filters and usage reports.
(Agreements and memberships, with their forms: `agreements.py`, `members.py`.)"""

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.services import audit, reports
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.i18n import N_
from pool.web.pages import page

PER_PAGE = 50
PageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=100_000)]
Text = Annotated[str | None, QueryParameter(max_length=100)]
# Days as text: the filter form sends an empty field as `from=`, which means no bound.
From = Annotated[str | None, QueryParameter(name="from", max_length=10)]
To = Annotated[str | None, QueryParameter(name="to", max_length=10)]
NOT_A_DAY = N_("enter a date")
ENTITY_TYPES = (
    "patent",
    "membership",
    "organisation",
    "agreement",
    "usage_report",
    "invoice",
    "payment",
    "distribution_run",
    "statement",
    "pool",
    "user",
)
STATE_LABELS = {
    "draft": N_("Draft"),
    "active": N_("Active"),
    "suspended": N_("Suspended"),
    "terminated": N_("Terminated"),
    "expired": N_("Expired"),
}


def _optional_day(value: str | None, field: str) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.field(field, NOT_A_DAY) from None


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
        entity_type: Text = None,
        action: Text = None,
        entity_id: Text = None,
        occurred_from: From = None,
        occurred_to: To = None,
        page_: PageNumber = 1,
    ) -> Response[str]:
        """The append-only audit log, newest first, filtered by entity type, id, action and
        the UTC days [from, to)."""
        start, end = _optional_day(occurred_from, "from"), _optional_day(occurred_to, "to")
        found = audit.listing(
            db,
            principal=staff,
            entity_type=entity_type or None,
            entity_id=entity_id or None,
            pool_id=None,
            action=action or None,
            actor_user_id=None,
            limit=PER_PAGE,
            offset=(page_ - 1) * PER_PAGE,
            occurred_from=start,
            occurred_to=end,
        )
        return page(
            request, "web/admin/audit.html.j2", staff,
            events=found, entity_types=ENTITY_TYPES, entity_type=entity_type or "",
            action=action or "", entity_id=entity_id or "",
            occurred_from=start.isoformat() if start else "",
            occurred_to=end.isoformat() if end else "",
            **pager(page_, found.total),
        )  # fmt: skip

    @get("/reports", sync_to_thread=True)
    def report_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        page_: PageNumber = 1,
    ) -> Response[str]:
        """Usage reports of every pool, as submitted (a correction supersedes a report)."""
        found = reports.listing(
            db, principal=staff, agreement_id=None, status=None,
            limit=PER_PAGE, offset=(page_ - 1) * PER_PAGE,
        )  # fmt: skip
        licensees = av.names(db, staff, {r.licensee_organisation_id for r in found.items})
        return page(
            request, "web/admin/reports.html.j2", staff,
            reports=found, licensees=licensees, **pager(page_, found.total),
        )  # fmt: skip
