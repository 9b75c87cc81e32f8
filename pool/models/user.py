"""Users, their roles, login sessions / API tokens, and login attempts (for rate limiting)."""

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from annotated_types import Interval
from pydantic import field_validator
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, timestamp_field
from pool.models.integers import BodyId, NotBool

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Role(StrEnum):
    ADMIN = "admin"
    CONTRIBUTOR = "contributor"
    LICENSEE = "licensee"
    AUDITOR = "auditor"
    EVALUATOR = "evaluator"  # an evaluation agency's user: sees only the patents assigned


ORGANISATION_ROLES = frozenset({Role.CONTRIBUTOR, Role.LICENSEE, Role.EVALUATOR})


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=200)
    role: str = enum_field()
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    is_active: bool = True
    created_at: datetime = timestamp_field()


def normalise_email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("not a valid e-mail address")
    return value


class UserCreate(SQLModel):
    email: str = Field(max_length=254)
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=12, max_length=200)
    role: Role
    organisation_id: BodyId | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return normalise_email(value)


class UserRead(SQLModel):
    id: int
    email: str
    display_name: str
    role: Role
    organisation_id: int | None
    is_active: bool
    created_at: datetime


class ApiToken(SQLModel, table=True):
    """A bearer token, stored only as its SHA-256: a leaked table cannot be replayed."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=100)
    kind: str = enum_field(16)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = timestamp_field()
    expires_at: datetime | None = timestamp_field(default=None)
    revoked_at: datetime | None = timestamp_field(default=None)
    last_used_at: datetime | None = timestamp_field(default=None)


class ApiTokenCreate(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    # `Interval`, not `Field(ge=, le=)`: the OpenAPI document keeps it inside `| None`
    expires_in_days: Annotated[int, Interval(ge=1, le=3650), NotBool] | None = None


class ApiTokenRead(SQLModel):
    id: int
    name: str
    kind: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiTokenIssued(ApiTokenRead):
    """Returned once, at creation: the only time the secret is ever shown."""

    token: str


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(max_length=64, index=True)
    at: datetime = timestamp_field(index=True)
    succeeded: bool


class LoginRequest(SQLModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class LoginResponse(SQLModel):
    token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: UserRead
