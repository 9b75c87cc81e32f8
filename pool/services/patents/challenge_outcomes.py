"""A challenge's re-evaluation and outcome: the assigned re-evaluator records a finding (the
shape of an evaluation finding), then the administrator closes the challenge with a dated
outcome. **keep** changes nothing; **regrade** records a grade from a date through the grade
history (source "challenge", the challenge's reference); **end** ends the patent's inclusion
from a date through the patent end path (invalidated unless told otherwise). Approved runs are
never rewritten: the next run reads the new state."""

from datetime import datetime

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import Conflict, Forbidden, InvalidInput
from pool.models.evaluation import (
    Challenge,
    ChallengeClose,
    ChallengeFinding,
    ChallengeFindingCreate,
    ChallengeOutcome,
    ChallengeState,
)
from pool.models.grading import GradeSource, PatentRegrade
from pool.models.patent import END_STATES, Patent, PatentEnd, PatentStatus
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.patents import evaluation, grades
from pool.services.patents.challenges import get, record_step
from pool.services.patents.findings import check_finding


def _patent(session: Session, challenge: Challenge) -> Patent:
    patent = session.get(Patent, challenge.patent_id)
    assert patent is not None  # a foreign key
    return patent


def record_finding(
    session: Session,
    *,
    principal: Principal,
    challenge_id: int,
    data: ChallengeFindingCreate,
    now: datetime,
) -> ChallengeFinding:
    challenge = get(session, principal=principal, challenge_id=challenge_id)
    if principal.role != Role.EVALUATOR or challenge.reevaluator_user_id != principal.user_id:
        raise Forbidden("only the challenge's re-evaluator records its finding")
    if challenge.state != ChallengeState.ASSIGNED:
        raise Conflict(
            Phrase(
                "the finding is recorded once; the challenge is %(state)s", state=challenge.state
            )
        )
    patent = _patent(session, challenge)
    check_finding(session, patent, data, now)
    finding = ChallengeFinding(
        challenge_id=challenge_id,
        patent_id=patent.id or 0,
        evaluator_user_id=principal.user_id,
        essential=data.essential,
        sections=data.sections,
        grade=data.grade if data.essential else None,
        tier=data.tier if data.essential else None,
        reasoning=data.reasoning,
        claim_chart_id=data.claim_chart_id,
        recorded_on=data.recorded_on,
        recorded_at=now,
    )
    session.add(finding)
    challenge.state = ChallengeState.FOUND
    session.add(challenge)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="patent.challenge_finding_recorded",
        entity_type="challenge_finding",
        entity_id=finding.id,
        pool_id=challenge.pool_id,
        after=snapshot(finding),
        now=now,
    )
    return finding


def _check_close(challenge: Challenge, data: ChallengeClose, now: datetime) -> None:
    if challenge.state != ChallengeState.FOUND:
        raise Conflict(
            Phrase(
                "a challenge is closed after the re-evaluator's finding; this one is %(state)s",
                state=challenge.state,
            )
        )
    if data.decided_on > now.date():
        raise InvalidInput.field("decided_on", "must not be in the future")
    if data.outcome != ChallengeOutcome.KEEP and data.effective_on is None:
        raise InvalidInput.field("effective_on", "a regrade or an end is dated: give the date")
    if data.outcome == ChallengeOutcome.END and data.end_status not in END_STATES:
        raise InvalidInput.field(
            "end_status", Phrase("one of %(choices)s", choices=", ".join(sorted(END_STATES)))
        )
    if data.outcome == ChallengeOutcome.END and data.end_status == PatentStatus.TRANSFERRED:
        raise InvalidInput.field("end_status", evaluation.TRANSFER_IS_A_DEAL)


def close(
    session: Session,
    *,
    principal: Principal,
    challenge_id: int,
    data: ChallengeClose,
    now: datetime,
) -> Challenge:
    challenge = get(session, principal=principal, challenge_id=challenge_id)
    principal.require_admin()
    _check_close(challenge, data, now)
    patent = _patent(session, challenge)
    if data.outcome == ChallengeOutcome.REGRADE:
        assert data.effective_on is not None  # checked
        regrade = PatentRegrade.model_validate(
            {
                "grade": data.grade,
                "tier": data.tier,
                "effective_on": data.effective_on,
                "reason": data.reasons,
            }
        )
        grades.change(
            session,
            patent,
            data=regrade,
            actor=audit.Actor.of(principal),
            now=now,
            source=GradeSource.CHALLENGE,
            reference=challenge.reference,
        )
    elif data.outcome == ChallengeOutcome.END:
        assert data.effective_on is not None  # checked
        end = PatentEnd(
            status=data.end_status,
            on=data.effective_on,
            reason="challenge " + challenge.reference + ": " + data.reasons,
        )
        evaluation.end_by_system(
            session, actor=audit.Actor.of(principal), patent=patent, data=end, now=now
        )
    challenge.outcome = data.outcome
    challenge.decided_on = data.decided_on
    challenge.effective_on = data.effective_on if data.outcome != ChallengeOutcome.KEEP else None
    challenge.outcome_reasons = data.reasons
    challenge.state = ChallengeState.CLOSED
    session.add(challenge)
    session.flush()
    record_step(session, principal, challenge, "patent.challenge_closed", now)
    return challenge
