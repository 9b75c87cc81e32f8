"""The page of a background task: a progress bar that polls, then the result or the refusal.

A form that starts a long action calls `start(...)` and answers with `started(task_id)`: a
303 to `/tasks/{id}`. That page shows `<progress>` and the current step, and htmx polls
`/tasks/{id}/progress` every second (without JavaScript a `<meta http-equiv="refresh">` in a
`<noscript>` reloads the page). When the task has succeeded the fragment answers with an
`HX-Redirect` to the result (the page links to it too); when it failed, the fragment shows the
readable error, the faults (a CSV's bad lines as the report form shows them) and the way
back to the form. Only the user who started a task sees it (others: 404)."""

from dataclasses import dataclass, field
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.models.task import TaskStatus
from pool.rendering import kept_message
from pool.services import tasks
from pool.services.tasks import progress
from pool.web.csv_faults import CsvFaults, faults_from
from pool.web.i18n import N_
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

POLL_SECONDS = 1
STEPS = {
    progress.STARTING: N_("Waiting to start"),
    progress.ALLOCATING: N_("Allocating usage period %(done)s of %(total)s"),
    progress.CHECKING_LINES: N_("Checking line %(done)s of %(total)s"),
    progress.CHARGING: N_("Charging and saving %(total)s lines"),
    progress.IMPORTING: N_("Checking and saving %(total)s patents"),
}
TITLES = {
    "period_close": N_("Closing a period"),
    "report_import": N_("Importing a usage report"),
    "patent_import": N_("Importing patents"),
}
STATUS_LABELS = {
    TaskStatus.QUEUED: N_("Waiting"),
    TaskStatus.RUNNING: N_("Running"),
    TaskStatus.SUCCEEDED: N_("Done"),
    TaskStatus.FAILED: N_("Failed"),
}
RUNNER_ERRORS = (  # the runner's own messages (`tasks.INTERRUPTED`, `tasks.UNEXPECTED`)
    N_("interrupted by a restart; nothing was saved"),
    N_("an unexpected error stopped the task; nothing was saved"),
)


def runner(request: Request[Any, Any, Any]) -> tasks.TaskRunner:
    """The app's worker pool (created on startup, see `pool.web.portal`)."""
    found: tasks.TaskRunner = request.app.state.tasks
    return found


def started(task_id: int) -> Redirect:
    """After a form started a task: its progress page (303, so a reload never posts twice)."""
    return redirect(f"/tasks/{task_id}")


@dataclass(frozen=True)
class Fault:
    """One fault of a refused task: a CSV line (the header is 1) and column, or a field."""

    line: int | None
    where: str
    message: str


@dataclass(frozen=True)
class TaskView:
    """A task laid out for its page; texts are msgids the template translates."""

    state: tasks.TaskState
    title: str
    status_label: str
    step: str
    href: str  # the result, once succeeded
    back: str  # the form it came from
    faults: list[Fault] = field(default_factory=list)
    csv: CsvFaults | None = None

    @property
    def error(self) -> str:
        return error_of(self.state)

    @property
    def reference(self) -> str:
        return str(self.state.result.get("reference", ""))


def view_of(state: tasks.TaskState) -> TaskView:
    result, inputs = state.result, state.result.get("input", {})
    raw_faults = [fault_of(item) for item in result.get("faults", [])]
    csv = faults_from(result["csv"], result.get("faults", [])) if "csv" in result else None
    return TaskView(
        state=state,
        title=TITLES.get(state.kind, state.kind),
        status_label=STATUS_LABELS[state.status],
        step=STEPS.get(state.step, state.step),
        href=str(result.get("href", "")),
        back=back_to(str(inputs.get("back", "/")), state.id),
        faults=[] if csv else raw_faults,
        csv=csv,
    )


def back_to(form: str, task_id: int) -> str:
    """The form the task came from; `task=` lets it show the task's faults again."""
    return f"{form}{'&' if '?' in form else '?'}task={task_id}"


def fault_of(item: dict[str, Any]) -> Fault:
    line = item.get("line")
    where = item.get("column") or item.get("field") or ""
    return Fault(int(line) if line is not None else None, str(where), kept_message(item))


def form_errors(state: tasks.TaskState) -> FormErrors:
    """A failed task's refusal as its form shows it (as `FormErrors.of` would have)."""
    if state.status != TaskStatus.FAILED:
        return NO_ERRORS
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    for fault in state.result.get("faults", []):
        name, message = fault.get("field"), kept_message(fault)
        if name and fault.get("line") is None:
            fields.setdefault(str(name).split(".")[0], []).append(message)
        else:
            general.append(message)
    return FormErrors(fields=fields, general=general or [error_of(state)])


def error_of(state: tasks.TaskState) -> str:
    """The refusal's summary, as a phrase when the service gave one."""
    if "error_phrase" in state.result:
        return kept_message(state.result, "error")
    return state.error or ""


class TasksController(Controller):
    path = "/tasks"
    include_in_schema = False

    @get("/{task_id:int}", sync_to_thread=True)
    def task(
        self,
        request: Request[Any, Any, Any],
        task_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[str]:
        """A task's progress page (polls while it runs)."""
        state = runner(request).state(db, principal=principal, task_id=task_id)
        return page(request, "web/task.html.j2", principal, task=view_of(state), poll=POLL_SECONDS)

    @get("/{task_id:int}/progress", sync_to_thread=True)
    def fragment(
        self,
        request: Request[Any, Any, Any],
        task_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[str]:
        """What htmx polls: the progress, or, once it succeeded, a redirect to the result."""
        view = view_of(runner(request).state(db, principal=principal, task_id=task_id))
        done = view.state.status == TaskStatus.SUCCEEDED and view.href
        return page(
            request,
            "web/task_progress.html.j2",
            principal,
            task=view,
            headers={"HX-Redirect": view.href} if done else None,
        )
