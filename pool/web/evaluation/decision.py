"""The administrator's side of an evaluation (auditors read): the patent's evaluation record
with its evidence, the assignment of one or two evaluators (typed: the type-ahead of
/pick/evaluators suggests them by name, e-mail or agency, never the owner's own staff; without
JavaScript the typed text is read back to one evaluator, or to a short choice), each with the
day its finding is due, and the double-evaluation decision page: both findings side by side with
the decide form."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
from pool.errors import DomainError, InvalidInput
from pool.models.evaluation import AssignmentCreate, EvaluationState
from pool.models.integers import id_from_text
from pool.models.patent import Grade, Tier
from pool.services.accounts import evaluators
from pool.services.evaluation_fees import charging, starting
from pool.services.patents import assignments, findings
from pool.unit_of_work import FormRefusal
from pool.web import schema_messages
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.evaluation import forms, views
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

CONFIRMED = "decide"
DUE_IN = timedelta(days=30)  # the assignment form's suggested due date, from today
FormBody = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


@dataclass(frozen=True)
class Typed:
    """A refused assignment: what was typed, and the evaluators it fits when several do."""

    values: dict[str, str] = field(default_factory=dict)
    matches: list[evaluators.Evaluator] = field(default_factory=list)


def _decision_page(
    request: Request[Any, Any, Any],
    db: Session,
    staff: Principal,
    now: datetime,
    patent_id: int,
    *,
    errors: FormErrors = NO_ERRORS,
    status: int = 200,
    typed: Typed = Typed(),
) -> Response[str]:
    record = views.record(db, staff, patent_id)
    may_assign = record.state in {
        EvaluationState.UNASSIGNED,
        EvaluationState.AWAITING_DECISION,
    } or (record.state == EvaluationState.AWAITING_FINDINGS and len(record.assignments) < 2)
    if not may_assign:  # no assignment form to show a field's fault next to: say it at the top
        errors = FormErrors(
            general=[*errors.general, *(m for f in errors.fields.values() for m in f)]
        )
    assigned = {a.evaluator_user_id for a in record.assignments}
    available = evaluators.search(
        db, principal=staff, text="", owner_organisation_id=record.patent.owner_organisation_id,
        exclude=assigned, limit=1,
    )  # fmt: skip
    return page(
        request, "web/evaluation/decision.html.j2", staff, status=status, record=record,
        patent=record.patent, documents=views.documents(db, staff, patent_id), errors=errors,
        names=evaluators.names(db, principal=staff, user_ids=assigned), typed=typed,
        available=bool(available), due=(now + DUE_IN).date(),
        overdue=views.overdue_assignments(record, now.date()),
        may_assign=may_assign,
        fee=charging.note_for(db, patent_id=patent_id, pool_id=record.patent.pool_id),
        deciding=record.state == EvaluationState.AWAITING_DECISION, today=now.date(),
        grades=[g.value for g in Grade], tiers=[t.value for t in Tier],
        kinds=views.KIND_LABELS, state_label=views.STATE_LABELS,
        status_label=av.PATENT_STATUS_LABELS,
    )  # fmt: skip


def _typed_evaluator(
    db: Session, staff: Principal, patent_id: int, text: str
) -> tuple[int, list[evaluators.Evaluator]]:
    """The one evaluator the typed text names: (their id, []), or (0, those it fits)."""
    patent = views.record(db, staff, patent_id).patent
    assigned = {a.evaluator_user_id for a in assignments.assignments_of(db, patent_id)}
    return evaluators.one(
        db, principal=staff, text=text, owner_organisation_id=patent.owner_organisation_id,
        exclude=assigned, field="evaluator",
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
        """Assign an evaluator (`evaluation_fees.starting.assign`, as the API: the first one
        bills the evaluation fee), named by what was typed (a suggestion, a name, an e-mail) or
        chosen among those it fits; the owner's own staff, a third evaluator without a
        disagreement and the same one twice are refused."""
        values = {k: v.strip() for k, v in vars(data).items() if v.strip()}
        matches: list[evaluators.Evaluator] = []
        try:
            chosen_id = id_from_text(data.evaluator_user_id)
            if chosen_id is None and data.evaluator_user_id.strip():
                raise InvalidInput.field("evaluator_user_id", "choose the evaluator")
            if chosen_id is None:
                chosen_id, matches = _typed_evaluator(db, staff, patent_id, data.evaluator)
                if matches:
                    raise InvalidInput.field("evaluator", "several evaluators fit: choose one")
            try:
                chosen = AssignmentCreate.model_validate(
                    {k: v for k, v in values.items() if k != "evaluator"}
                    | {"evaluator_user_id": chosen_id}
                )
            except ValidationError as error:
                raise schema_messages.invalid_input("the assignment is not valid", error) from error
            starting.assign(db, principal=staff, patent_id=patent_id, data=chosen, now=now)
        except DomainError as error:
            raise FormRefusal(partial(
                _decision_page, request, db, staff, now, patent_id,
                errors=FormErrors.of(error), status=error.status_code,
                typed=Typed(vars(data), matches),
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
