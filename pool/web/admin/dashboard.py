"""The administrator's dashboard, and what every administrator's page shares: the `staff`
dependency and the `pool` and `done` query parameters.

Administrators and auditors (read only: no forms) see them; anyone else is told there is
nothing here (404), as the API's staff services answer. Patents and their evaluation are in
`patents.py`, distribution runs and statements in `runs.py`, the audit log in `audit.py`.
"""

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID
from pool.models.distribution import RunStatus
from pool.models.patent import PatentFilters, PatentStatus
from pool.services import figures, patents
from pool.services.billing import position
from pool.services.distribution import runs as distribution_runs
from pool.services.licensing import agreements
from pool.web.admin import views as av
from pool.web.pages import page

PoolChoice = Annotated[int | None, QueryParameter(name="pool", ge=1, le=MAX_ID)]
Done = Annotated[str | None, QueryParameter(name="done", max_length=20)]


def provide_staff(principal: NamedDependency[Principal]) -> Principal:
    """Administrators and auditors; anyone else gets 404, never a hint the page exists."""
    principal.require_staff()
    return principal


def staff_only() -> dict[str, Provide]:
    """The `staff` dependency, a fresh one for each controller (Litestar copies routers)."""
    return {"staff": Provide(provide_staff, sync_to_thread=False)}


class AdminController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def dashboard(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
    ) -> Response[str]:
        """A pool's key figures this year, its yearly figures and its review flags."""
        pool, choices = av.chosen_pool(db, pool_id)
        template = "web/admin/dashboard.html.j2"
        if pool is None or pool.id is None:
            return page(request, template, staff, pool=None, choices=choices)
        yearly = figures.yearly(db, principal=staff, pool_id=pool.id, year=now.year, now=now)
        overdue = position.overdue_for(db, principal=staff, pool_id=pool.id, as_of=now.date())
        waiting = [
            patents.listing(
                db,
                principal=staff,
                pool_id=pool.id,
                filters=PatentFilters(status=status),
                limit=1,
                offset=0,
            ).total
            for status in (PatentStatus.SUBMITTED, PatentStatus.UNDER_EVALUATION)
        ]
        drafts = distribution_runs.listing(
            db, principal=staff, pool_id=pool.id, status=RunStatus.DRAFT, limit=1, offset=0
        )
        filings = agreements.overdue_filings(db, principal=staff, now=now, limit=1, offset=0)
        return page(
            request,
            template,
            staff,
            pool=pool,
            choices=choices,
            figures=yearly,
            rows=av.figure_rows(yearly),
            target=yearly.target_growth_percent.scaleb(-2),
            in_force=av.in_force(db, staff, pool.id),
            overdue_count=len(overdue),
            overdue_minor=sum(item.outstanding_minor for item in overdue),
            waiting=sum(waiting),
            drafts=drafts.total,
            overdue_filings=filings.total,
            flag_label=av.FLAG_LABELS,
        )
