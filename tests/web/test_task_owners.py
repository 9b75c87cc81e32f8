"""Background tasks have an owner and a heartbeat (pool/services/tasks/ownership.py), with real
runners, each with its own engine as another instance would have, and real threads: a third
instance starting fails neither of two live instances' running tasks, which then succeed with
no error; a task whose owner stopped beating is failed at the next start, and by a live
instance's sweep; a sweep never overwrites a task that finished meanwhile; a task's success
clears an error a sweep wrote; a beat held up by a lock is skipped, not waited for; a runner
shutting down fails the tasks it dropped from its queue. A task of a process of this host that
has ended is failed at once, and one of a live process of this host never is (with a real
process, killed with SIGKILL).

The instances here are in one process, so on PostgreSQL the runners that must be judged by
their beats alone are given owners on other hosts (a live process of this host is never failed,
see `ownership.alive_here`; on SQLite that is the rule, and there are no beats). Beats and
sweeps are made fast, so the waits are a few seconds."""

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session, col

from pool.app import create_app
from pool.auth import Principal
from pool.db import make_engine, session_scope
from pool.models.task import BackgroundTask, TaskStatus
from pool.models.user import Role
from pool.services import tasks
from pool.services.tasks import ownership
from pool.services.tasks.progress import Progress
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.web.conftest import World

BEAT, STALE, SWEEP = 0.2, 3.0, 0.3
AT = datetime(2025, 6, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0


@pytest.fixture(autouse=True)
def fast_beats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ownership, "BEAT_SECONDS", BEAT)
    monkeypatch.setattr(ownership, "STALE_AFTER_SECONDS", STALE)
    monkeypatch.setattr(ownership, "SWEEP_SECONDS", SWEEP)


@pytest.fixture
def instance(settings: Settings) -> Iterator[Callable[[], Engine]]:
    """A new engine on the test database, as another instance of the service has."""
    made: list[Engine] = []

    def make() -> Engine:
        made.append(make_engine(settings.database_url))
        return made[-1]

    yield make
    for engine in made:
        engine.dispose()


def wait_until(condition: Callable[[], bool], seconds: float = WAIT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def row(engine: Engine, task_id: int) -> tuple[str, str | None]:
    with Session(engine) as s:
        task = s.get(BackgroundTask, task_id)
        assert task is not None
        return task.status, task.error


def admin_of(world: World) -> Principal:
    return Principal(world.admin.user_id, "admin@example.org", Role.ADMIN, None, 0)


def held_until(event: threading.Event, started: threading.Event, user_id: int) -> tasks.Action:
    """An action that blocks until `event`, then writes a witness row."""

    def action(session: Session, progress: Progress) -> dict[str, Any]:
        started.set()
        assert event.wait(WAIT)
        task = BackgroundTask(kind="witness", started_by_user_id=user_id, created_at=AT)
        session.add(task)
        return {"href": "/"}

    return action


def start_held(
    runner: tasks.TaskRunner, world: World, release: threading.Event, began: threading.Event
) -> int:
    action = held_until(release, began, world.admin.user_id)
    return runner.start(kind="period_close", principal=admin_of(world), action=action)


def add_task(engine: Engine, world: World, *, owner: str | None, beat_ago: float | None) -> int:
    """A task row as another instance left it, its last beat `beat_ago` seconds ago."""
    with session_scope(engine) as s:
        task = BackgroundTask(
            kind="period_close", started_by_user_id=world.admin.user_id,
            status=TaskStatus.RUNNING, created_at=AT, owner=owner,
        )  # fmt: skip
        s.add(task)
        s.flush()
        if beat_ago is not None:
            s.execute(
                update(BackgroundTask)
                .where(col(BackgroundTask.id) == task.id)
                .values(heartbeat_at=ownership.db_now(engine) - timedelta(seconds=beat_ago))
            )
        return task.id or 0


@pytest.mark.timeout(90)
def test_a_starting_instance_leaves_two_live_instances_running_tasks_alone(
    settings: Settings,
    engine: Engine,
    world: World,
    clock: FakeClock,
    instance: Callable[[], Engine],
) -> None:
    # PostgreSQL: owners on other hosts, which only their beats keep alive; SQLite: owners in
    # this live process, as every instance is on the host with the file (there are no beats)
    on_pg = engine.dialect.name == "postgresql"
    runners = [
        tasks.TaskRunner(instance(), clock, owner=f"{name}:42:0:{name}" if on_pg else None)
        for name in "ab"
    ]
    releases = [threading.Event(), threading.Event()]
    started = [threading.Event(), threading.Event()]
    try:
        ids = [
            start_held(runner, world, release, began)
            for runner, release, began in zip(runners, releases, started, strict=True)
        ]
        assert all(began.wait(WAIT) for began in started)
        time.sleep(STALE + 1)  # past the threshold: without their beats they would be stale
        third = create_app(settings=settings, engine=instance(), clock=clock)
        with TestClient(third):
            time.sleep(3 * SWEEP)  # and the third instance's sweeps leave them alone too
            assert [row(engine, task_id) for task_id in ids] == [("running", None)] * 2
        for release in releases:
            release.set()
        finished = lambda: all(row(engine, t)[0] != "running" for t in ids)  # noqa: E731
        assert wait_until(finished)
        assert [row(engine, task_id) for task_id in ids] == [("succeeded", None)] * 2
    finally:
        for release in releases:
            release.set()
        for runner in runners:
            runner.shutdown()


def dead_pid() -> int:
    """The pid of a process of this host that has ended."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                           capture_output=True, text=True)  # fmt: skip
    return int(ended.stdout)


@pytest.mark.timeout(60)
def test_tasks_whose_owner_stopped_beating_are_failed_by_the_next_start(
    settings: Settings,
    engine: Engine,
    world: World,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ownership, "STALE_AFTER_SECONDS", 60.0)  # "fresh" stays so, under load
    here = ownership.instance_id()  # this process: alive, whatever its beats say
    host = here.split(":")[0]
    stale, fresh = 600.0, 0.0
    left = {
        "stopped beating": add_task(engine, world, owner="gone:1:0:dead", beat_ago=stale),
        "beating": add_task(engine, world, owner="elsewhere:1:0:live", beat_ago=fresh),
        "ended process here": add_task(  # known at once: its beat is still fresh
            engine, world, owner=f"{host}:{dead_pid()}:0:dead", beat_ago=fresh
        ),
        "live process here": add_task(engine, world, owner=here, beat_ago=stale),
        "before owners": add_task(engine, world, owner=None, beat_ago=None),
    }
    finished = add_task(engine, world, owner="gone:1:0:dead", beat_ago=stale)
    with session_scope(engine) as s:
        s.execute(
            update(BackgroundTask).where(col(BackgroundTask.id) == finished)
            .values(status=TaskStatus.SUCCEEDED)
        )  # fmt: skip
    with TestClient(create_app(settings=settings, engine=engine, clock=clock)):
        found = {name: row(engine, task_id) for name, task_id in left.items()}
    interrupted = ("failed", tasks.INTERRUPTED)
    assert found == {
        "stopped beating": interrupted,
        "beating": ("running", None),
        "ended process here": interrupted,
        "live process here": ("running", None),
        "before owners": interrupted,
    }
    assert row(engine, finished) == ("succeeded", None)


@pytest.mark.timeout(60)
def test_a_live_instance_sweeps_up_a_dead_instances_tasks(
    settings: Settings, engine: Engine, world: World, clock: FakeClock
) -> None:
    if engine.dialect.name == "sqlite":  # one host: a live process, and one that ended
        live, dead = (
            ownership.instance_id(),
            f"{ownership.instance_id().split(':')[0]}:{dead_pid()}:0:x",
        )
    else:  # on other hosts: the live one beats, the dead one no longer does
        live, dead = "elsewhere:1:0:live", "gone:1:0:dead"
    with TestClient(create_app(settings=settings, engine=engine, clock=clock)):
        beating = add_task(engine, world, owner=live, beat_ago=0)
        dying = add_task(engine, world, owner=dead, beat_ago=0)
        for _ in range(int(2 * STALE / BEAT)):
            ownership.beat(engine, live)
            time.sleep(BEAT)
        assert wait_until(lambda: row(engine, dying)[0] == "failed")
        assert row(engine, dying) == ("failed", tasks.INTERRUPTED)
        assert row(engine, beating) == ("running", None)


@pytest.mark.timeout(60)
def test_a_recovery_never_overwrites_a_task_that_finished_meanwhile(
    engine: Engine, world: World, clock: FakeClock, instance: Callable[[], Engine]
) -> None:
    """The task commits while the recovery waits for its lock: the recovery's UPDATE repeats
    its condition on the row as committed, and leaves it."""
    task_id = add_task(engine, world, owner="slow:1:0:late", beat_ago=10 * STALE)
    other = instance()
    counted: list[int] = []
    with session_scope(engine) as finishing:
        finishing.execute(
            update(BackgroundTask).where(col(BackgroundTask.id) == task_id)
            .values(status=TaskStatus.SUCCEEDED, error=None)
        )  # fmt: skip
        recovery = threading.Thread(
            target=lambda: counted.append(tasks.recover_interrupted(other, now=clock()))
        )
        recovery.start()
        time.sleep(1)  # the recovery has read the row as running and waits for the lock
        assert recovery.is_alive()
    recovery.join(WAIT)
    assert counted == [0]
    assert row(engine, task_id) == ("succeeded", None)


@pytest.mark.timeout(60)
def test_a_task_that_succeeds_after_a_sweep_failed_it_keeps_no_error(
    engine: Engine, world: World, clock: FakeClock, instance: Callable[[], Engine]
) -> None:
    runner = tasks.TaskRunner(instance(), clock)
    release, began = threading.Event(), threading.Event()
    try:
        task_id = start_held(runner, world, release, began)
        assert began.wait(WAIT)
        with session_scope(engine) as s:  # what a sweep misled by late beats would write
            s.execute(
                update(BackgroundTask).where(col(BackgroundTask.id) == task_id)
                .values(status=TaskStatus.FAILED, error=tasks.INTERRUPTED, finished_at=clock())
            )  # fmt: skip
        release.set()
        assert wait_until(lambda: row(engine, task_id)[0] == "succeeded")
        assert row(engine, task_id) == ("succeeded", None)
    finally:
        release.set()
        runner.shutdown()


@pytest.mark.timeout(60)
def test_a_beat_held_up_by_a_lock_is_skipped_not_waited_for(
    engine: Engine, world: World, instance: Callable[[], Engine]
) -> None:
    task_id = add_task(engine, world, owner="me:1:0:beat", beat_ago=0)
    beating = instance()
    if beating.dialect.name == "sqlite":
        assert ownership.beat(beating, "me:1:0:beat") is None  # no beats on SQLite
        return
    with session_scope(engine) as holder:  # the task's row, as an action commits it
        holder.execute(
            update(BackgroundTask).where(col(BackgroundTask.id) == task_id).values(step="busy")
        )
        began = time.monotonic()
        assert ownership.beat(beating, "me:1:0:beat") is None
        assert time.monotonic() - began < 5
    assert ownership.beat(beating, "me:1:0:beat") == 1


@pytest.mark.timeout(60)
def test_shutdown_fails_the_tasks_dropped_from_the_queue_at_once(
    engine: Engine, world: World, clock: FakeClock, instance: Callable[[], Engine]
) -> None:
    runner = tasks.TaskRunner(instance(), clock, workers=1)
    release, began, never = threading.Event(), threading.Event(), threading.Event()
    running = start_held(runner, world, release, began)
    queued = start_held(runner, world, release, never)
    assert began.wait(WAIT)
    stopping = threading.Thread(target=runner.shutdown)
    stopping.start()
    time.sleep(0.5)
    release.set()
    stopping.join(WAIT)
    assert row(engine, running) == ("succeeded", None)
    assert row(engine, queued) == ("failed", tasks.INTERRUPTED)
    assert not never.is_set()


# A runner in a process of its own, on the test database: queues one task that never ends.
OWNER_PROCESS = """
import sys, threading
from datetime import UTC, datetime
from pool.auth import Principal
from pool.db import make_engine
from pool.models.user import Role
from pool.services import tasks
runner = tasks.TaskRunner(make_engine(sys.argv[1]), lambda: datetime.now(UTC))
running = threading.Event()
def forever(session, progress):
    running.set()
    threading.Event().wait()
admin = Principal(int(sys.argv[2]), "admin@example.org", Role.ADMIN, None, 0)
task_id = runner.start(kind="period_close", principal=admin, action=forever)
running.wait()  # one line, once the task runs: two threads printing could interleave
print(task_id, flush=True)
threading.Event().wait()
"""


@pytest.mark.timeout(60)
def test_a_killed_processs_task_is_failed_at_the_next_start_and_a_live_ones_never(
    settings: Settings, engine: Engine, world: World, clock: FakeClock
) -> None:
    """Real processes: while the owner runs, its task stays running even with its heartbeat
    long past; once it is killed with SIGKILL, the next start fails the task at once."""
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER_PROCESS, settings.database_url, str(world.admin.user_id)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert owner.stdout is not None
        task_id = int(owner.stdout.readline())  # printed once its action runs
        with session_scope(engine) as s:  # as if its beats had not been written for long
            s.execute(
                update(BackgroundTask).where(col(BackgroundTask.id) == task_id)
                .values(heartbeat_at=ownership.db_now(engine) - timedelta(hours=1))
            )  # fmt: skip
        assert tasks.recover_interrupted(engine, now=clock()) == 0
        assert row(engine, task_id) == ("running", None)
        owner.kill()
        owner.wait(timeout=WAIT)
        with TestClient(create_app(settings=settings, engine=engine, clock=clock)):
            assert row(engine, task_id) == ("failed", tasks.INTERRUPTED)
    finally:
        if owner.poll() is None:
            owner.kill()
        owner.wait(timeout=WAIT)
        if owner.stdout is not None:
            owner.stdout.close()
