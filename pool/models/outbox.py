"""Messages waiting to be sent (reminders, statements): written by jobs in their transaction,
delivered by `pool.services.mail.delivery`. `dedupe_key` is unique, so a message is written once
however often (or on however many workers) the job that writes it runs.

Delivery state: `pending` (due when `next_attempt_at` is null or has come) -> `sending` (claimed
by one worker until `claimed_until`, its lease) -> `sent` (`sent_at`), or back to `pending` with
a later `next_attempt_at` after a failure, or `failed` after too many attempts (an admin can
requeue it). `message_id` is derived from `dedupe_key`, so every attempt carries the same
Message-ID header and a receiver can drop a duplicate.

A message goes to an organisation (its active users) or to a role (`recipient_role`: every
active user holding it, e.g. the auditors); exactly one of the two is set."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, timestamp_field


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        CheckConstraint(
            "(recipient_organisation_id IS NULL) <> (recipient_role IS NULL)",
            name="ck_outbox_message_one_recipient",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = enum_field(32, index=True)
    pool_id: int | None = Field(default=None, foreign_key="pool.id", index=True)
    recipient_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True
    )
    """The organisation whose active users get the message; or none, and then:"""
    recipient_role: str | None = enum_field(16, default=None, nullable=True)
    """Every active user holding this role (the auditors: the daily audit checkpoint)."""
    subject: str = Field(max_length=300)
    body: str = Field(max_length=8000)
    dedupe_key: str = Field(max_length=200, unique=True)
    statement_id: int | None = Field(default=None, foreign_key="statement.id", index=True)
    """Attach this statement's stored documents (PDF, HTML, CSV: those that exist)."""
    created_at: datetime = timestamp_field()
    status: str = enum_field(
        16, default=OutboxStatus.PENDING, sa_column_kwargs={"server_default": "pending"}
    )
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # failed sends
    next_attempt_at: datetime | None = timestamp_field(default=None, nullable=True)
    """Not before this time; null means due at once (new messages)."""
    claimed_until: datetime | None = timestamp_field(default=None, nullable=True)
    """The lease of the worker sending it; after this another worker may claim it again."""
    last_error: str | None = Field(default=None, max_length=2000)
    message_id: str | None = Field(default=None, max_length=250)  # the Message-ID header
    sent_at: datetime | None = timestamp_field(default=None, nullable=True)
