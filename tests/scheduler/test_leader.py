"""Leader election with real worker processes against the test database (the same SQLite data
dir, or the same PostgreSQL schema): exactly one leads; SIGKILL it and the other takes over."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from pool.models.patent import Patent, PatentStatus
from pool.settings import Settings
from scheduler.leader import lock_key
from tests.pool.conftest import World
from tests.scheduler.test_jobs import patent
from tests.scheduler.test_registry import change_stored_job, next_run_times, start_and_register

pytestmark = pytest.mark.slow  # real processes: scheduled first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
LEADS, WAITS = "leader acquired", "waiting for leadership"


class Worker:
    def __init__(self, name: str, tmp_path: Path, env: dict[str, str]) -> None:
        self.log = tmp_path / f"{name}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "scheduler", "worker", "--retry-seconds", "1"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def said(self, text: str) -> bool:
        return text in self.log.read_text(errors="replace")

    def times(self, text: str) -> int:
        return self.log.read_text(errors="replace").count(text)


def advisory_lock_pids(engine: Engine) -> list[int]:
    """The server processes of the sessions holding the scheduler's advisory lock for this
    schema (PostgreSQL)."""
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        key = lock_key(str(schema)) & 0xFFFFFFFFFFFFFFFF
        return [
            int(pid)
            for pid in connection.execute(
                text(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND classid = :high AND objid = :low AND objsubid = 1"
                ),
                {"high": key >> 32, "low": key & 0xFFFFFFFF},
            ).scalars()
        ]


def advisory_lock_holders(engine: Engine) -> int:
    return len(advisory_lock_pids(engine))


def cut_the_lock_connection(engine: Engine) -> None:
    """What a PostgreSQL restart does to the leader, without restarting the server the other
    test workers use: the lock's session is terminated, and the lock goes with it."""
    (pid,) = advisory_lock_pids(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def spawn(settings: Settings, tmp_path: Path) -> Iterator[Callable[[str], Worker]]:
    env = {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    started: list[Worker] = []

    def start(name: str) -> Worker:
        started.append(Worker(name, tmp_path, env))
        return started[-1]

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait(timeout=10)


def test_one_leader_and_a_takeover_after_sigkill(
    spawn: Callable[[str], Worker], engine: Engine
) -> None:
    a, b = spawn("a"), spawn("b")
    both_up = wait_until(lambda: all(w.said(LEADS) or w.said(WAITS) for w in (a, b)), 20)
    assert both_up, (a.log.read_text(), b.log.read_text())
    wait_until(lambda: a.said(LEADS) or b.said(LEADS), 5)
    leaders = [w for w in (a, b) if w.said(LEADS)]
    assert len(leaders) == 1, (a.log.read_text(), b.log.read_text())
    leader = leaders[0]
    follower = b if leader is a else a
    assert wait_until(lambda: leader.said("scheduler started"), 10), leader.log.read_text()
    assert "apscheduler_jobs" in inspect(engine).get_table_names()
    assert follower.said(WAITS)
    assert not follower.said(LEADS)
    if engine.dialect.name == "postgresql":
        assert advisory_lock_holders(engine) == 1
    leader.process.send_signal(signal.SIGKILL)
    leader.process.wait(timeout=10)
    assert wait_until(lambda: follower.said(LEADS), 30), follower.log.read_text()
    follower.process.send_signal(signal.SIGTERM)
    assert follower.process.wait(timeout=15) == 0
    assert follower.said("leader released"), follower.log.read_text()


@pytest.mark.timeout(90)
def test_the_leader_survives_losing_its_database_connection_and_leads_again(
    spawn: Callable[[str], Worker], engine: Engine
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the SQLite leader holds a file lock, not a database connection")
    worker = spawn("a")
    assert wait_until(lambda: worker.said("scheduler started"), 20), worker.log.read_text()
    cut_the_lock_connection(engine)
    assert wait_until(lambda: worker.times("scheduler started") == 2, 30), worker.log.read_text()
    assert worker.said("leadership lost"), worker.log.read_text()
    assert worker.times(LEADS) == 2
    assert worker.process.poll() is None  # it never exits because of a lost connection
    assert advisory_lock_holders(engine) == 1
    assert "PendingRollbackError" not in worker.log.read_text()
    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=15) == 0, worker.log.read_text()
    assert advisory_lock_holders(engine) == 0


@pytest.mark.timeout(90)
def test_a_job_missed_while_no_worker_ran_runs_once_on_the_next_start(
    spawn: Callable[[str], Worker], engine: Engine, world: World
) -> None:
    """The store remembers patent upkeep's fire time from before the outage; the next worker
    finds it passed (within the grace time) and runs the job once, at once."""
    start_and_register(engine)
    missed = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    change_stored_job(engine, "patent_upkeep", next_run_time=missed)
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    patent_id = patent(engine, world, "US3999999", yesterday, "accepted")
    worker = spawn("a")

    def expired() -> bool:
        with Session(engine) as session:
            row = session.get(Patent, patent_id)
            return row is not None and row.status == PatentStatus.EXPIRED

    assert wait_until(expired, 30), worker.log.read_text()
    assert wait_until(lambda: worker.said("executed successfully"), 10), worker.log.read_text()
    time.sleep(1)  # a second run, if there were one, would have started by now
    ran = worker.log.read_text().count('Running job "patent_upkeep')
    assert ran == 1, worker.log.read_text()
    assert next_run_times(engine)["patent_upkeep"] > datetime.now(UTC)
    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=15) == 0, worker.log.read_text()
