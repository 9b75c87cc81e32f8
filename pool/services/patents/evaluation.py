"""The evaluation workflow: start, accept (admitting the patent for its in-force interval;
`admit` is the one path every admission takes, `refuse` every rejection), reject, and end
(expiry, lapse, invalidation, withdrawal), each dated and audited."""

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from pool.auth import Principal
from pool.errors import Conflict, Forbidden, InvalidInput
from pool.models.evaluation import EvaluationAssignment
from pool.models.grading import GradeSource
from pool.models.patent import (
    END_STATES,
    Patent,
    PatentAccept,
    PatentEnd,
    PatentInclusion,
    PatentReject,
    PatentStatus,
)
from pool.models.pool import AllocationMethod, Pool
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit, patents, pools
from pool.services.audit.snapshot import snapshot
from pool.services.patents import grades


def start_evaluation(
    session: Session, *, principal: Principal, patent_id: int, now: datetime
) -> Patent:
    patent = patents.get(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    before = snapshot(patent)
    patents.move(patent, PatentStatus.UNDER_EVALUATION)
    patent.evaluator_user_id = principal.user_id
    return patents.save_change(
        session,
        patent,
        principal=principal,
        action="patent.evaluation_started",
        before=before,
        now=now,
    )


def check_grading(pool: Pool, *, grade: str | None, tier: str | None) -> None:
    if pool.allocation_method == AllocationMethod.GRADE_WEIGHTED and grade is None:
        raise InvalidInput.field("grade", "this pool weights patents by grade: give one")
    if pool.allocation_method == AllocationMethod.TIERED and tier is None:
        raise InvalidInput.field("tier", "this pool splits money by tier: give one")


def accept(
    session: Session, *, principal: Principal, patent_id: int, data: PatentAccept, now: datetime
) -> Patent:
    """The administrator's direct accept: only in pools that do not require independent
    evaluation, and only while no evaluator is assigned (then the findings decide)."""
    patent = patents.get(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    if pools.get(session, pool_id=patent.pool_id).requires_independent_evaluation:
        raise Conflict("this pool requires independent evaluation: evaluators' findings decide")
    if session.exec(
        select(EvaluationAssignment.id).where(EvaluationAssignment.patent_id == patent_id)
    ).first():
        raise Conflict("evaluators are assigned to this patent: their findings decide")
    return admit(session, principal=principal, patent=patent, data=data, now=now)


def admit(
    session: Session,
    *,
    principal: Principal,
    patent: Patent,
    data: PatentAccept,
    now: datetime,
    action: str = "patent.accepted",
) -> Patent:
    """Admit the patent on `admitted_on`; it counts from the later of grant and admission
    until its expiry (or an earlier end recorded later). The one path every admission takes:
    the direct accept, a deciding finding and the administrator's decision."""
    check_grading(pools.get(session, pool_id=patent.pool_id), grade=data.grade, tier=data.tier)
    if patent.grant_date is None:
        raise InvalidInput.field("grant_date", "only granted patents can be admitted")
    start = max(patent.grant_date, data.admitted_on)
    if patent.expiry_date is not None and patent.expiry_date <= start:
        raise InvalidInput.field("admitted_on", "the patent expires before it would be admitted")
    before = snapshot(patent)
    patents.move(patent, PatentStatus.ACCEPTED)
    patent.essential, patent.grade, patent.tier = True, data.grade, data.tier
    patent.evaluation_notes, patent.evaluated_on = data.notes, now.date()
    patent.evaluator_user_id, patent.admitted_on = principal.user_id, data.admitted_on
    session.add(
        PatentInclusion(
            patent_id=patent.id or 0,
            pool_id=patent.pool_id,
            country=patent.country,
            start_on=start,
            end_on=patent.expiry_date,
        )
    )
    patents.save_change(session, patent, principal=principal, action=action, before=before, now=now)
    grades.record(
        session,
        patent,
        grade=data.grade,
        tier=data.tier,
        effective_on=data.admitted_on,
        source=GradeSource.ADMISSION,
        actor=audit.Actor.of(principal),
        now=now,
        reason=data.notes,
    )
    return patent


def reject(
    session: Session, *, principal: Principal, patent_id: int, data: PatentReject, now: datetime
) -> Patent:
    patent = patents.get(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    return refuse(session, principal=principal, patent=patent, data=data, now=now)


def refuse(
    session: Session,
    *,
    principal: Principal,
    patent: Patent,
    data: PatentReject,
    now: datetime,
    action: str = "patent.rejected",
) -> Patent:
    """Reject the patent (the direct reject, a deciding finding, the administrator's decision)."""
    before = snapshot(patent)
    patents.move(patent, PatentStatus.REJECTED)
    patent.essential, patent.evaluation_notes = data.essential, data.reason
    patent.evaluated_on, patent.evaluator_user_id = now.date(), principal.user_id
    return patents.save_change(
        session, patent, principal=principal, action=action, before=before, now=now
    )


TRANSFER_IS_A_DEAL = "a transfer is recorded as a deal, with its assignee (POST /pools/{id}/deals)"


def end(
    session: Session, *, principal: Principal, patent_id: int, data: PatentEnd, now: datetime
) -> Patent:
    """Expiry, lapse, invalidation or withdrawal, dated; the inclusion interval ends with it.
    Owners may withdraw their own patents; every other end is the administrator's."""
    patent = patents.get(session, principal=principal, patent_id=patent_id)
    if data.status == PatentStatus.TRANSFERRED:
        raise InvalidInput.field("status", TRANSFER_IS_A_DEAL)
    if not (
        principal.role == Role.ADMIN
        or (principal.role == Role.CONTRIBUTOR and data.status == PatentStatus.WITHDRAWN)
    ):
        raise Forbidden("only the administrator records expiry, lapse or invalidation")
    before = _apply_end(session, patent, data)
    return patents.save_change(
        session, patent, principal=principal, action=f"patent.{data.status}", before=before, now=now
    )


def end_by_system(
    session: Session, *, actor: audit.Actor, patent: Patent, data: PatentEnd, now: datetime
) -> Patent:
    """The same end, recorded by a system actor (the daily upkeep job): same rules, same
    audit action, no principal."""
    before = _apply_end(session, patent, data)
    patent.updated_at = now
    session.add(patent)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"patent.{data.status}",
        entity_type="patent",
        entity_id=patent.id,
        pool_id=patent.pool_id,
        before=before,
        after=snapshot(patent),
        now=now,
    )
    return patent


def _apply_end(session: Session, patent: Patent, data: PatentEnd) -> dict[str, Any] | None:
    """Check and apply an end; return the patent as it was before."""
    if data.status not in END_STATES:
        raise InvalidInput.field(
            "status", Phrase("one of %(choices)s", choices=", ".join(sorted(END_STATES)))
        )
    if patent.admitted_on is not None and data.on < patent.admitted_on:
        raise InvalidInput.field("on", "must not be before the patent was admitted")
    before = snapshot(patent)
    patents.move(patent, data.status)
    patent.ended_on = data.on
    if data.reason:
        patent.evaluation_notes = (
            (patent.evaluation_notes or "") + f"\n{data.status}: {data.reason}"
        ).strip()
    close_inclusions(session, patent_id=patent.id or 0, on=data.on)
    return before


def close_inclusions(session: Session, *, patent_id: int, on: date) -> None:
    for inclusion in session.exec(
        select(PatentInclusion).where(PatentInclusion.patent_id == patent_id)
    ):
        if inclusion.end_on is None or inclusion.end_on > on:
            inclusion.end_on = max(on, inclusion.start_on)
            session.add(inclusion)
