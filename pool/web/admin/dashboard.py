"""The administrator's dashboard (its year and links: `overview`), and what every
administrator's page shares: the `staff` dependency and the `pool` and `done` query parameters.

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
from pool.web import views
from pool.web.admin import overview
from pool.web.admin import views as av
from pool.web.pages import page

PoolChoice = Annotated[int | None, QueryParameter(name="pool", ge=1, le=MAX_ID)]
Done = Annotated[str | None, QueryParameter(name="done", max_length=20)]
YearChoice = Annotated[str | None, QueryParameter(name="year", max_length=40)]


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
        year: YearChoice = None,
    ) -> Response[str]:
        """A pool's key figures in a year (`?year=`, else the latest year with data), its
        yearly figures against the year before and its review flags."""
        pool, choices = av.chosen_pool(db, pool_id)
        template = "web/admin/dashboard.html.j2"
        if pool is None or pool.id is None:
            return page(request, template, staff, pool=None, choices=choices)
        shown, errors = overview.dashboard(db, staff, now, pool, year)
        return page(
            request,
            template,
            staff,
            status=422 if errors else 200,
            pool=pool,
            choices=choices,
            errors=errors,
            flag_label=av.FLAG_LABELS,
            deal_kind_label=views.DEAL_KIND_LABELS,
            **shown,
        )
