"""The demo's evaluation story (issue 19): an evaluation agency with two evaluators; two
patents double-evaluated in spring, one agreed (admitted on the second finding's date), one
disagreement the administrator decided; each read through the services' tables and audit."""

from datetime import date

import pytest
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from pool.models.evaluation import EvaluationAssignment, EvaluationFinding, EvidenceDocument
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
