"""Messages waiting to be sent (reminders now, statements later): written by jobs in their
transaction, delivered by a later step. `dedupe_key` is unique, so a message is written once
however often (or on however many workers) the job that writes it runs."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, timestamp_field


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = enum_field(32, index=True)
    pool_id: int | None = Field(default=None, foreign_key="pool.id", index=True)
    recipient_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=8000)
    dedupe_key: str = Field(max_length=200, unique=True)
    created_at: datetime = timestamp_field()
    sent_at: datetime | None = timestamp_field(default=None, nullable=True)
