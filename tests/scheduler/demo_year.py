"""A year of `patentpool demo` at a small size, built once per test worker for the tests that
read it (tests in the `demo` xdist group run on one worker, so it is built once)."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from pool.db import make_engine
from scheduler.cli import main

SMALL = ["--contributors", "6", "--licensees", "12", "--patents", "60"]


def demo(data_dir: Path, *args: str) -> Result:
    env = {
        "PATENTPOOL_DATA_DIR": str(data_dir),
        "PATENTPOOL_DATABASE_URL": "",
        "PATENTPOOL_ARGON2_TIME_COST": "1",
        "PATENTPOOL_ARGON2_MEMORY_KIB": "1024",
    }
    return CliRunner().invoke(main, ["demo", "--no-serve", *args], env=env)


@dataclass
class Built:
    data_dir: Path
    result: Result
    engine: Engine


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    result = demo(data_dir, *SMALL)
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{data_dir / 'patentpool.sqlite3'}")
    yield Built(data_dir, result, engine)
    engine.dispose()
