"""`patentpool serve --with-scheduler` as a real process on the test database: it serves,
its embedded worker takes the leader lock and starts the scheduler, and SIGTERM stops both."""

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pool.settings import Settings
from tests.scheduler.test_leader import advisory_lock_holders, cut_the_lock_connection, wait_until

pytestmark = pytest.mark.slow  # real processes: scheduled first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def live(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def serve_with_scheduler(settings: Settings, tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(tmp_path),
        "PATENTPOOL_LOG_JSON": "false",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "scheduler", "serve", "--with-scheduler", "--port", str(port),
        "--retry-seconds", "1",
    ]  # fmt: skip
    with (tmp_path / "serve.log").open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.mark.timeout(120)
def test_serve_embeds_the_scheduler_and_stops_it_on_sigterm(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    process = serve_with_scheduler(settings, tmp_path, port)
    try:
        assert wait_until(lambda: live(port), 30), log.read_text()
        assert wait_until(lambda: "scheduler started" in log.read_text(), 30), log.read_text()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, log.read_text()
        text = log.read_text()
        assert "leader released" in text, text
        assert "embedded scheduler stopped" in text, text
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.timeout(120)
def test_the_embedded_scheduler_leads_again_after_losing_its_database_connection(
    settings: Settings, tmp_path: Path, engine: Engine
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the SQLite leader holds a file lock, not a database connection")
    port = free_port()
    log = tmp_path / "serve.log"
    process = serve_with_scheduler(settings, tmp_path, port)
    try:
        assert wait_until(lambda: live(port), 30), log.read_text()
        assert wait_until(lambda: "scheduler started" in log.read_text(), 30), log.read_text()
        cut_the_lock_connection(engine)
        started_twice = wait_until(lambda: log.read_text().count("scheduler started") == 2, 30)
        assert started_twice, log.read_text()
        assert "leadership lost" in log.read_text()
        # the web process went on serving (a loaded CI machine may take over a second to answer)
        assert wait_until(lambda: live(port), 10), log.read_text()
        assert advisory_lock_holders(engine) == 1
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, log.read_text()
        assert "PendingRollbackError" not in log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
