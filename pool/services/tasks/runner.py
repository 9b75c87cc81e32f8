"""Background tasks: a page starts a long action (a period closed by hand, a large CSV import)
and returns at once; a small pool of worker threads in this process runs it.

* The action is one transaction in its own session, all or nothing, as it would be inside a
  request. On success the task row is marked `succeeded` in that same transaction, so a task
  whose work committed always says so.
* Fine progress (step, done, total) lives in memory (`LiveProgress`), keyed by task id: on
  SQLite a progress UPDATE from a second transaction would wait for the action's own write
  transaction (one writer at a time). The row is written when the task is queued, when it
  starts and when it ends. A page asking another process (several instances on PostgreSQL)
  sees the row's status, not the fine progress.
* A `DomainError` becomes the task's readable error (the service's message; for
  `InvalidInput` the faults are kept in `result["faults"]`); anything else is logged with a
  reference and reported as an unexpected error, never a trace.
* On SQLite an action that read first and then writes cannot start writing if another
  connection committed a write since its first read (its snapshot is stale): it is rolled
  back and run again, up to `SQLITE_ATTEMPTS` times. One worker thread on SQLite, so tasks
  do not do this to each other (they would only wait for each other's writes anyway).
* Each runner owns the tasks it queues (`owner` on the row) and, on PostgreSQL, refreshes
  their heartbeat from a thread of its own while they are unfinished; that thread also fails,
  every `SWEEP_SECONDS`, the tasks of owners that stopped (a process of this host that ended,
  or one elsewhere that stopped beating). So does an instance when it starts. A task another
  live instance is running is never touched: see `ownership` for the rule, the clock it is
  judged by and why SQLite has no beats. A task's end always wins: success clears any error.
* At shutdown the runner waits for its running tasks and fails those still queued at once.
* Only the user who started a task sees it; anyone else is told it does not exist.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Engine, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from pool.auth import Principal
from pool.clock import Clock
from pool.db import SQLITE_BEGIN, session_scope
from pool.errors import DomainError, InvalidInput, NotFound
from pool.models.task import BackgroundTask, TaskStatus
from pool.rendering import Phrase, keep_phrase
from pool.services.tasks import ownership, progress
from pool.services.tasks.ownership import UNFINISHED, recover_interrupted

log = logging.getLogger("patentpool.tasks")

WORKERS = 2
SQLITE_ATTEMPTS = 3  # see TaskRunner._stale_sqlite_read
BACKGROUND_TIMEOUTS = ("SET LOCAL statement_timeout = 0", "SET LOCAL lock_timeout = '60s'")
UNEXPECTED = "an unexpected error stopped the task; nothing was saved"

Action = Callable[[Session, progress.Progress], dict[str, Any]]
Explain = Callable[[DomainError], dict[str, Any]]


@dataclass(frozen=True)
class Live:
    step: str
    done: int
    total: int


class LiveProgress:
    """The latest progress of each running task: workers write, request threads read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_task: dict[int, Live] = {}

    def report(self, task_id: int, step: str, done: int, total: int) -> None:
        with self._lock:
            self._by_task[task_id] = Live(step, min(done, total) if total else done, total)

    def get(self, task_id: int) -> Live | None:
        with self._lock:
            return self._by_task.get(task_id)

    def forget(self, task_id: int) -> None:
        with self._lock:
            self._by_task.pop(task_id, None)


@dataclass(frozen=True)
class TaskState:
    """A task as its page shows it: the row, with the live progress while it runs."""

    id: int
    kind: str
    status: TaskStatus
    step: str
    done: int
    total: int
    result: dict[str, Any]
    error: str | None

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED


def get(session: Session, *, principal: Principal, task_id: int) -> BackgroundTask:
    """The caller's own task; another user's (whatever their role) is not found."""
    task = session.get(BackgroundTask, task_id)
    if task is None or task.started_by_user_id != principal.user_id:
        raise NotFound("task not found")
    return task


def failure_result(error: DomainError, explain: Explain | None) -> dict[str, Any]:
    """What a page needs to show a refusal: the faults, and what the action adds to them."""
    result: dict[str, Any] = {}
    if isinstance(error, InvalidInput):
        result["faults"] = [keep_phrase(fault.as_dict()) for fault in error.errors]
    if isinstance(error.detail, Phrase):
        result["error_phrase"] = error.detail.record()
    if explain is not None:
        result.update(explain(error))
    return result


def _patient(session: Session) -> None:
    """A background task may run long statements and wait longer for a lock than a request:
    the service engine's bounds (pool.db.Limits) are for requests, so lift them here."""
    if session.get_bind().dialect.name == "postgresql":
        for statement in BACKGROUND_TIMEOUTS:
            session.execute(text(statement))


class TaskRunner:
    """A bounded pool of worker threads, owned by the app (started and stopped with it)."""

    def __init__(
        self, engine: Engine, clock: Clock, *, workers: int = WORKERS, owner: str | None = None
    ) -> None:
        self._engine = engine
        self._clock = clock
        self.owner = owner or ownership.instance_id()
        count = 1 if engine.dialect.name == "sqlite" else workers
        self._threads = ThreadPoolExecutor(count, thread_name_prefix="patentpool-task")
        self.live = LiveProgress()
        self._unfinished: set[int] = set()
        self._stopping = threading.Event()
        self._heart = threading.Thread(
            target=self._keep_beating, name="patentpool-task-heartbeat", daemon=True
        )
        self._heart.start()

    def start(
        self,
        *,
        kind: str,
        principal: Principal,
        action: Action,
        pool_id: int | None = None,
        organisation_id: int | None = None,
        inputs: dict[str, Any] | None = None,
        explain: Explain | None = None,
    ) -> int:
        """Queue the action; returns the task id at once. The row is committed in its own
        short transaction, so call this before the request writes anything (SQLite)."""
        with session_scope(self._engine) as session:
            task = BackgroundTask(
                kind=kind,
                pool_id=pool_id,
                organisation_id=organisation_id,
                started_by_user_id=principal.user_id,
                step=progress.STARTING,
                result={"input": inputs or {}},
                created_at=self._clock(),
                owner=self.owner,
            )
            session.add(task)
            session.flush()
            task_id = task.id or 0
            session.execute(  # its first beat, on the heartbeat's clock
                update(BackgroundTask)
                .where(col(BackgroundTask.id) == task_id)
                .values(heartbeat_at=ownership.db_now(self._engine))
            )
        self._unfinished.add(task_id)
        self._threads.submit(self._run, task_id, action, explain)
        return task_id

    def state(self, session: Session, *, principal: Principal, task_id: int) -> TaskState:
        """The row combined with the live progress this process holds for it."""
        task = get(session, principal=principal, task_id=task_id)
        live = self.live.get(task_id) if task.status in UNFINISHED else None
        return TaskState(
            id=task_id,
            kind=task.kind,
            status=TaskStatus(task.status),
            step=live.step if live else task.step,
            done=live.done if live else task.done,
            total=live.total if live else task.total,
            result=dict(task.result or {}),
            error=task.error,
        )

    def shutdown(self) -> None:
        """Wait for the running tasks; queued ones are dropped, and marked failed (nothing of
        theirs was saved). The heartbeat stops."""
        self._threads.shutdown(wait=True, cancel_futures=True)
        self._stopping.set()
        self._heart.join(timeout=30)
        try:
            ownership.fail_own(self._engine, self.owner, now=self._clock())
        except Exception:  # the database is gone: another instance's sweep or start does it
            log.exception("could not mark the dropped background tasks failed")

    def _keep_beating(self) -> None:
        """Beat while there are unfinished tasks here; sweep up the dead owners' tasks."""
        swept = time.monotonic()
        while not self._stopping.wait(ownership.BEAT_SECONDS):
            if self._unfinished:
                ownership.beat(self._engine, self.owner)
            if time.monotonic() - swept >= ownership.SWEEP_SECONDS:
                swept = time.monotonic()
                try:
                    recover_interrupted(self._engine, now=self._clock(), spare_owner=self.owner)
                except Exception:
                    log.exception("could not look for interrupted background tasks")

    def _run(self, task_id: int, action: Action, explain: Explain | None) -> None:
        try:  # (error cleared: a sweep may have judged it from late beats, see `ownership`)
            self._update(
                task_id, status=TaskStatus.RUNNING, started_at=self._clock(), error=None,
                finished_at=None,
            )  # fmt: skip
            for attempt in range(1, SQLITE_ATTEMPTS + 1):
                try:
                    with session_scope(self._engine) as session:
                        _patient(session)
                        result = action(session, partial(self.live.report, task_id))
                        self._finish(session, task_id, result)
                    break
                except OperationalError as error:
                    if attempt == SQLITE_ATTEMPTS or not self._stale_sqlite_read(error):
                        raise
                    log.warning("task %s: a write came in meanwhile; run again", task_id)
        except DomainError as error:
            self._update(
                task_id, status=TaskStatus.FAILED, error=error.detail[:4000],
                finished_at=self._clock(), extra=failure_result(error, explain),
            )  # fmt: skip
        except Exception:
            reference = uuid.uuid4().hex[:12]
            log.exception("background task %s failed, reference %s", task_id, reference)
            self._update(
                task_id, status=TaskStatus.FAILED, error=UNEXPECTED,
                finished_at=self._clock(), extra={"reference": reference},
            )  # fmt: skip
        finally:
            self.live.forget(task_id)
            self._unfinished.discard(task_id)

    def _stale_sqlite_read(self, error: OperationalError) -> bool:
        """SQLite: the action read, another connection committed a write, and the action's
        first write could not start from its older snapshot ("database is locked" at once,
        without waiting). Nothing was written: the action runs again on fresh data."""
        return self._engine.dialect.name == "sqlite" and "locked" in str(error.orig)

    def _finish(self, session: Session, task_id: int, result: dict[str, Any]) -> None:
        """Succeeded, in the action's own transaction (it commits with the work)."""
        task = session.get(BackgroundTask, task_id)
        if task is None:
            return
        live = self.live.get(task_id)
        task.status = TaskStatus.SUCCEEDED
        task.error = None  # whatever a sweep wrote meanwhile: the work committed
        task.result = {**(task.result or {}), **result}
        task.step, task.done, task.total = (
            (live.step, live.done, live.total) if live else ("", 0, 0)
        )
        task.finished_at = self._clock()
        session.add(task)

    def _update(self, task_id: int, *, extra: dict[str, Any] | None = None, **values: Any) -> None:
        try:
            with session_scope(self._engine) as session:
                # SQLite: the write lock first, so a write committed between this read and
                # this write (a sign-in, a sweep) cannot fail it on a stale snapshot
                session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
                task = session.get(BackgroundTask, task_id)
                if task is None:
                    return
                for name, value in values.items():
                    setattr(task, name, value)
                if extra:
                    task.result = {**(task.result or {}), **extra}
                session.add(task)
        except Exception:  # the database is gone: the next start marks the task failed
            log.exception("could not record the state of background task %s", task_id)
