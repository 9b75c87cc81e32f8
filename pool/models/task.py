"""Long-running actions started from a page (a period closed by hand, a large CSV import).

The page starts a task and returns at once; a worker thread in the service runs it and writes
its progress here in short transactions, and the page polls this row. The action itself stays
one transaction (all or nothing): the row only says how far it got and how it ended.

Each row names its `owner`, the runner (one per process start) that queued it, and that runner
refreshes `heartbeat_at` while the task is unfinished. A task still `queued` or `running` whose
owner stopped beating was interrupted (its process died or was stopped): it is marked failed,
and since its work never committed, nothing is half-done (pool/services/tasks/ownership.py)."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, timestamp_field


class TaskStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class BackgroundTask(SQLModel, table=True):
    __tablename__ = "background_task"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = enum_field(40, index=True)  # e.g. "period_close", "report_import"
    pool_id: int | None = Field(default=None, foreign_key="pool.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    started_by_user_id: int = Field(foreign_key="user.id", index=True)
    status: str = enum_field(16, default=TaskStatus.QUEUED, index=True)
    step: str = Field(default="", max_length=200)  # what it is doing now (an English msgid)
    done: int = 0  # units of work finished, out of `total` (0 = not known yet)
    total: int = 0
    result: dict[str, Any] | None = json_field(default=None, nullable=True)
    error: str | None = Field(default=None, max_length=4000)  # a readable message, never a trace
    created_at: datetime = timestamp_field()
    started_at: datetime | None = timestamp_field(default=None, nullable=True)
    finished_at: datetime | None = timestamp_field(default=None, nullable=True)
    owner: str | None = Field(default=None, max_length=120)  # host:pid:start:token of its runner
    heartbeat_at: datetime | None = timestamp_field(default=None, nullable=True)
