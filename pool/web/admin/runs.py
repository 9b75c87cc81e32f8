"""Distribution runs for administrators: the runs of a pool (issue 17: narrowed by status and
year, sorted by period, paged, CSV) and closing a period by hand. The issued statements are
`registers/statements.py`. One run's page (its split, its comparison with the previous
run, approval, issuing its statements) is `run_page`. Auditors read the same pages without the
forms."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID
from pool.errors import DomainError, InvalidInput
from pool.models.distribution import DistributionRunRead
from pool.models.integers import id_from_text
from pool.services import tasks
from pool.services.common.pages import Page
from pool.services.distribution import period_close, run_lists
from pool.services.distribution import periods as distribution_periods
from pool.services.distribution import runs as distribution_runs
from pool.services.tasks.progress import Progress
from pool.unit_of_work import OWN_COMMIT_FIRST, FormRefusal
from pool.web.account import tasks as web_tasks
from pool.web.admin import views as av
from pool.web.admin.dashboard import PoolChoice, staff_only
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, major_units, read_list
from pool.web.pages import NO_ERRORS, FormErrors, page

PER_PAGE = 50
PageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=100_000)]
TaskChoice = Annotated[int | None, QueryParameter(name="task", ge=1, le=MAX_ID)]
NOT_A_DAY = N_("enter a date")
ONE_DAY = timedelta(days=1)


@dataclass
class CloseForm:
    pool_id: str = ""
    period_start: str = ""


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput.field(field, NOT_A_DAY) from None


def _pool_id(value: str) -> int:
    pool_id = id_from_text(value)  # 2^63 raised OverflowError in the driver (issue 13)
    if pool_id is None:
        raise InvalidInput.field("pool_id", "pool not found")
    return pool_id


def close_action(staff: Principal, pool_id: int, start: date, now: datetime) -> tasks.Action:
    """The period close a background task runs (one transaction, as in a request)."""

    def close(session: Session, progress: Progress) -> dict[str, Any]:
        run = distribution_runs.compute_for(
            session, principal=staff, pool_id=pool_id, period_start=start, now=now,
            progress=progress,
        )  # fmt: skip
        return {"run_id": run.id, "href": f"/admin/runs/{run.id}"}

    return close


RUN_LIST = ListSpec(
    filters=(Filter("status", "choice", run_lists.STATUSES), Filter("year", "year")),
    sorts=tuple(run_lists.SORTS),
    default_sort=run_lists.DEFAULT_SORT,
)
RUN_CSV_HEADER = (
    "run", "period_start", "period_last_day", "status", "currency", "received", "admin_fee",
    "distributable", "withholding", "net_payable", "computed_at", "approved_at",
)  # fmt: skip


def _runs_csv(runs: list[DistributionRunRead], today: date) -> Response[Any]:
    """The runs listed, each period by its first and last day, amounts in major units."""
    return csv_response("runs", today, RUN_CSV_HEADER, (
        (r.id, r.period_start, r.period_end - ONE_DAY, r.status, r.currency,
         *(major_units(amount, r.currency) for amount in (
             r.received_minor, r.admin_fee_minor, r.distributable_minor, r.withholding_minor,
             r.net_payable_minor)),
         r.computed_at.isoformat(), r.approved_at.isoformat() if r.approved_at else "")
        for r in runs
    ))  # fmt: skip


class AdminRunsController(Controller):
    path = "/admin"
    include_in_schema = False
    dependencies = staff_only()

    def _runs(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        staff: Principal,
        pool_id: int | None,
        today: date,
        *,
        errors: FormErrors = NO_ERRORS,
        status: int = 200,
        period_start: str = "",
    ) -> Response[Any]:
        pool, choices = av.chosen_pool(db, pool_id)
        lst = read_list(request, RUN_LIST, extra={"pool": str(pool.id)} if pool else None)
        found, suggested = Page[DistributionRunRead](items=[], total=0, limit=0, offset=0), None
        if pool is not None and pool.id is not None:
            found = run_lists.listing(db, principal=staff, pool_id=pool.id, spec=lst.query)
            suggested = period_close.next_period(db, pool)
        runs = found.items
        if lst.csv:
            return _runs_csv(runs, today)
        return page(
            request,
            "web/admin/runs.html.j2",
            staff,
            status=status,
            pool=pool,
            choices=choices,
            runs=runs,
            lst=lst,
            total=found.total,
            statuses=list(av.RUN_STATUS_LABELS.items()),
            years=[(str(y), str(y)) for y in range(today.year, today.year - 10, -1)],
            last_day={run.id: run.period_end - ONE_DAY for run in runs},
            status_label=av.RUN_STATUS_LABELS,
            period_start=period_start or (suggested[0].isoformat() if suggested else ""),
            errors=errors,
        )

    @get("/runs", sync_to_thread=True)
    def runs(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
        task: TaskChoice = None,
    ) -> Response[Any]:
        """A pool's distribution runs, newest period first (`status`, `year`, `sort`, `page`,
        `format=csv`), and the form to close a period (with the refusal of a failed close,
        `?task=`)."""
        if task is None:
            return self._runs(request, db, staff, pool_id, now.date())
        state = web_tasks.runner(request).state(db, principal=staff, task_id=task)
        return self._runs(
            request, db, staff, pool_id, now.date(), errors=web_tasks.form_errors(state),
            period_start=str(state.result.get("input", {}).get("period_start", "")),
        )  # fmt: skip

    @post("/runs", sync_to_thread=True, opt=OWN_COMMIT_FIRST)
    def close_period(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[CloseForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Close a statement period by hand: its draft run is computed (or computed again)
        by a background task; the answer is the task's progress page. What can be refused at
        once (not a statement period, not ended, out of order) is refused on the form."""
        pool_id = _pool_id(data.pool_id)
        try:
            staff.require_admin()
            start = _day(data.period_start, "period_start")
            distribution_periods.check_closable(
                db, pool_id=pool_id, period_start=start, today=now.date()
            )
        except DomainError as error:
            raise FormRefusal(partial(
                self._runs, request, db, staff, pool_id, now.date(), errors=FormErrors.of(error),
                status=error.status_code, period_start=data.period_start,
            )) from error  # fmt: skip
        task_id = web_tasks.runner(request).start(
            kind="period_close",
            principal=staff,
            action=close_action(staff, pool_id, start, now),
            pool_id=pool_id,
            inputs={"back": f"/admin/runs?pool={pool_id}", "period_start": data.period_start},
        )
        return web_tasks.started(task_id)
