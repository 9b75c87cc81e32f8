"""The demo's evaluation story (issue 19): an evaluation agency with two evaluators; two
patents double-evaluated in spring, one agreed (admitted on the second finding's date), one
disagreement the administrator decided; each read through the services' tables and audit."""

from datetime import date

import pytest
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from pool.models.distribution import DistributionRun, RunPatentLine
from pool.models.evaluation import (
    Challenge,
    ChallengeFinding,
    EvaluationAssignment,
    EvaluationFinding,
    EvidenceDocument,
)
from pool.models.grading import PatentGrade
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.patent import Patent
from pool.models.user import User
from tests.scheduler.demo_year import Built

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]


def test_the_demo_has_an_agency_two_evaluators_and_a_decided_disagreement(built: Built) -> None:
    with Session(built.engine) as s:
        agencies = s.exec(
            select(Organisation.id).where(Organisation.kind == "evaluation_agency")
        ).all()
        evaluators = s.exec(
            select(User.organisation_id).where(User.role == "evaluator").order_by(col(User.id))
        ).all()
        assigned = s.exec(
            select(EvaluationAssignment.patent_id).order_by(col(EvaluationAssignment.id))
        ).all()
        patents = {p: s.get(Patent, p) for p in set(assigned)}
        grades = {
            (f.patent_id, f.evaluator_user_id): f.grade
            for f in s.exec(select(EvaluationFinding).order_by(col(EvaluationFinding.id)))
        }
        charts = s.exec(select(EvidenceDocument.kind)).all()
        actions = s.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert len(agencies) == 1
    assert evaluators == [agencies[0], agencies[0]]
    assert len(patents) == 2
    assert all(assigned.count(p) == 2 for p in patents)  # double evaluation
    assert len(grades) == 4
    assert charts == ["claim_chart", "claim_chart"]
    agreed, disputed = sorted(patents)
    assert patents[agreed] is not None
    assert patents[disputed] is not None
    assert patents[agreed].status == "accepted"
    assert patents[agreed].grade == "B"
    assert patents[agreed].admitted_on == date(2025, 5, 6)  # the second, agreeing finding
    assert patents[disputed].status == "accepted"
    assert patents[disputed].grade == "B"
    assert patents[disputed].admitted_on == date(2025, 5, 20)  # the administrator's decision
    assert {g for (p, _), g in grades.items() if p == disputed} == {"A", "C"}
    assert actions.count("patent.evaluation_disagreed") == 1
    assert actions.count("patent.evaluation_decided") == 1


def test_the_demos_challenge_regrades_a_patent_from_1_july(built: Built) -> None:
    """A licensee's grade challenge of a directly admitted grade-A patent; a demo evaluator
    who made no finding on it re-evaluates; closed on 1 July with grade C from that day, so
    the runs of the quarters from July share its royalties by grade C, the earlier ones by A."""
    with Session(built.engine) as s:
        (challenge,) = s.exec(select(Challenge)).all()
        finding = s.exec(select(ChallengeFinding)).one()
        patent = s.get(Patent, challenge.patent_id)
        licensees = s.exec(select(LicenceAgreement.licensee_organisation_id)).all()
        original = s.exec(
            select(EvaluationFinding.id).where(EvaluationFinding.patent_id == challenge.patent_id)
        ).all()
        history = s.exec(
            select(PatentGrade).where(PatentGrade.patent_id == challenge.patent_id)
        ).all()
        lines = s.exec(
            select(RunPatentLine.usage_start, RunPatentLine.grade)
            .join(DistributionRun, col(DistributionRun.id) == RunPatentLine.run_id)
            .where(RunPatentLine.patent_id == challenge.patent_id)
        ).all()
        actions = s.exec(
            select(AuditEvent.action).where(AuditEvent.entity_type == "challenge")
        ).all()
    assert challenge.challenger_organisation_id in licensees
    assert original == []  # admitted directly: nobody's finding to re-evaluate
    assert (challenge.ground, challenge.state, challenge.outcome) == ("grade", "closed", "regrade")
    assert (challenge.decided_on, challenge.effective_on) == (date(2025, 7, 1), date(2025, 7, 1))
    assert finding.evaluator_user_id == challenge.reevaluator_user_id
    assert finding.grade == "C"
    assert patent is not None
    assert (patent.status, patent.grade) == ("accepted", "C")
    assert [(g.grade, g.effective_on, g.source, g.reference) for g in history][-1] == (
        "C",
        date(2025, 7, 1),
        "challenge",
        challenge.reference,
    )
    assert {grade for start, grade in lines if start < date(2025, 7, 1)} == {"A"}
    assert {grade for start, grade in lines if start >= date(2025, 7, 1)} == {"C"}
    assert actions == [
        "patent.challenge_filed",
        "patent.challenge_assigned",
        "patent.challenge_closed",
    ]
