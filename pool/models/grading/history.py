"""The dated history of a patent's grade and tier.

A row says "from `effective_on`, the patent's grade is `grade` (and tier `tier`)": the grade
given at admission (from `admitted_on`) and every later change (an administrator's regrade,
a challenge's outcome). A patent's grade on a day is the row with the latest `effective_on`
on or before that day (two rows of one day: the later recorded wins). Rows are never edited
or deleted: a mistaken regrade is corrected by another one. `patent.grade` / `patent.tier`
hold the grade of the latest row (docs/distribution.md, "Regrades")."""

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, timestamp_field
from pool.models.integers import Day
from pool.models.patent import Grade, Tier


class GradeSource(StrEnum):
    ADMISSION = "admission"
    ADMINISTRATOR = "administrator"
    CHALLENGE = "challenge"


class PatentGrade(SQLModel, table=True):
    __tablename__ = "patent_grade"

    id: int | None = Field(default=None, primary_key=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    grade: str | None = enum_field(2, default=None)
    tier: str | None = enum_field(2, default=None)
    effective_on: date
    source: str = enum_field(16, default=GradeSource.ADMINISTRATOR)
    reference: str | None = Field(default=None, max_length=200)  # e.g. "challenge 12"
    reason: str | None = Field(default=None, max_length=4000)
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_by: str = Field(max_length=200)  # the user's label, or a system actor
    recorded_at: datetime = timestamp_field()


class PatentRegrade(SQLModel):
    """A new grade and/or tier from a date; a field left out keeps its value on that date."""

    grade: Grade | None = None
    tier: Tier | None = None
    effective_on: Day
    reason: str = Field(min_length=1, max_length=4000)


class GradeChangeRead(SQLModel):
    id: int
    patent_id: int
    grade: Grade | None
    tier: Tier | None
    effective_on: date
    source: GradeSource
    reference: str | None
    reason: str | None
    recorded_by: str
    recorded_at: datetime


class RunNotRewritten(SQLModel):
    """An approved run whose statement period includes days from the regrade on."""

    run_id: int
    period_start: date
    period_end: date


class RegradeResult(SQLModel):
    change: GradeChangeRead
    applies_from: str  # why approved runs keep their figures and what the next run does
    approved_runs_not_rewritten: list[RunNotRewritten]
