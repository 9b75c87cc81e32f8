"""The administrator's pages: the pool dashboard and the onboarding queue (evaluate a patent).

Administrators and auditors (read only: no forms) see them; anyone else is told there is
nothing here (404), as the API's staff services answer. Distribution runs and statements are
in `runs.py`, the audit log and the licensing lists in `audit.py`.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter, URLEncodedBody
from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID, PathId
from pool.errors import DomainError
from pool.models.patent import Grade, PatentAccept, PatentFilters, PatentReject, PatentStatus, Tier
from pool.models.pool import AllocationMethod
from pool.services import patents
from pool.services.patents import evaluation
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import overview
from pool.web.admin import views as av
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

PoolChoice = Annotated[int | None, QueryParameter(name="pool", ge=1, le=MAX_ID)]
Done = Annotated[str | None, QueryParameter(name="done", max_length=20)]
YearChoice = Annotated[str | None, QueryParameter(name="year", max_length=40)]
QUEUE_SIZE = 100
ACCEPT_FIELDS = {"grade", "tier", "admitted_on"}


def provide_staff(principal: NamedDependency[Principal]) -> Principal:
    """Administrators and auditors; anyone else gets 404, never a hint the page exists."""
    principal.require_staff()
    return principal


def staff_only() -> dict[str, Provide]:
    """The `staff` dependency, a fresh one for each controller (Litestar copies routers)."""
    return {"staff": Provide(provide_staff, sync_to_thread=False)}


@dataclass
class AcceptForm:
    grade: str = ""
    tier: str = ""
    admitted_on: str = ""
    notes: str = ""


@dataclass
class RejectForm:
    reason: str = ""


def _parsed(schema: type[PatentAccept] | type[PatentReject], values: dict[str, str]) -> Any:
    """The form's text as the API's schema; what does not parse names its field."""
    data = {name: value.strip() for name, value in values.items() if value and value.strip()}
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise schema_messages.invalid_input("the evaluation is not valid", error) from error


def _form_errors(error: DomainError, shown: set[str]) -> FormErrors:
    """As `FormErrors.of`, with faults of fields the form does not have (the patent's own
    dates) moved to the summary, so no message is lost."""
    found = FormErrors.of(error)
    fields = {name: faults for name, faults in found.fields.items() if name in shown}
    hidden = [m for name, faults in found.fields.items() if name not in shown for m in faults]
    return FormErrors(fields=fields, general=[*found.general, *hidden])


def _under_evaluation(db: Session, staff: Principal, patent_id: int, now: datetime) -> int:
    """Start the evaluation of a submitted patent (one click evaluates); the patent's pool."""
    patent = patents.get(db, principal=staff, patent_id=patent_id)
    if patent.status == PatentStatus.SUBMITTED:
        evaluation.start_evaluation(db, principal=staff, patent_id=patent_id, now=now)
    return patent.pool_id


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
            **shown,
        )

    def _queue(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        staff: Principal,
        now: datetime,
        pool_id: int | None,
        *,
        failed: int | None = None,
        errors: FormErrors = NO_ERRORS,
        status: int = 200,
        done: str | None = None,
    ) -> Response[str]:
        pool, choices = av.chosen_pool(db, pool_id)
        found = []
        if pool is not None and pool.id is not None:
            for state in (PatentStatus.SUBMITTED, PatentStatus.UNDER_EVALUATION):
                found += patents.listing(
                    db,
                    principal=staff,
                    pool_id=pool.id,
                    filters=PatentFilters(status=state),
                    limit=QUEUE_SIZE,
                    offset=0,
                ).items
        found.sort(key=lambda item: item.submitted_at)
        return page(
            request,
            "web/admin/patents.html.j2",
            staff,
            status=status,
            pool=pool,
            choices=choices,
            queue=found,
            owners=av.names(db, staff, {item.owner_organisation_id for item in found}),
            status_label=av.PATENT_STATUS_LABELS,
            grades=[grade.value for grade in Grade],
            tiers=[tier.value for tier in Tier],
            tiered=pool is not None and pool.allocation_method == AllocationMethod.TIERED,
            today=now.date(),
            failed=failed,
            errors=errors,
            done=done,
        )

    @get("/patents", sync_to_thread=True)
    def queue(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
        done: Done = None,
    ) -> Response[str]:
        """The onboarding queue: submitted patents and those under evaluation, oldest first."""
        return self._queue(request, db, staff, now, pool_id, done=done)

    @post("/patents/{patent_id:int}/accept", sync_to_thread=True)
    def accept(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        data: URLEncodedBody[AcceptForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Accept the patent with its grade (and tier): it is admitted from `admitted_on`."""
        pool_id = patents.get(db, principal=staff, patent_id=patent_id).pool_id
        try:
            accepted = _parsed(PatentAccept, vars(data))
            _under_evaluation(db, staff, patent_id, now)
            evaluation.accept(db, principal=staff, patent_id=patent_id, data=accepted, now=now)
        except DomainError as error:
            raise FormRefusal(partial(  # a refused evaluation changes nothing, not its start
                self._queue, request, db, staff, now, pool_id, failed=patent_id,
                errors=_form_errors(error, ACCEPT_FIELDS), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/patents?pool={pool_id}&done=accepted")

    @post("/patents/{patent_id:int}/reject", sync_to_thread=True)
    def reject(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        data: URLEncodedBody[RejectForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Reject the patent, with the reason the owner will read."""
        pool_id = patents.get(db, principal=staff, patent_id=patent_id).pool_id
        try:
            refused = _parsed(PatentReject, vars(data))
            _under_evaluation(db, staff, patent_id, now)
            evaluation.reject(db, principal=staff, patent_id=patent_id, data=refused, now=now)
        except DomainError as error:
            raise FormRefusal(partial(
                self._queue, request, db, staff, now, pool_id, failed=patent_id,
                errors=_form_errors(error, {"reason"}), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/patents?pool={pool_id}&done=rejected")
