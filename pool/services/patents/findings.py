"""Each assigned evaluator records one finding; when the findings decide (`verdicts`), the
patent is admitted or rejected through the same path as the administrator's accept
(`evaluation.admit`), dated by the deciding finding. A disagreement waits for the
administrator's decision or a third evaluator. Every step is audited."""

from datetime import datetime

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import Conflict, Forbidden, InvalidInput
from pool.models.evaluation import (
    AssignmentRead,
    ChallengeFindingCreate,
    DecisionCreate,
    EvaluationFinding,
    EvaluationRead,
    EvaluationState,
    EvidenceDocument,
    EvidenceKind,
    FindingCreate,
    FindingRead,
)
from pool.models.patent import Patent, PatentAccept, PatentRead, PatentReject, PatentStatus
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.patents import evaluation
from pool.services.patents.assignments import assignments_of, findings_of
from pool.services.patents.evaluation_access import readable_patent
from pool.services.patents.verdicts import deciding, disagreement, state_of


def check_finding(
    session: Session, patent: Patent, data: FindingCreate | ChallengeFindingCreate, now: datetime
) -> None:
    """A finding's sections, essentiality, grade or tier and date; its claim chart, when it
    names one, is one of the patent's (a challenge's re-evaluation may read none)."""
    if data.claim_chart_id is not None:
        chart = session.get(EvidenceDocument, data.claim_chart_id)
        if chart is None or chart.patent_id != patent.id or chart.kind != EvidenceKind.CLAIM_CHART:
            raise InvalidInput.field("claim_chart_id", "not one of this patent's claim charts")
    if set(data.sections) != set(patent.standard_sections):
        expected = ", ".join(patent.standard_sections) or "none"
        raise InvalidInput.field(
            "sections",
            Phrase("give each of the patent's sections: %(expected)s", expected=expected),
        )
    if data.sections and data.essential != any(data.sections.values()):
        raise InvalidInput.field("essential", "essential exactly when essential to a section")
    if data.essential:
        pool = pools.get(session, pool_id=patent.pool_id)
        evaluation.check_grading(pool, grade=data.grade, tier=data.tier)
    if data.recorded_on > now.date():
        raise InvalidInput.field("recorded_on", "must not be in the future")


def record(
    session: Session, *, principal: Principal, patent_id: int, data: FindingCreate, now: datetime
) -> EvaluationFinding:
    patent = readable_patent(session, principal=principal, patent_id=patent_id)
    if principal.role != Role.EVALUATOR:
        raise Forbidden("only an evaluator assigned to the patent records a finding")
    assignments = assignments_of(session, patent_id)
    mine = next((a for a in assignments if a.evaluator_user_id == principal.user_id), None)
    if mine is None:  # a challenge's re-evaluator reads the record; its finding is the challenge's
        raise Forbidden("only an evaluator assigned to the patent records a finding")
    findings = findings_of(session, patent_id)
    if patent.status != PatentStatus.UNDER_EVALUATION:
        raise Conflict(
            Phrase("the evaluation is over: the patent is %(status)s", status=patent.status)
        )
    if any(f.assignment_id == mine.id for f in findings):
        raise Conflict("you have already recorded your finding on this patent")
    check_finding(session, patent, data, now)
    finding = EvaluationFinding(
        assignment_id=mine.id or 0,
        patent_id=patent_id,
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
    session.flush()
    _audit(session, principal, patent, "patent.finding_recorded", finding, now)
    findings.append(finding)
    decided_by = deciding(assignments, findings)
    if decided_by is not None:
        _apply(session, principal, patent, decided_by, now)
    elif disagreement(assignments, findings):
        _audit(session, principal, patent, "patent.evaluation_disagreed", None, now)
    return finding


def _audit(
    session: Session,
    principal: Principal,
    patent: Patent,
    action: str,
    finding: EvaluationFinding | None,
    now: datetime,
) -> None:
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=action,
        entity_type="evaluation_finding" if finding else "patent",
        entity_id=finding.id if finding else patent.id,
        pool_id=patent.pool_id,
        after=snapshot(finding) if finding else None,
        now=now,
    )


def _apply(
    session: Session,
    principal: Principal,
    patent: Patent,
    finding: EvaluationFinding,
    now: datetime,
) -> None:
    """The deciding finding admits the patent on its date, or rejects it."""
    if finding.essential:
        accept = PatentAccept.model_validate(
            {
                "grade": finding.grade,
                "tier": finding.tier,
                "admitted_on": finding.recorded_on,
                "notes": finding.reasoning[:4000],
            }
        )
        evaluation.admit(session, principal=principal, patent=patent, data=accept, now=now)
    else:
        data = PatentReject(reason=finding.reasoning[:4000], essential=False)
        evaluation.refuse(session, principal=principal, patent=patent, data=data, now=now)


def decide(
    session: Session, *, principal: Principal, patent_id: int, data: DecisionCreate, now: datetime
) -> Patent:
    """The administrator decides a disagreement: admit with a grade or tier, or reject."""
    patent = readable_patent(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    state = state_of(patent, assignments_of(session, patent_id), findings_of(session, patent_id))
    if state != EvaluationState.AWAITING_DECISION:
        raise Conflict(
            Phrase(
                "the administrator decides only a disagreement; this evaluation is %(state)s",
                state=state,
            )
        )
    if data.decided_on > now.date():
        raise InvalidInput.field("decided_on", "must not be in the future")
    if not data.essential:
        reject = PatentReject(reason=data.reasons, essential=False)
        return evaluation.refuse(
            session,
            principal=principal,
            patent=patent,
            data=reject,
            now=now,
            action="patent.evaluation_decided",
        )
    accept = PatentAccept.model_validate(
        {
            "grade": data.grade,
            "tier": data.tier,
            "admitted_on": data.decided_on,
            "notes": data.reasons,
        }
    )
    return evaluation.admit(
        session,
        principal=principal,
        patent=patent,
        data=accept,
        now=now,
        action="patent.evaluation_decided",
    )


def read(session: Session, *, principal: Principal, patent_id: int) -> EvaluationRead:
    patent = readable_patent(session, principal=principal, patent_id=patent_id)
    assignments = assignments_of(session, patent_id)
    findings = findings_of(session, patent_id)
    return EvaluationRead(
        patent=PatentRead.model_validate(patent),
        state=state_of(patent, assignments, findings),
        assignments=[AssignmentRead.model_validate(a) for a in assignments],
        findings=[FindingRead.model_validate(f) for f in findings],
    )
