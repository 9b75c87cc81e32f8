"""Challenges of an admitted patent's essentiality or grade (issue 19): a licensee holding a
licence of the pool, or a member contributor, files one with reasons and documents; the
administrator assigns a re-evaluator who did not make the original finding; the re-evaluator
records a finding; the administrator closes it with a dated outcome (keep, regrade from a date,
end the inclusion from a date). The rows stay part of the patent's record."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, timestamp_field
from pool.models.integers import BodyId, Day
from pool.models.patent import Grade, PatentStatus, Tier


class ChallengeGround(StrEnum):
    ESSENTIALITY = "essentiality"
    GRADE = "grade"


class ChallengeState(StrEnum):
    FILED = "filed"  # nobody assigned yet
    ASSIGNED = "assigned"  # a re-evaluator is assigned, no finding yet
    FOUND = "found"  # the re-evaluator's finding is in; the administrator closes it
    CLOSED = "closed"


class ChallengeOutcome(StrEnum):
    KEEP = "keep"
    REGRADE = "regrade"
    END = "end"


class Challenge(SQLModel, table=True):
    __tablename__ = "challenge"

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    challenger_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    challenger_user_id: int = Field(foreign_key="user.id")
    ground: str = enum_field(16)
    reasons: str = Field(max_length=8000)
    filed_on: date
    state: str = enum_field(16, index=True)
    reevaluator_user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    assigned_on: date | None = None
    outcome: str | None = enum_field(16, default=None)
    decided_on: date | None = None
    effective_on: date | None = None  # a regrade's or an end's date
    outcome_reasons: str | None = Field(default=None, max_length=4000)
    filed_at: datetime = timestamp_field()

    @property
    def reference(self) -> str:
        """How the grade history and the audit trail name the challenge."""
        return f"challenge-{self.id}"


class ChallengeDocument(SQLModel, table=True):
    """A document filed with a challenge, stored like evidence (sniffed type, SHA-256, size);
    the same bytes are filed once per challenge."""

    __tablename__ = "challenge_document"
    __table_args__ = (
        UniqueConstraint("challenge_id", "sha256", name="uq_challenge_document_sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(foreign_key="challenge.id", index=True)
    title: str = Field(max_length=200)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    content: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(max_length=64)
    size_bytes: int
    uploaded_by_user_id: int = Field(foreign_key="user.id")
    uploaded_at: datetime = timestamp_field()


class ChallengeFinding(SQLModel, table=True):
    """The re-evaluator's finding, the same shape as an evaluation finding."""

    __tablename__ = "challenge_finding"

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(foreign_key="challenge.id", unique=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    evaluator_user_id: int = Field(foreign_key="user.id")
    essential: bool
    sections: dict[str, bool] = json_field(default_factory=dict)
    grade: str | None = enum_field(2, default=None)
    tier: str | None = enum_field(2, default=None)
    reasoning: str = Field(max_length=8000)
    claim_chart_id: int | None = Field(default=None, foreign_key="evidence_document.id")
    recorded_on: date
    recorded_at: datetime = timestamp_field()


class ChallengeCreate(SQLModel):
    ground: ChallengeGround
    reasons: str = Field(min_length=1, max_length=8000)
    filed_on: Day


class ChallengeAssign(SQLModel):
    evaluator_user_id: BodyId
    assigned_on: Day


class ChallengeFindingCreate(SQLModel):
    """As an evaluation finding; `claim_chart_id` (one of the patent's claim charts) is
    optional: a patent admitted without independent evaluation may have none."""

    sections: dict[str, bool] = Field(default_factory=dict, max_length=200)
    essential: bool
    grade: Grade | None = None
    tier: Tier | None = None
    reasoning: str = Field(min_length=1, max_length=8000)
    claim_chart_id: BodyId | None = None
    recorded_on: Day


class ChallengeClose(SQLModel):
    """keep; regrade (`effective_on`, `grade` and/or `tier`); end (`effective_on`,
    `end_status`, by default invalidated)."""

    outcome: ChallengeOutcome
    decided_on: Day
    effective_on: Day | None = None
    grade: Grade | None = None
    tier: Tier | None = None
    end_status: PatentStatus = PatentStatus.INVALIDATED
    reasons: str = Field(min_length=1, max_length=4000)


class ChallengeFindingRead(SQLModel):
    id: int
    evaluator_user_id: int
    essential: bool
    sections: dict[str, bool]
    grade: Grade | None
    tier: Tier | None
    reasoning: str
    claim_chart_id: int | None
    recorded_on: date


class ChallengeDocumentRead(SQLModel):
    id: int
    challenge_id: int
    title: str
    filename: str
    content_type: str
    sha256: str
    size_bytes: int
    uploaded_by_user_id: int
    uploaded_at: datetime


class ChallengeRead(SQLModel):
    id: int
    reference: str
    pool_id: int
    patent_id: int
    challenger_organisation_id: int
    ground: ChallengeGround
    reasons: str
    filed_on: date
    state: ChallengeState
    reevaluator_user_id: int | None
    assigned_on: date | None
    outcome: ChallengeOutcome | None
    decided_on: date | None
    effective_on: date | None
    outcome_reasons: str | None
    finding: ChallengeFindingRead | None = None
