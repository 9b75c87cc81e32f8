"""The administrator's side of an evaluation (auditors read): the patent's evaluation record
with its evidence, the assignment of one or two evaluators (a short select of the evaluation
agencies' users; the owner's own staff are refused with the service's message), and the
double-evaluation decision page: both findings side by side with the decide form."""

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, URLEncodedBody
from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import DomainError
from pool.models.evaluation import AssignmentCreate, EvaluationState
from pool.models.patent import Grade, Tier
from pool.models.user import Role
from pool.services.accounts import users
from pool.services.evaluation_fees import starting
from pool.services.patents import findings
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.evaluation import forms, views
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

CONFIRMED = "decide"
FormBody = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _decision_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    patent_id: int,
    *,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
) -> Response[str]:
    record = views.record(db, staff, patent_id)
    evaluators = users.listing(
        db, principal=staff, role=Role.EVALUATOR.value, organisation_id=None, limit=200, offset=0
    ).items
    assigned = {a.evaluator_user_id for a in record.assignments}
    return page(
        request, "web/evaluation/decision.html.j2", staff, status=status, record=record,
        patent=record.patent, documents=views.documents(db, staff, patent_id), errors=errors,
        names={u.id: u.display_name for u in evaluators},
        choices=[u for u in evaluators if u.is_active and u.id not in assigned],
        may_assign=record.state in {EvaluationState.UNASSIGNED, EvaluationState.AWAITING_DECISION}
        or (record.state == EvaluationState.AWAITING_FINDINGS and len(record.assignments) < 2),
        deciding=record.state == EvaluationState.AWAITING_DECISION, today=now.date(),
        grades=[g.value for g in Grade], tiers=[t.value for t in Tier],
        kinds=views.KIND_LABELS, state_label=views.STATE_LABELS,
        status_label=av.PATENT_STATUS_LABELS,
    )  # fmt: skip


class AdminEvaluationController(Controller):
    path = "/admin/patents/{patent_id:int}/evaluation"
    include_in_schema = False
    dependencies = staff_only()

    @get("/", sync_to_thread=True)
    def evaluation_decision(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """The evaluation record: assignments, both findings side by side, the decide form
        while they disagree, and the evidence."""
        return _decision_page(request, db, staff, now, patent_id)

    @post("/assign", sync_to_thread=True)
    def assign_evaluator(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        data: URLEncodedBody[forms.AssignForm],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Assign an evaluator (`assignments.assign`, as the API); the owner's own staff, a
        third evaluator without a disagreement and the same one twice are refused."""
        values = {k: v.strip() for k, v in vars(data).items() if v.strip()}
        try:
            try:
                chosen = AssignmentCreate.model_validate(values)
            except ValidationError as error:
                raise schema_messages.invalid_input("the assignment is not valid", error) from error
            starting.assign(db, principal=staff, patent_id=patent_id, data=chosen, now=now)
        except DomainError as error:
            raise FormRefusal(partial(
                _decision_page, request, db, staff, now, patent_id,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/patents/{patent_id}/evaluation")

    @post("/decide", sync_to_thread=True)
    def decide_evaluation(
        self,
        request: Request[Any, Any, Any],
        patent_id: PathId,
        data: FormBody,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Decide a disagreement (`findings.decide`): admit with the grade or tier, or reject;
        the reasons become the patent's evaluation notes. The first post shows what the
        decision does, in words; the confirmed one (`confirm=decide`) decides."""
        try:
            decided = forms.decision(data)
            if data.get("confirm") != CONFIRMED:  # irreversible: say what it does, in words
                return page(
                    request, "web/evaluation/decide_confirm.html.j2", staff, decided=decided,
                    patent=views.record(db, staff, patent_id).patent, confirm=CONFIRMED,
                )  # fmt: skip
            findings.decide(db, principal=staff, patent_id=patent_id, data=decided, now=now)
        except DomainError as error:
            raise FormRefusal(partial(
                _decision_page, request, db, staff, now, patent_id,
                errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/admin/patents/{patent_id}?done=decided")
