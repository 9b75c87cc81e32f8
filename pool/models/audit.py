"""The append-only, hash-chained audit trail."""

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from pool.models.base import json_field, timestamp_field


class AuditEvent(SQLModel, table=True):
    """One state change. `hash` = SHA-256 over `prev_hash` and the canonical event body.

    `prev_hash` is unique, so two transactions racing to extend the chain cannot both commit.
    """

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp_field(index=True)
    actor_user_id: int | None = Field(default=None, index=True)
    actor: str = Field(max_length=254)
    action: str = Field(max_length=64, index=True)
    entity_type: str = Field(max_length=64, index=True)
    entity_id: str = Field(max_length=64, index=True)
    pool_id: int | None = Field(default=None, index=True)
    before: dict[str, Any] | None = json_field(default=None)
    after: dict[str, Any] | None = json_field(default=None)
    prev_hash: str = Field(max_length=64, unique=True)
    hash: str = Field(max_length=64, unique=True)


class AuditEventRead(SQLModel):
    id: int
    at: datetime
    actor_user_id: int | None
    actor: str
    action: str
    entity_type: str
    entity_id: str
    pool_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    prev_hash: str
    hash: str


class AuditVerification(SQLModel):
    ok: bool
    events_checked: int
    first_broken_id: int | None = None
    problem: str | None = None
