"""`run-job` through click's runner, against the test database."""

from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine

from pool.settings import Settings
from scheduler.cli import main
from tests.pool.conftest import World
from tests.scheduler.test_jobs import patent, patents


def env(settings: Settings, tmp_path: Path) -> dict[str, str]:
    return {"PATENTPOOL_DATABASE_URL": settings.database_url, "PATENTPOOL_DATA_DIR": str(tmp_path)}


def test_run_job_prints_what_it_did_and_a_rerun_does_nothing(
    engine: Engine, world: World, settings: Settings, tmp_path: Path
) -> None:
    patent(engine, world, "US2000001", date(2025, 2, 1), "accepted")
    runner = CliRunner()
    args = ["run-job", "patent_upkeep", "--pool", str(world.pool_id), "--as-of", "2025-06-01"]
    first = runner.invoke(main, args, env=env(settings, tmp_path))
    assert first.exit_code == 0, first.output
    assert first.output == (
        "patent_upkeep as of 2025-06-01\n"
        f"  pool {world.pool_id}: 1 patents expired US2000001 (2025-02-01)\n"
    )
    again = runner.invoke(main, args, env=env(settings, tmp_path))
    assert again.output.splitlines()[1] == f"  pool {world.pool_id}: 0 patents expired"
    assert patents(engine) == [("US2000001", "expired", date(2025, 2, 1), date(2025, 2, 1))]


def test_run_job_refuses_fees_in_advance_and_unknown_jobs(
    engine: Engine, world: World, settings: Settings, tmp_path: Path
) -> None:
    runner = CliRunner()
    ahead = runner.invoke(
        main, ["run-job", "fees_and_dues", "--as-of", "2999-01-01"], env=env(settings, tmp_path)
    )
    assert ahead.exit_code == 1
    assert "fees are invoiced on their dates, not in advance" in ahead.output
    unknown = runner.invoke(
        main, ["run-job", "close_period", "--as-of", "2025-06-01"], env=env(settings, tmp_path)
    )
    assert unknown.exit_code == 2
    assert "'close_period' is not one of" in unknown.output
