"""A patent's grade over time (issue 19): the grade given at admission and every later
change, each from a date, with its source, reason and recorder, audited.

Distribution runs read the history (`segments`) and count a patent's days before a change at
the old grade and from it at the new one. A change may be dated inside a statement period
whose run is already approved: that run is never rewritten (approved runs are immutable); the
change applies from the next run that computes money for those usage periods, as
`applies_from` says (docs/distribution.md, "Regrades"). `patent.grade` / `patent.tier` keep
the grade of the latest change by date, so list filters and existing readers stay right."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.distribution import DistributionRun, RunStatus
from pool.models.grading import (
    GradeChangeRead,
    GradeSource,
    PatentGrade,
    PatentRegrade,
    RegradeResult,
    RunNotRewritten,
)
from pool.models.patent import Patent, PatentStatus
from pool.models.pool import AllocationMethod, Pool
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.patents.onboarding import get

APPLIES_FROM = (
    "Runs already approved are not rewritten. The next run that computes money for a usage "
    "period on or after the date uses the new grade for the days from the date on."
)


@dataclass(frozen=True)
class Segment:
    """From `start` (None: from the beginning) the patent has this grade and tier, until the
    next segment's start."""

    start: date | None
    grade: str | None
    tier: str | None


def segments(session: Session, *, pool_id: int) -> dict[int, tuple[Segment, ...]]:
    """The grade segments of every patent of the pool with a history, by patent id. The
    first segment reaches back without bound (a patent counts only inside its inclusion
    intervals anyway); of two changes of one day the later recorded wins."""
    rows = session.exec(
        select(PatentGrade)
        .where(PatentGrade.pool_id == pool_id)
        .order_by(col(PatentGrade.patent_id), col(PatentGrade.effective_on), col(PatentGrade.id))
    ).all()
    by_patent: dict[int, list[Segment]] = defaultdict(list)
    for row in rows:
        mine = by_patent[row.patent_id]
        if mine and mine[-1].start == row.effective_on:
            mine.pop()
        mine.append(Segment(row.effective_on if mine else None, row.grade, row.tier))
    return {patent_id: tuple(found) for patent_id, found in by_patent.items()}


def record(
    session: Session,
    patent: Patent,
    *,
    grade: str | None,
    tier: str | None,
    effective_on: date,
    source: GradeSource,
    actor: audit.Actor,
    now: datetime,
    reason: str | None = None,
    reference: str | None = None,
) -> PatentGrade:
    """Append one dated grade (no checks: the callers check), move `patent.grade`/`tier` to
    the latest by date, and audit both in the caller's transaction."""
    before = snapshot(patent)
    row = PatentGrade(
        patent_id=patent.id or 0,
        pool_id=patent.pool_id,
        grade=grade,
        tier=tier,
        effective_on=effective_on,
        source=source,
        reference=reference,
        reason=reason,
        recorded_by_user_id=actor.user_id,
        recorded_by=actor.label,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    latest = session.exec(
        select(PatentGrade)
        .where(PatentGrade.patent_id == patent.id)
        .order_by(col(PatentGrade.effective_on).desc(), col(PatentGrade.id).desc())
    ).first()
    assert latest is not None  # the row just added
    patent.grade, patent.tier, patent.updated_at = latest.grade, latest.tier, now
    session.add(patent)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"patent.graded.{source}",
        entity_type="patent",
        entity_id=patent.id,
        pool_id=patent.pool_id,
        before=before,
        after={**(snapshot(patent) or {}), "grade_change": snapshot(row)},
        now=now,
    )
    return row


def regrade(
    session: Session,
    *,
    principal: Principal,
    patent_id: int,
    data: PatentRegrade,
    now: datetime,
) -> RegradeResult:
    """An administrator's regrade of a patent from a date (`change`, source "administrator")."""
    patent = get(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    return change(
        session,
        patent,
        data=data,
        actor=audit.Actor.of(principal),
        now=now,
        source=GradeSource.ADMINISTRATOR,
    )


def change(
    session: Session,
    patent: Patent,
    *,
    data: PatentRegrade,
    actor: audit.Actor,
    now: datetime,
    source: GradeSource,
    reference: str | None = None,
) -> RegradeResult:
    """Check and record a new grade and/or tier from a date; the caller has checked who may
    (a challenge's outcome passes source "challenge" and its reference). The date must fall
    while the patent is in the pool: not before its admission, and before its end if it has
    ended. Says which approved runs it does not rewrite."""
    if patent.admitted_on is None or patent.status not in _GRADED:
        raise InvalidInput.field("patent_id", "only an admitted patent has a grade to change")
    if data.effective_on < patent.admitted_on:
        raise InvalidInput.field("effective_on", "must not be before the patent was admitted")
    if patent.ended_on is not None and data.effective_on >= patent.ended_on:
        raise InvalidInput.field("effective_on", "must be before the patent left the pool")
    if data.grade is None and data.tier is None:
        raise InvalidInput.field("grade", "give a grade, a tier or both")
    current = grade_on(session, patent, data.effective_on)
    grade = data.grade if data.grade is not None else current.grade
    tier = data.tier if data.tier is not None else current.tier
    pool = session.get(Pool, patent.pool_id)
    assert pool is not None  # a foreign key
    if pool.allocation_method == AllocationMethod.GRADE_WEIGHTED and grade is None:
        raise InvalidInput.field("grade", "this pool weights patents by grade: give one")
    if pool.allocation_method == AllocationMethod.TIERED and tier is None:
        raise InvalidInput.field("tier", "this pool splits money by tier: give one")
    row = record(
        session,
        patent,
        grade=grade,
        tier=tier,
        effective_on=data.effective_on,
        source=source,
        actor=actor,
        now=now,
        reason=data.reason,
        reference=reference,
    )
    approved = session.exec(
        select(DistributionRun)
        .where(
            DistributionRun.pool_id == patent.pool_id,
            DistributionRun.status == RunStatus.APPROVED,
            col(DistributionRun.period_end) > data.effective_on,
        )
        .order_by(col(DistributionRun.period_start))
    ).all()
    return RegradeResult(
        change=GradeChangeRead.model_validate(row),
        applies_from=APPLIES_FROM,
        approved_runs_not_rewritten=[
            RunNotRewritten(run_id=r.id or 0, period_start=r.period_start, period_end=r.period_end)
            for r in approved
        ],
    )


_GRADED = frozenset(
    {
        PatentStatus.ACCEPTED,
        PatentStatus.EXPIRED,
        PatentStatus.LAPSED,
        PatentStatus.INVALIDATED,
        PatentStatus.WITHDRAWN,
        PatentStatus.TRANSFERRED,
    }
)


def grade_on(session: Session, patent: Patent, day: date) -> Segment:
    """The patent's grade and tier on `day` (its columns when it has no history)."""
    found = segments_of(session, patent)
    current = Segment(None, patent.grade, patent.tier)
    for segment in found:
        if segment.start is None or segment.start <= day:
            current = segment
    return current


def segments_of(session: Session, patent: Patent) -> tuple[Segment, ...]:
    return segments(session, pool_id=patent.pool_id).get(patent.id or 0, ())


def history(
    session: Session, *, principal: Principal, patent_id: int, limit: int, offset: int
) -> Page[GradeChangeRead]:
    """A patent's grade history, by effective date then as recorded (its readers: its owner,
    administrators and auditors)."""
    patent = get(session, principal=principal, patent_id=patent_id)
    query = select(PatentGrade).where(PatentGrade.patent_id == patent.id)
    ordered = query.order_by(col(PatentGrade.effective_on), col(PatentGrade.id))
    return paginate(
        session, ordered, limit=limit, offset=offset, convert=GradeChangeRead.model_validate
    )
