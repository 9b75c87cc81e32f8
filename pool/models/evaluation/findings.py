"""Who evaluates a patent and what they found: the administrator's assignments (one or two
independent evaluators, a third to break a disagreement) and each evaluator's finding."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, timestamp_field
from pool.models.integers import BodyId, Day
from pool.models.patent import Grade, PatentRead, Tier


class EvaluationState(StrEnum):
    """Where a patent's evaluation stands, derived from its assignments and findings."""

    UNASSIGNED = "unassigned"  # under evaluation, nobody assigned yet
    AWAITING_FINDINGS = "awaiting_findings"
    AWAITING_DECISION = "awaiting_decision"  # two findings disagree
    DECIDED = "decided"  # the patent was admitted or rejected


class EvaluationAssignment(SQLModel, table=True):
    __tablename__ = "evaluation_assignment"
    __table_args__ = (
        UniqueConstraint("patent_id", "evaluator_user_id", name="uq_assignment_patent_evaluator"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    evaluator_user_id: int = Field(foreign_key="user.id", index=True)
    assigned_by_user_id: int = Field(foreign_key="user.id")
    assigned_on: date
    tie_breaker: bool = False  # the third evaluator, assigned after a disagreement
    assigned_at: datetime = timestamp_field()
    due_on: date | None = None  # the finding is due by then (none: no date was set)


class EvaluationFinding(SQLModel, table=True):
    """One evaluator's finding: essential or not per standard section, the grade or tier, the
    reasoning and the claim chart (a version of it) that was read."""

    __tablename__ = "evaluation_finding"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="evaluation_assignment.id", unique=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    evaluator_user_id: int = Field(foreign_key="user.id")
    essential: bool
    sections: dict[str, bool] = json_field(default_factory=dict)
    grade: str | None = enum_field(2, default=None)
    tier: str | None = enum_field(2, default=None)
    reasoning: str = Field(max_length=8000)
    claim_chart_id: int = Field(foreign_key="evidence_document.id")
    recorded_on: date
    recorded_at: datetime = timestamp_field()


class AssignmentCreate(SQLModel):
    """`due_on`, when given, must not be before the service's today."""

    evaluator_user_id: BodyId
    assigned_on: Day
    due_on: Day | None = None


class AssignmentRead(SQLModel):
    id: int
    patent_id: int
    evaluator_user_id: int
    assigned_by_user_id: int
    assigned_on: date
    tie_breaker: bool
    due_on: date | None


class FindingCreate(SQLModel):
    """`sections` maps each of the patent's standard sections to essential (true) or not; a
    patent without sections gives `{}` and says it in `essential`."""

    sections: dict[str, bool] = Field(default_factory=dict, max_length=200)
    essential: bool
    grade: Grade | None = None
    tier: Tier | None = None
    reasoning: str = Field(min_length=1, max_length=8000)
    claim_chart_id: BodyId
    recorded_on: Day


class FindingRead(SQLModel):
    id: int
    assignment_id: int
    evaluator_user_id: int
    essential: bool
    sections: dict[str, bool]
    grade: Grade | None
    tier: Tier | None
    reasoning: str
    claim_chart_id: int
    recorded_on: date


class DecisionCreate(SQLModel):
    """The administrator's decision on a disagreement: admit (with grade or tier) or reject."""

    essential: bool
    grade: Grade | None = None
    tier: Tier | None = None
    decided_on: Day
    reasons: str = Field(min_length=1, max_length=4000)


class EvaluationRead(SQLModel):
    """The evaluation on one page: the patent, its state, assignments and findings side by
    side (in the order they were recorded)."""

    patent: PatentRead
    state: EvaluationState
    assignments: list[AssignmentRead]
    findings: list[FindingRead]
