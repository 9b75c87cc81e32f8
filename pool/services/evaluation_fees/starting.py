"""Assigning an evaluator, and with the first assignment, charging the evaluation fee.

The patent's row is locked first (`FOR UPDATE` on PostgreSQL; requests that write hold
SQLite's write lock from their start), so two administrators assigning at once are taken one
after the other: the second sees the first's assignment, and the fee is charged once."""

from datetime import datetime

from sqlmodel import Session, select

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.evaluation import AssignmentCreate, EvaluationAssignment
from pool.models.patent import Patent
from pool.services import audit
from pool.services.evaluation_fees import charging
from pool.services.patents import assignments


def assign(
    session: Session,
    *,
    principal: Principal,
    patent_id: int,
    data: AssignmentCreate,
    now: datetime,
) -> EvaluationAssignment:
    """`assignments.assign`, then the fee when this assignment begins the evaluation."""
    locked = session.exec(select(Patent).where(Patent.id == patent_id).with_for_update()).first()
    if locked is None:
        raise NotFound("patent not found")
    first = not assignments.assignments_of(session, patent_id)
    assignment = assignments.assign(
        session, principal=principal, patent_id=patent_id, data=data, now=now
    )
    if first:
        charging.charge(session, patent=locked, actor=audit.Actor.of(principal), now=now)
    return assignment
