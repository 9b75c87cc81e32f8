"""Challenges of an admitted patent (issue 19, docs/evaluation.md "Challenges"): who may file
one, who may read it, the administrator's assignment of an independent re-evaluator, and the
listing. The re-evaluator's finding and the outcome are in `challenge_outcomes`; documents in
`challenge_documents`. Every step is dated and audited."""

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, or_, select
from sqlmodel.sql.expression import SelectOfScalar

from pool.auth import Principal
from pool.errors import Conflict, Forbidden, InvalidInput, NotFound
from pool.models.evaluation import (
    Challenge,
    ChallengeAssign,
    ChallengeCreate,
    ChallengeFinding,
    ChallengeFindingRead,
    ChallengeRead,
    ChallengeState,
    EvaluationFinding,
)
from pool.models.licensing import LicenceAgreement
from pool.models.patent import Patent, PatentStatus
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.patents.assignments import independent_evaluator
from pool.services.pools.memberships import open_membership

LICENSED = ("active", "suspended")  # a licence the licensee still holds


def _check_not_future(field: str, day: date, now: datetime) -> None:
    if day > now.date():
        raise InvalidInput.field(field, "must not be in the future")


def _holds_licence(session: Session, *, pool_id: int, organisation_id: int) -> bool:
    found = session.exec(
        select(LicenceAgreement.id).where(
            LicenceAgreement.pool_id == pool_id,
            LicenceAgreement.licensee_organisation_id == organisation_id,
            col(LicenceAgreement.state).in_(LICENSED),
        )
    ).first()
    return found is not None


def _check_challenger(session: Session, principal: Principal, patent: Patent) -> None:
    """A licensee holding a licence of the pool, or a contributor member of it; never the
    patent's owner."""
    org = principal.organisation_id
    if principal.role not in (Role.LICENSEE, Role.CONTRIBUTOR) or org is None:
        raise Forbidden("only a licensee or a contributor of the pool files a challenge")
    if principal.role == Role.CONTRIBUTOR and org == patent.owner_organisation_id:
        raise Forbidden("the owner cannot challenge its own patent")
    if principal.role == Role.LICENSEE and not _holds_licence(
        session, pool_id=patent.pool_id, organisation_id=org
    ):
        raise Forbidden("only a licensee holding a licence of this pool files a challenge")
    if principal.role == Role.CONTRIBUTOR and (
        open_membership(session, pool_id=patent.pool_id, organisation_id=org) is None
    ):
        raise Forbidden("only a member of this pool files a challenge")


def file(
    session: Session, *, principal: Principal, patent_id: int, data: ChallengeCreate, now: datetime
) -> Challenge:
    patent = session.get(Patent, patent_id)
    if patent is None:
        raise NotFound("patent not found")
    _check_challenger(session, principal, patent)
    if patent.status != PatentStatus.ACCEPTED:
        raise Conflict(
            Phrase(
                "only an admitted patent is challenged; this one is %(status)s",
                status=patent.status,
            )
        )
    _check_not_future("filed_on", data.filed_on, now)
    challenge = Challenge(
        pool_id=patent.pool_id,
        patent_id=patent_id,
        challenger_organisation_id=principal.organisation_id or 0,
        challenger_user_id=principal.user_id,
        ground=data.ground,
        reasons=data.reasons,
        filed_on=data.filed_on,
        state=ChallengeState.FILED,
        filed_at=now,
    )
    session.add(challenge)
    session.flush()
    record_step(session, principal, challenge, "patent.challenge_filed", now)
    return challenge


def record_step(
    session: Session, principal: Principal, challenge: Challenge, action: str, now: datetime
) -> None:
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=action,
        entity_type="challenge",
        entity_id=challenge.id,
        pool_id=challenge.pool_id,
        after=snapshot(challenge),
        now=now,
    )


def may_read(session: Session, principal: Principal, challenge: Challenge) -> bool:
    """Staff, the challenger's organisation, the patent's owner and the assigned re-evaluator:
    so a licensee never sees another licensee's challenge."""
    if principal.sees_everything:
        return True
    org = principal.organisation_id
    if principal.role == Role.EVALUATOR:
        return challenge.reevaluator_user_id == principal.user_id
    if org is None or principal.role not in (Role.LICENSEE, Role.CONTRIBUTOR):
        return False
    if org == challenge.challenger_organisation_id:
        return True
    patent = session.get(Patent, challenge.patent_id)
    return (
        principal.role == Role.CONTRIBUTOR
        and patent is not None
        and patent.owner_organisation_id == org
    )


def get(session: Session, *, principal: Principal, challenge_id: int) -> Challenge:
    challenge = session.get(Challenge, challenge_id)
    if challenge is None or not may_read(session, principal, challenge):
        raise NotFound("challenge not found")
    return challenge


def finding_of(session: Session, challenge_id: int) -> ChallengeFinding | None:
    return session.exec(
        select(ChallengeFinding).where(ChallengeFinding.challenge_id == challenge_id)
    ).first()


def read(session: Session, challenge: Challenge) -> ChallengeRead:
    finding = finding_of(session, challenge.id or 0)
    return ChallengeRead.model_validate(
        {
            **challenge.model_dump(),
            "reference": challenge.reference,
            "finding": ChallengeFindingRead.model_validate(finding) if finding else None,
        }
    )


def listing(
    session: Session,
    *,
    principal: Principal,
    patent_id: int | None,
    limit: int,
    offset: int,
) -> Page[ChallengeRead]:
    """The challenges the caller may read, oldest first."""
    query = scoped(select(Challenge).order_by(col(Challenge.id)), principal)
    if patent_id is not None:
        query = query.where(Challenge.patent_id == patent_id)
    return paginate(session, query, limit=limit, offset=offset, convert=lambda c: read(session, c))


def scoped(query: SelectOfScalar[Any], principal: Principal) -> SelectOfScalar[Any]:
    """`query` of challenges narrowed to those the caller may read (`may_read`, in SQL)."""
    org = principal.organisation_id or 0
    if principal.sees_everything:
        return query
    if principal.role == Role.EVALUATOR:
        return query.where(Challenge.reevaluator_user_id == principal.user_id)
    if principal.role == Role.CONTRIBUTOR:
        owned = select(Patent.id).where(Patent.owner_organisation_id == org)
        return query.where(
            or_(
                Challenge.challenger_organisation_id == org,
                col(Challenge.patent_id).in_(owned),
            )
        )
    if principal.role == Role.LICENSEE:
        return query.where(Challenge.challenger_organisation_id == org)
    raise Forbidden("this needs a role that files or reads challenges")


def assign(
    session: Session,
    *,
    principal: Principal,
    challenge_id: int,
    data: ChallengeAssign,
    now: datetime,
) -> Challenge:
    """An evaluator who did not make an original finding on the patent, and is not the
    owner's staff (as for an evaluation)."""
    challenge = get(session, principal=principal, challenge_id=challenge_id)
    principal.require_admin()
    if challenge.state != ChallengeState.FILED:
        raise Conflict(
            Phrase(
                "a re-evaluator is assigned once; the challenge is %(state)s", state=challenge.state
            )
        )
    _check_not_future("assigned_on", data.assigned_on, now)
    patent = session.get(Patent, challenge.patent_id)
    assert patent is not None  # a foreign key
    independent_evaluator(session, patent, data.evaluator_user_id)
    original = session.exec(
        select(EvaluationFinding.id).where(
            EvaluationFinding.patent_id == patent.id,
            EvaluationFinding.evaluator_user_id == data.evaluator_user_id,
        )
    ).first()
    if original is not None:
        raise InvalidInput.field(
            "evaluator_user_id",
            "this evaluator made the original finding: a challenge is re-evaluated by another",
        )
    challenge.reevaluator_user_id = data.evaluator_user_id
    challenge.assigned_on = data.assigned_on
    challenge.state = ChallengeState.ASSIGNED
    session.add(challenge)
    session.flush()
    record_step(session, principal, challenge, "patent.challenge_assigned", now)
    return challenge
