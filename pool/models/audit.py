"""The append-only, hash-chained audit trail and its signed checkpoints."""

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, timestamp_field


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
    """The chain (`events_checked`, the first broken link) and, from the API, what anchors and
    rests on it: the signed checkpoints and the money tables re-derived from the events.
    `problems` names each place that does not hold (the first 50)."""

    ok: bool
    events_checked: int
    first_broken_id: int | None = None
    problem: str | None = None
    checkpoints: int = 0
    checkpoints_holding: int = 0
    money_rows_checked: dict[str, int] = Field(default_factory=dict)
    money_disagreements: int = 0
    problems: list[str] = Field(default_factory=list)


class AuditCheckpoint(SQLModel, table=True):
    """The chain's head at one moment, signed with the audit key (HMAC-SHA256; see
    `pool.services.audit.anchor`). Only the key's fingerprint is stored, never the key.
    `event_id` 0 with the genesis hash is a checkpoint of an empty trail."""

    __tablename__ = "audit_checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    taken_at: datetime = timestamp_field(index=True)
    event_id: int = Field(index=True)
    head_hash: str = Field(max_length=64)
    key_fingerprint: str = Field(max_length=16)
    signature: str = Field(max_length=64)
    reason: str = enum_field(32)
