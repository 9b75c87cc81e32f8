"""Statements are issued exactly once, by real `patentpool run-job` processes against the test
database (the same SQLite file, or the same PostgreSQL schema): two at once issue each
statement once; one killed with SIGKILL half-way and run again finishes with no duplicate
and no gap; a run by hand after that changes nothing."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.distribution import Statement, StatementDocument
from pool.models.membership import Membership
from pool.models.organisation import Organisation
from pool.services import audit, distribution, statements
from pool.services.distribution import runs as distribution_runs
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit

pytestmark = pytest.mark.slow  # real processes: scheduled first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
CONTRIBUTORS = 40  # plus the world's two: two batches of 25 statements, PDFs included
ACTOR = audit.Actor.system("test")


def approved_run(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> int:
    """The worked example's pool with many more contributors, its Q2 run approved."""
    kit.worked_example(client, engine, world, clock)
    owners = []
    with session_scope(engine) as s:
        for n in range(CONTRIBUTORS):
            org = Organisation(
                name=f"研究院 {n:03d}", kind="research_institute", country="CN", created_at=clock()
            )
            s.add(org)
            s.flush()
            owners.append(org.id or 0)
            s.add(
                Membership(
                    pool_id=world.pool_id,
                    organisation_id=org.id or 0,
                    joined_on=date(2024, 1, 1),
                    agreement_version="v1",
                    created_at=clock(),
                )
            )
    for owner in owners:
        kit.patent(engine, world, owner, "CN", date(2020, 1, 1))
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    with session_scope(engine) as s:
        run = distribution.compute(
            s, pool_id=world.pool_id, period_start=date(2025, 4, 1), actor=ACTOR, now=clock()
        )
        distribution_runs.approve(s, run=run, actor=ACTOR, now=clock())
        return run.id or 0


def issued(engine: Engine, run_id: int) -> tuple[int, int, int]:
    """(statements, distinct contributors, documents) of the run."""
    with Session(engine) as s:
        rows = s.exec(
            select(Statement.contributor_organisation_id).where(Statement.run_id == run_id)
        ).all()
        documents = s.exec(
            select(func.count())
            .select_from(StatementDocument)
            .join(Statement, col(Statement.id) == StatementDocument.statement_id)
            .where(Statement.run_id == run_id)
        ).one()
    return len(rows), len(set(rows)), int(documents)


@pytest.fixture
def run_job(
    settings: Settings, tmp_path: Path
) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    env = {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(tmp_path),
        "PATENTPOOL_MAIL_TRANSPORT": "none",
    }
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "scheduler", "run-job", "statement_issuance"]
        with (tmp_path / f"{name}.log").open("wb") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                [*command, "--as-of", "2025-08-01"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def test_two_processes_at_once_issue_each_statement_once(
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    run_job: Callable[[str], subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    run_id = approved_run(client, engine, world, clock)
    with Session(engine) as s:
        expected = len(statements.recipients(s, s.get(distribution_runs.DistributionRun, run_id)))
    assert expected == CONTRIBUTORS + 2
    first, second = run_job("first"), run_job("second")
    assert first.wait(timeout=300) == 0, (tmp_path / "first.log").read_text()
    assert second.wait(timeout=300) == 0, (tmp_path / "second.log").read_text()
    assert issued(engine, run_id) == (expected, expected, 3 * expected)
    again = run_job("again")
    assert again.wait(timeout=120) == 0
    assert "nothing to do" in (tmp_path / "again.log").read_text()
    assert issued(engine, run_id) == (expected, expected, 3 * expected)


def test_a_process_killed_mid_issuance_is_finished_by_the_next_run(
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    run_job: Callable[[str], subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    run_id = approved_run(client, engine, world, clock)
    expected = CONTRIBUTORS + 2
    victim = run_job("victim")
    deadline = time.monotonic() + 120
    while issued(engine, run_id)[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    made, _, documents = issued(engine, run_id)
    assert 0 < made < expected, "the kill did not land mid-issuance"
    assert documents == 3 * made  # a statement and its documents commit together: no gap
    rerun = run_job("rerun")
    assert rerun.wait(timeout=300) == 0, (tmp_path / "rerun.log").read_text()
    assert issued(engine, run_id) == (expected, expected, 3 * expected)
