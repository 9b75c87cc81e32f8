"""Patents for administrators and auditors (issue 17): every pool's patents as a table, the
onboarding queue among them (`?status=waiting`), searched by number, title or owner, narrowed
by status, pool, standard section and owner, sorted, paged and exported (`?format=csv`). Each
row opens the patent's page, `/admin/patents/{id}`, which holds its evaluation: accept with a
grade (and tier), or reject with a reason (administrators; auditors read)."""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Stream
from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError
from pool.models.patent import Grade, PatentAccept, PatentRead, PatentReject, PatentStatus, Tier
from pool.models.pool import AllocationMethod
from pool.services import patents
from pool.services.patents import evaluation, grades, patent_lists
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.dashboard import Done, staff_only
from pool.web.evaluation import views as evaluation_views
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec, csv_response, read_list
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

ACCEPT_FIELDS = {"grade", "tier", "admitted_on"}
STATUS_CHOICES = {patent_lists.WAITING: N_("Waiting for a decision"), **av.PATENT_STATUS_LABELS}
LIST = ListSpec(
    filters=(
        Filter("status", "choice", tuple(STATUS_CHOICES)),
        Filter("pool", "id"),
        Filter("owner", "id"),
        Filter("section", "text"),
    ),
    sorts=tuple(patent_lists.SORTS),
    default_sort=patent_lists.DEFAULT_SORT,
)
CSV_HEADER = (
    "patent", "number", "country", "title", "owner", "pool", "status", "grade", "tier",
    "standard_sections", "family", "filing_date", "grant_date", "expiry_date", "submitted_at",
    "admitted_on",
)  # fmt: skip


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


def _under_evaluation(db: Session, staff: Principal, patent_id: int, now: datetime) -> None:
    """Start the evaluation of a submitted patent (one click evaluates)."""
    patent = patents.get(db, principal=staff, patent_id=patent_id)
    if patent.status == PatentStatus.SUBMITTED:
        evaluation.start_evaluation(db, principal=staff, patent_id=patent_id, now=now)


def _csv(rows: list[patent_lists.PatentRow], now: datetime) -> Stream:
    return csv_response("patents", now.date(), CSV_HEADER, (
        (r.patent.id, r.patent.number, r.patent.country, r.patent.title, r.owner, r.pool,
         r.patent.status, r.patent.grade, r.patent.tier, ";".join(r.patent.standard_sections),
         r.patent.family_id, r.patent.filing_date, r.patent.grant_date, r.patent.expiry_date,
         r.patent.submitted_at.isoformat(), r.patent.admitted_on)
        for r in rows
    ))  # fmt: skip


def _patent_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    patent_id: int,
    *,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
    done: str | None = None,
) -> Response[str]:
    patent = PatentRead.model_validate(patents.get(db, principal=staff, patent_id=patent_id))
    pool, _ = av.chosen_pool(db, patent.pool_id)
    record = evaluation_views.record(db, staff, patent_id)
    return page(
        request, "web/admin/patent.html.j2", staff, status=status, patent=patent, pool=pool,
        owner=av.names(db, staff, {patent.owner_organisation_id})[patent.owner_organisation_id],
        status_label=av.PATENT_STATUS_LABELS, grades=[grade.value for grade in Grade],
        tiers=[tier.value for tier in Tier], today=now.date(), errors=errors, done=done,
        tiered=pool is not None and pool.allocation_method == AllocationMethod.TIERED,
        waiting=patent.status in patent_lists.WAITING_STATES,
        record=record, independent=bool(record.assignments) or (
            pool is not None and pool.requires_independent_evaluation
        ),  # evaluators' findings decide: no direct accept
        documents=evaluation_views.documents(db, staff, patent_id),
        state_label=evaluation_views.STATE_LABELS,
        grade_history=grades.history(
            db, principal=staff, patent_id=patent_id, limit=100, offset=0
        ).items,
    )  # fmt: skip


class AdminPatentsController(Controller):
    path = "/admin/patents"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def patent_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        done: Done = None,
    ) -> Response[Any]:
        """Every pool's patents (`q`, `status`, `pool`, `owner`, `section`, `sort`, `page`,
        `format=csv`); by default the oldest submission first."""
        lst = read_list(request, LIST)
        found = patent_lists.admin_listing(db, principal=staff, spec=lst.query)
        if lst.csv:
            return _csv(found.items, now)
        _, pool_choices = av.chosen_pool(db, None)
        return page(
            request, "web/admin/patents.html.j2", staff, lst=lst, patents=found, done=done,
            statuses=list(STATUS_CHOICES.items()), status_label=av.PATENT_STATUS_LABELS,
            pool_choices=pool_choices, owners=patent_lists.owners(db, principal=staff),
        )  # fmt: skip

    @get("/{patent_id:int}", sync_to_thread=True)
    def patent(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
        done: Done = None,
    ) -> Response[str]:
        """One patent: its facts, and its evaluation while it waits for a decision."""
        return _patent_page(request, db, staff, now, patent_id, done=done)

    @post("/{patent_id:int}/accept", sync_to_thread=True)
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
                _patent_page, request, db, staff, now, patent_id,
                errors=_form_errors(error, ACCEPT_FIELDS), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/patents?status=waiting&pool={pool_id}&done=accepted")

    @post("/{patent_id:int}/reject", sync_to_thread=True)
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
                _patent_page, request, db, staff, now, patent_id,
                errors=_form_errors(error, {"reason"}), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/patents?status=waiting&pool={pool_id}&done=rejected")
