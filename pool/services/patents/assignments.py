"""The administrator assigns independent evaluators to a patent under evaluation: one or two,
and a third only to break a disagreement. An evaluator is a user with the evaluator role, never
one of the owner's own staff. Each assignment is dated and audited, with the day the finding is
due when the administrator sets one (never before the service's today)."""

from datetime import datetime

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, InvalidInput
from pool.models.evaluation import (
    AssignmentCreate,
    EvaluationAssignment,
    EvaluationFinding,
    EvaluationState,
)
from pool.models.patent import Patent, PatentRead, PatentStatus
from pool.models.user import Role, User
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.patents.evaluation_access import readable_patent
from pool.services.patents.verdicts import state_of

INDEPENDENT = 2  # evaluators assigned before any disagreement


def assignments_of(session: Session, patent_id: int) -> list[EvaluationAssignment]:
    return list(
        session.exec(
            select(EvaluationAssignment)
            .where(EvaluationAssignment.patent_id == patent_id)
            .order_by(col(EvaluationAssignment.id))
        )
    )


def findings_of(session: Session, patent_id: int) -> list[EvaluationFinding]:
    return list(
        session.exec(
            select(EvaluationFinding)
            .where(EvaluationFinding.patent_id == patent_id)
            .order_by(col(EvaluationFinding.id))
        )
    )


def independent_evaluator(session: Session, patent: Patent, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise InvalidInput.field("evaluator_user_id", "no such active user")
    if user.organisation_id == patent.owner_organisation_id:
        raise InvalidInput.field(
            "evaluator_user_id", "this user is the owner's own staff: an evaluator is independent"
        )
    if user.role != Role.EVALUATOR:
        raise InvalidInput.field("evaluator_user_id", "this user does not have the evaluator role")
    return user


def assign(
    session: Session,
    *,
    principal: Principal,
    patent_id: int,
    data: AssignmentCreate,
    now: datetime,
) -> EvaluationAssignment:
    patent = readable_patent(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    if patent.status != PatentStatus.UNDER_EVALUATION:
        raise Conflict(
            Phrase(
                "evaluators are assigned to a patent under evaluation; this one is %(status)s",
                status=patent.status,
            )
        )
    if data.assigned_on > now.date():
        raise InvalidInput.field("assigned_on", "must not be in the future")
    if data.due_on is not None and data.due_on < now.date():
        raise InvalidInput.field("due_on", "must not be before today")
    independent_evaluator(session, patent, data.evaluator_user_id)
    present = assignments_of(session, patent_id)
    if any(a.evaluator_user_id == data.evaluator_user_id for a in present):
        raise Conflict("this evaluator is already assigned to this patent")
    state = state_of(patent, present, findings_of(session, patent_id))
    tie_breaker = len(present) >= INDEPENDENT
    if tie_breaker and state != EvaluationState.AWAITING_DECISION:
        raise Conflict(
            Phrase(
                "%(count)s evaluators are assigned; a third only breaks a disagreement",
                count=INDEPENDENT,
            )
        )
    if any(a.tie_breaker for a in present):
        raise Conflict("a third evaluator is already assigned to break the disagreement")
    assignment = EvaluationAssignment(
        patent_id=patent_id,
        evaluator_user_id=data.evaluator_user_id,
        assigned_by_user_id=principal.user_id,
        assigned_on=data.assigned_on,
        tie_breaker=tie_breaker,
        assigned_at=now,
        due_on=data.due_on,
    )
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="patent.evaluator_assigned",
        entity_type="evaluation_assignment",
        entity_id=assignment.id,
        pool_id=patent.pool_id,
        after=snapshot(assignment),
        now=now,
    )
    return assignment


def assigned_patents(
    session: Session, *, principal: Principal, limit: int, offset: int
) -> Page[PatentRead]:
    """An evaluator's queue: the patents assigned to them, in submission (id) order. Staff see
    every patent with an assignment; other roles have no queue."""
    principal.require_role(Role.EVALUATOR, Role.ADMIN, Role.AUDITOR)
    assigned = select(EvaluationAssignment.patent_id)
    if principal.role == Role.EVALUATOR:
        assigned = assigned.where(EvaluationAssignment.evaluator_user_id == principal.user_id)
    # a subquery, not a DISTINCT join: PostgreSQL cannot compare the JSON sections column
    query = select(Patent).where(col(Patent.id).in_(assigned)).order_by(col(Patent.id))
    return paginate(session, query, limit=limit, offset=offset, convert=PatentRead.model_validate)
