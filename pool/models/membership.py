"""A contributor organisation's membership of a pool; rows are never deleted (history kept)."""

from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from pool.models.base import timestamp_field
from pool.models.integers import BodyId


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
    joined_on: date
    agreement_version: str = Field(min_length=1, max_length=50)


class MembershipWithdraw(SQLModel):
    withdrawn_on: date


class MembershipRead(SQLModel):
    id: int
    pool_id: int
    organisation_id: int
    joined_on: date
    agreement_version: str
    withdrawn_on: date | None
    created_at: datetime
