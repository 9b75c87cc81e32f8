"""Who may see a patent's evaluation record (evidence, assignments, findings): administrators
and auditors, the owner's users, the evaluators assigned to it, and the re-evaluator of a
challenge against it (who reads the claim charts the first finding read). Anyone else is told
it does not exist (404), as for every object outside a caller's scope."""

from sqlmodel import Session, select

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.evaluation import EvaluationAssignment
from pool.models.evaluation.challenges import Challenge
from pool.models.patent import Patent
from pool.models.user import Role


def is_assigned(session: Session, *, patent_id: int, user_id: int) -> bool:
    found = session.exec(
        select(EvaluationAssignment.id).where(
            EvaluationAssignment.patent_id == patent_id,
            EvaluationAssignment.evaluator_user_id == user_id,
        )
    ).first()
    return found is not None


def re_evaluates(session: Session, *, patent_id: int, user_id: int) -> bool:
    found = session.exec(
        select(Challenge.id).where(
            Challenge.patent_id == patent_id, Challenge.reevaluator_user_id == user_id
        )
    ).first()
    return found is not None


def readable_patent(session: Session, *, principal: Principal, patent_id: int) -> Patent:
    patent = session.get(Patent, patent_id)
    if patent is None:
        raise NotFound("patent not found")
    if principal.sees_everything:
        return patent
    own = principal.organisation_id is not None and (
        patent.owner_organisation_id == principal.organisation_id
    )
    if principal.role == Role.CONTRIBUTOR and own:
        return patent
    if principal.role == Role.EVALUATOR and (
        is_assigned(session, patent_id=patent_id, user_id=principal.user_id)
        or re_evaluates(session, patent_id=patent_id, user_id=principal.user_id)
    ):
        return patent
    raise NotFound("patent not found")
