"""A contributor organisation's membership of a pool, and its dated caps and floors; rows are
never deleted (history kept)."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from pool.models.base import timestamp_field
from pool.models.integers import BodyId, Day


class Membership(SQLModel, table=True):
    __table_args__ = (
        Index(
            "uq_membership_open",
            "pool_id",
            "organisation_id",
            unique=True,
            sqlite_where=text("withdrawn_on IS NULL"),
            postgresql_where=text("withdrawn_on IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    joined_on: date
    agreement_version: str = Field(max_length=50)
    withdrawn_on: date | None = None
    created_at: datetime = timestamp_field()


class MembershipCreate(SQLModel):
    organisation_id: BodyId
    joined_on: Day
    agreement_version: str = Field(min_length=1, max_length=50)


class MembershipWithdraw(SQLModel):
    withdrawn_on: Day


class MembershipRead(SQLModel):
    id: int
    pool_id: int
    organisation_id: int
    joined_on: date
    agreement_version: str
    withdrawn_on: date | None
    created_at: datetime


class BoundKind(StrEnum):
    CAP = "cap"
    FLOOR = "floor"


class MembershipBound(SQLModel, table=True):
    """A contributor's cap or floor as a share of the distributable money of each usage
    period, from a date; a later row of the same kind replaces it from its own date, and a
    row without a share lifts the bound. Rows are never changed or deleted (history kept)."""

    __tablename__ = "membership_bound"

    id: int | None = Field(default=None, primary_key=True)
    membership_id: int = Field(foreign_key="membership.id", index=True)
    kind: str = Field(max_length=8)
    share: str | None = Field(default=None, max_length=16)  # a Decimal in (0, 1]
    effective_from: date
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp_field()


class BoundCreate(SQLModel):
    kind: BoundKind
    share: Decimal | None = Field(
        gt=0,
        le=1,
        max_digits=5,
        decimal_places=4,
        description="Share of the distributable money, e.g. 0.2 for 20 %; null lifts the bound.",
    )
    effective_from: Day = Field(
        description="Runs use the bound in force on the first day of each usage period."
    )


class BoundRead(SQLModel):
    id: int
    membership_id: int
    kind: BoundKind
    share: Decimal | None
    effective_from: date
    created_at: datetime
