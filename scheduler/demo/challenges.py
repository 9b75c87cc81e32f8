"""The demo's challenge (issue 19), through the services as the portal and the API call them:
in June a licensee holding a licence challenges the grade of a directly admitted grade-A
patent (one no evaluator has found on, and no deal names); the administrator assigns the
first demo evaluator, who made no finding on it, to re-evaluate; the re-evaluator finds it
grade C; on 1 July the administrator closes the challenge with a regrade from 1 July, so the
runs of the third and fourth quarters share its royalties by grade C (the first two keep A)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.deal import PatentDealPatent
from pool.models.evaluation import (
    ChallengeAssign,
    ChallengeClose,
    ChallengeCreate,
    ChallengeFindingCreate,
    ChallengeGround,
    ChallengeOutcome,
    EvaluationFinding,
)
from pool.models.licensing import LicenceAgreement
from pool.models.patent import Grade, Patent, PatentStatus
from pool.services.patents import challenge_outcomes, challenges
from scheduler.demo import founding
from scheduler.demo.records import Plan

Action = Callable[[Session, datetime], str]
FROM_GRADE, TO_GRADE = Grade.A, Grade.C


@dataclass
class Story:
    challenge_id: int = 0
    notes: list[str] = field(default_factory=list)


def agenda(the_plan: Plan, built: founding.Built) -> Iterator[tuple[date, Action]]:
    """Filed on 2 June, assigned on 3 June, found on 9 June, closed on 1 July (a regrade from
    that day)."""
    if not built.evaluators:
        return
    year, story = the_plan.year, Story()
    yield date(year, 6, 2), _filer(built, story)
    yield date(year, 6, 3), _assigner(built, story)
    yield date(year, 6, 9), _finder(built, story)
    yield date(year, 7, 1), _closer(built, story)


def _target(session: Session, pool_id: int, year: int) -> Patent | None:
    """The latest admitted grade-A patent in force all year that no evaluator found on and no
    deal names: its challenge changes nothing but its grade."""
    dealt = select(PatentDealPatent.patent_id)
    found = select(EvaluationFinding.patent_id)
    return session.exec(
        select(Patent)
        .where(
            Patent.pool_id == pool_id,
            Patent.status == PatentStatus.ACCEPTED,
            Patent.grade == FROM_GRADE,
            col(Patent.admitted_on) <= date(year, 1, 1),
            col(Patent.expiry_date) > date(year + 1, 2, 1),
            col(Patent.id).not_in(dealt),
            col(Patent.id).not_in(found),
        )
        .order_by(col(Patent.id).desc())
    ).first()


def _challenger(session: Session, built: founding.Built) -> Principal | None:
    """The user of the licensee holding the pool's oldest active licence."""
    holders = session.exec(
        select(LicenceAgreement.licensee_organisation_id)
        .where(LicenceAgreement.pool_id == built.pool_id, LicenceAgreement.state == "active")
        .order_by(col(LicenceAgreement.id))
    ).all()
    by_org = {p.organisation_id: p for p in built.users.values()}
    return next((by_org[org] for org in holders if org in by_org), None)


def _filer(built: founding.Built, story: Story) -> Action:
    def file(session: Session, now: datetime) -> str:
        patent = _target(session, built.pool_id, now.year)
        licensee = _challenger(session, built)
        if patent is None or licensee is None:
            return "challenges skipped (no admitted grade-A patent or no licensee)"
        data = ChallengeCreate(
            ground=ChallengeGround.GRADE, filed_on=now.date(),
            reasons="权利要求 1 仅覆盖标准的可选功能，不应评为 A 级",
        )  # fmt: skip
        challenge = challenges.file(
            session, principal=licensee, patent_id=patent.id or 0, data=data, now=now
        )
        story.challenge_id = challenge.id or 0
        return "challenges filed"

    return file


def _assigner(built: founding.Built, story: Story) -> Action:
    def assign(session: Session, now: datetime) -> str:
        if not story.challenge_id:
            return "challenges skipped"
        data = ChallengeAssign(
            evaluator_user_id=built.evaluators[0].user_id, assigned_on=now.date()
        )
        challenges.assign(
            session, principal=built.admin, challenge_id=story.challenge_id, data=data, now=now
        )
        return "challenges assigned"

    return assign


def _finder(built: founding.Built, story: Story) -> Action:
    def find(session: Session, now: datetime) -> str:
        if not story.challenge_id:
            return "challenges skipped"
        patent = session.get(
            Patent,
            challenges.get(
                session, principal=built.admin, challenge_id=story.challenge_id
            ).patent_id,
        )
        assert patent is not None  # a foreign key
        sections = {s: n == 0 for n, s in enumerate(patent.standard_sections)}
        data = ChallengeFindingCreate(
            essential=True, sections=sections, grade=TO_GRADE, recorded_on=now.date(),
            reasoning="权利要求 1 仅在可选功能中使用；必要，但等级应为 C",
        )  # fmt: skip
        challenge_outcomes.record_finding(
            session, principal=built.evaluators[0], challenge_id=story.challenge_id, data=data,
            now=now,
        )  # fmt: skip
        return "challenge findings"

    return find


def _closer(built: founding.Built, story: Story) -> Action:
    def close(session: Session, now: datetime) -> str:
        if not story.challenge_id:
            return "challenges skipped"
        data = ChallengeClose(
            outcome=ChallengeOutcome.REGRADE, decided_on=now.date(), effective_on=now.date(),
            grade=TO_GRADE, reasons="采纳复评意见：自 7 月 1 日起改为 C 级",
        )  # fmt: skip
        challenge_outcomes.close(
            session, principal=built.admin, challenge_id=story.challenge_id, data=data, now=now
        )
        return "challenges closed"

    return close
