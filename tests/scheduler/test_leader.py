"""Leader election with real worker processes against the test database (the same SQLite data
dir, or the same PostgreSQL schema): exactly one leads; SIGKILL it and the other takes over."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from pool.settings import Settings
from scheduler.leader import lock_key

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


def advisory_lock_holders(engine: Engine) -> int:
    """Sessions holding the scheduler's advisory lock for this schema (PostgreSQL)."""
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        key = lock_key(str(schema)) & 0xFFFFFFFFFFFFFFFF
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND classid = :high AND objid = :low AND objsubid = 1"
                ),
                {"high": key >> 32, "low": key & 0xFFFFFFFF},
            ).scalar_one()
        )


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
