"""Who runs a background task, and when a task counts as interrupted.

* Every `TaskRunner` has an `owner` id, unique per process start: `host:pid:start:token` (the
  host name with the PID namespace, the process's start time from /proc where there is one,
  and a random token, so two runners in one process differ too). Each task row it queues
  names it.
* **Heartbeat.** Every `BEAT_SECONDS` the runner sets `heartbeat_at` on all its unfinished
  tasks with one short UPDATE (`beat`), only while it has some. A beat waits at most
  `BEAT_LOCK_WAIT_MS` for a lock; if the database is busy or away it is skipped, logged, and
  tried again at the next one. It never holds up a task. On SQLite there are no beats (the
  row gets one when queued): see "A busy SQLite" below.
* **Interrupted** means: still `queued` or `running`, and either its owner is a process of
  this host that has ended (same pid and start time no longer running: known at once), or its
  owner is on another host and its heartbeat is older than `STALE_AFTER_SECONDS` (a row from
  before revision 0008 has neither owner nor heartbeat: then its creation counts).
  `recover_interrupted` marks such tasks failed ("interrupted by a restart; nothing was saved":
  the action is one transaction that never committed). It runs when an instance starts, and
  every `SWEEP_SECONDS` on every live runner, so a dead instance's tasks do not stay
  "running"; a runner never sweeps its own. It selects the candidates first (a plain read,
  which on SQLite takes no lock) and writes only when there are some; its UPDATE repeats the
  condition, so a task that finished, or beat, in between is left alone (PostgreSQL re-checks
  a row another transaction changed before updating it; SQLite's UPDATE starts after the
  other writer committed).
* **Time** is the database server's clock on PostgreSQL (`now()`, for writing beats and for
  judging them: instances on several hosts never compare their own clocks), and the system
  clock on SQLite (every instance runs on the host that has the file). Never the app's
  clock, which may be a simulated one (the demo, the tests).
* **A busy SQLite.** SQLite has one write lock. An action's write transaction holds it until
  it commits, possibly for minutes (a large period close), so beats could not be written
  meanwhile, and a recovery that won the lock first once it was free could fail a task that
  was only late. Worse, a beat committed while an action is still reading makes the action's
  first write fail on its stale snapshot (the runner runs it again, `SQLITE_ATTEMPTS` times at
  most): beats would sabotage the very tasks they vouch for. So an owner that is a process of
  this host is judged by whether that process runs, never by its beats, and on SQLite, where
  every instance runs on the one host that has the file, the runner does not beat at all: only
  a dead process's tasks are failed, and a restarted instance fails its predecessor's tasks at
  once. A sweep on SQLite only reads unless there is a dead process's task to fail. On
  PostgreSQL a beat waits only for its own rows, which an action locks just while it commits,
  so beats stay on time however long the action runs.
* Should a live task be failed anyway (an owner on another host whose beats could not reach
  the database for `STALE_AFTER_SECONDS`), its end still wins: success marks it `succeeded`
  and clears the error, a refusal writes its own error. A finished task never keeps the
  "interrupted" text.
"""

import logging
import os
import secrets
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from pool.db import session_scope
from pool.models.task import BackgroundTask, TaskStatus

log = logging.getLogger("patentpool.tasks")

BEAT_SECONDS = 10.0
STALE_AFTER_SECONDS = 60.0  # six beats missed
SWEEP_SECONDS = 60.0
BEAT_LOCK_WAIT_MS = 1000
INTERRUPTED = "interrupted by a restart; nothing was saved"
UNFINISHED = (TaskStatus.QUEUED, TaskStatus.RUNNING)


def _start_ticks(pid: int) -> str | None:
    """When the process started (clock ticks since boot), where /proc says; else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return None if fields[0] == "Z" else fields[19]


def _host() -> str:
    """This host as its processes see it: the host name, and the PID namespace where there is
    one (two containers given the same host name still differ, and pids mean nothing across)."""
    try:
        namespace = f"/{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        namespace = ""
    return socket.gethostname()[:60] + namespace


def instance_id() -> str:
    """A new owner id for a runner in this process: host:pid:start:token."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_ticks(pid) or 0}:{secrets.token_hex(4)}"


def alive_here(owner: str | None) -> bool | None:
    """Whether `owner`, a process of this host, is still running; None for another host's."""
    parts = (owner or "").rsplit(":", 3)
    if len(parts) != 4 or parts[0] != _host() or not parts[1].isdigit():
        return None
    pid, start = int(parts[1]), parts[2]
    if start != "0":
        return _start_ticks(pid) == start
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def db_now(engine: Engine) -> Any:
    """Now, for heartbeats: the database server's clock on PostgreSQL, the system's on SQLite."""
    if engine.dialect.name == "postgresql":
        return func.now()
    return datetime.now(UTC)


def _stale(engine: Engine, stale_after: float) -> Any:
    cutoff = db_now(engine) - timedelta(seconds=stale_after)
    heartbeat = col(BackgroundTask.heartbeat_at)
    return and_(
        col(BackgroundTask.status).in_(UNFINISHED),
        or_(heartbeat < cutoff, and_(heartbeat.is_(None), col(BackgroundTask.created_at) < cutoff)),
    )


def beat(engine: Engine, owner: str) -> int | None:
    """Refresh the heartbeat of `owner`'s unfinished tasks; how many, None if skipped (always
    on SQLite: see above)."""
    if engine.dialect.name == "sqlite":
        return None
    try:
        with session_scope(engine) as session:
            session.execute(text(f"SET LOCAL lock_timeout = {int(BEAT_LOCK_WAIT_MS)}"))
            done = session.execute(
                update(BackgroundTask)
                .where(col(BackgroundTask.owner) == owner)
                .where(col(BackgroundTask.status).in_(UNFINISHED))
                .values(heartbeat_at=db_now(engine))
            )
            return int(getattr(done, "rowcount", 0) or 0)
    except SQLAlchemyError as error:
        log.info("heartbeat of %s skipped (%s): the next one will try again", owner, error)
        return None


def recover_interrupted(
    engine: Engine,
    *,
    now: datetime,
    stale_after: float | None = None,
    spare_owner: str | None = None,
) -> int:
    """Mark failed the tasks whose owner stopped beating, and at once those of a process of
    this host that has ended (see above); how many. `now` is the app's time for `finished_at`;
    `spare_owner` is the caller's own runner."""
    stale = _stale(engine, STALE_AFTER_SECONDS if stale_after is None else stale_after)
    owner = col(BackgroundTask.owner)
    here = and_(
        col(BackgroundTask.status).in_(UNFINISHED), owner.startswith(f"{_host()}:", autoescape=True)
    )
    with Session(engine) as reading:  # a plain read: no lock taken when there is nothing to do
        candidates = reading.execute(select(col(BackgroundTask.id), owner).where(or_(stale, here)))
        found = [
            (id_, name, alive_here(name))
            for id_, name in candidates
            if spare_owner is None or name != spare_owner
        ]
    ids = [id_ for id_, _, alive in found if not alive]
    ended = {name for _, name, alive in found if alive is False}
    if not ids:
        return 0
    with session_scope(engine) as session:
        marked = session.execute(
            update(BackgroundTask)
            .where(col(BackgroundTask.id).in_(ids))
            .where(or_(stale, and_(here, owner.in_(ended))))  # again, as the row is now
            .values(status=TaskStatus.FAILED, error=INTERRUPTED, finished_at=now)
        )
        count = int(getattr(marked, "rowcount", 0) or 0)
    if count:
        log.warning("%d background task(s) were interrupted: their owner stopped", count)
    return count


def fail_own(engine: Engine, owner: str, *, now: datetime) -> int:
    """At a runner's shutdown: its tasks still unfinished were dropped from the queue."""
    with session_scope(engine) as session:
        marked = session.execute(
            update(BackgroundTask)
            .where(col(BackgroundTask.owner) == owner)
            .where(col(BackgroundTask.status).in_(UNFINISHED))
            .values(status=TaskStatus.FAILED, error=INTERRUPTED, finished_at=now)
        )
        return int(getattr(marked, "rowcount", 0) or 0)
