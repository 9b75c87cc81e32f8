"""Patents submitted to a pool, their evaluation, and the intervals in which they count."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, timestamp_field
from pool.models.integers import BodyId, Day
from pool.models.patch import PatchBody, clearable, keep
from pool.validation import JURISDICTIONS


class PatentStatus(StrEnum):
    SUBMITTED = "submitted"
    UNDER_EVALUATION = "under_evaluation"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    LAPSED = "lapsed"
    INVALIDATED = "invalidated"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = (
        "transferred"  # assigned to another owner: recorded as a deal (pool/services/deals)
    )


END_STATES = frozenset(
    {
        PatentStatus.EXPIRED,
        PatentStatus.LAPSED,
        PatentStatus.INVALIDATED,
        PatentStatus.WITHDRAWN,
        PatentStatus.TRANSFERRED,
    }
)

PATENT_TRANSITIONS: dict[str, frozenset[str]] = {
    PatentStatus.SUBMITTED: frozenset(
        {PatentStatus.UNDER_EVALUATION, PatentStatus.WITHDRAWN, PatentStatus.TRANSFERRED}
    ),
    PatentStatus.UNDER_EVALUATION: frozenset(
        {
            PatentStatus.ACCEPTED,
            PatentStatus.REJECTED,
            PatentStatus.WITHDRAWN,
            PatentStatus.TRANSFERRED,
        }
    ),
    PatentStatus.ACCEPTED: END_STATES,
    PatentStatus.REJECTED: frozenset(),
    **{state: frozenset() for state in END_STATES},
}


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Tier(StrEnum):
    ONE = "1"
    TWO = "2"
    THREE = "3"


class Patent(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("pool_id", "number_key", "country", name="uq_patent_pool_number_country"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    owner_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    number: str = Field(max_length=40, index=True)
    number_key: str = Field(max_length=40)  # number without kind code: A1 and B1 are one patent
    jurisdiction: str = Field(max_length=2)
    country: str = Field(max_length=2, index=True)
    family_id: str | None = Field(default=None, max_length=64, index=True)
    title: str = Field(max_length=500)
    filing_date: date
    grant_date: date | None = None
    expiry_date: date | None = None
    standard_sections: list[str] = json_field(default_factory=list)
    status: str = enum_field(default=PatentStatus.SUBMITTED, index=True)
    essential: bool | None = None
    grade: str | None = enum_field(2, default=None)
    tier: str | None = enum_field(2, default=None)
    evaluator_user_id: int | None = Field(default=None, foreign_key="user.id")
    evaluation_notes: str | None = Field(default=None, max_length=4000)
    evaluated_on: date | None = None
    admitted_on: date | None = None
    ended_on: date | None = None
    submitted_at: datetime = timestamp_field(index=True)  # the patent list's default order
    updated_at: datetime = timestamp_field()


class PatentInclusion(SQLModel, table=True):
    """A half-open interval [start_on, end_on) in which a patent is in force *and* in the pool.

    Stored (not derived at read time) so allocation runs read days in force directly.
    `end_on` is None while no end is known.
    """

    __tablename__ = "patent_inclusion"

    id: int | None = Field(default=None, primary_key=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    country: str = Field(max_length=2)
    start_on: date
    end_on: date | None = None


class PatentCreate(SQLModel):
    number: str = Field(
        min_length=1,
        max_length=60,
        description=(
            "The patent number as an office writes it: an application, publication or grant "
            f"number of {', '.join(JURISDICTIONS)} (WO: PCT publications, and PCT applications "
            "as PCT/CC2019/123456), with its kind code where it has one; check digits "
            "(CN and DE application numbers) are verified. Stored in canonical form; "
            "formats in docs/patent_numbers.md."
        ),
    )
    country: str | None = Field(
        default=None,
        description="Where the patent is in force (ISO 3166); required for EP and WO numbers.",
    )
    family_id: str | None = Field(default=None, max_length=64)
    title: str = Field(min_length=1, max_length=500)
    filing_date: Day
    grant_date: Day | None = None
    expiry_date: Day | None = None
    standard_sections: list[str] = Field(default_factory=list, max_length=200)
    owner_organisation_id: BodyId | None = None


class PatentUpdate(PatchBody):
    family_id: str | None = clearable("The patent family's id.", max_length=64)
    title: str = keep("The patent's title.", min_length=1, max_length=500)
    filing_date: Day = keep("The filing date.")
    grant_date: Day | None = clearable("The grant date, on or after filing.")
    expiry_date: Day | None = clearable("The expiry date, after the grant.")
    standard_sections: list[str] = keep(
        "The standard's sections it is essential to; `[]` for none.", max_length=200
    )


class PatentAccept(SQLModel):
    grade: Grade | None = None
    tier: Tier | None = None
    admitted_on: Day
    notes: str | None = Field(default=None, max_length=4000)


class PatentReject(SQLModel):
    reason: str = Field(min_length=1, max_length=4000)
    essential: bool | None = False


class PatentEnd(SQLModel):
    status: PatentStatus
    on: Day
    reason: str | None = Field(default=None, max_length=4000)


class PatentFilters(SQLModel):
    status: PatentStatus | None = None
    country: str | None = None
    grade: Grade | None = None
    tier: Tier | None = None
    owner_organisation_id: int | None = None
    family_id: str | None = None
    q: str | None = None


class PatentRead(SQLModel):
    id: int
    pool_id: int
    owner_organisation_id: int
    number: str
    jurisdiction: str
    country: str
    family_id: str | None
    title: str
    filing_date: date
    grant_date: date | None
    expiry_date: date | None
    standard_sections: list[str]
    status: PatentStatus
    essential: bool | None
    grade: Grade | None
    tier: Tier | None
    evaluation_notes: str | None
    evaluated_on: date | None
    admitted_on: date | None
    ended_on: date | None
    submitted_at: datetime
    updated_at: datetime


class ImportSummary(SQLModel):
    imported: int
    patent_ids: list[int]


class InclusionRead(SQLModel):
    patent_id: int
    country: str
    start_on: date
    end_on: date | None


class PublicPatent(SQLModel):
    """What real pools publish: number, country, title, owner, standard sections; no grades."""

    number: str
    country: str
    title: str
    owner: str
    standard_sections: list[str]
    in_pool_since: date
    expiry_date: date | None
