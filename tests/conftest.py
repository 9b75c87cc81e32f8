"""Shared fixtures: a fresh real database per test (SQLite file, or PostgreSQL when
PATENTPOOL_TEST_DATABASE_URL is set), a controllable clock, and the real app."""

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import pool.models  # noqa: F401  (registers every table)
from pool.db import make_engine
from pool.settings import Settings

PG_URL = os.environ.get("PATENTPOOL_TEST_DATABASE_URL")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="refresh docs/screenshots from the browser tests (a normal run writes none)",
    )


@pytest.hookimpl(trylast=True)  # after the folders' hooks have marked their browser tests
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that take seconds (real processes, the browser) run first: pytest-xdist hands
    out tests in this order, so they start while the many quick ones fill the other workers,
    and no worker is left alone with a long test at the end of the run. The demo's tests run
    once, in the SQLite run: the demo builds its own SQLite data dir, so the PostgreSQL run
    would only repeat the same year. So do the tests whose outcome cannot depend on the
    database (`database_free`)."""
    if PG_URL:
        same = pytest.mark.skip(reason="the demo's year is SQLite's alone: checked in that run")
        free = pytest.mark.skip(reason="database-free: checked in the SQLite run")
        for item in items:
            if any(m.args[:1] == ("demo",) for m in item.iter_markers("xdist_group")):
                item.add_marker(same)
            elif _database_free(item):
                item.add_marker(free)
    items.sort(
        key=lambda item: (
            not any(item.iter_markers("slow")) and not any(item.iter_markers("browser"))
        )
    )


PURE_FOLDERS = ("allocation", "contracts", "pool/validation")
"""Tests of packages that cannot reach a database: import-linter forbids allocation/ and
contracts/ any, and pool/validation imports only the standard library."""


def _database_free(item: pytest.Item) -> bool:
    """A test whose outcome cannot depend on the database: in a pure package's folder, or
    marked `database_free` (the browser tests: every page they drive is also requested on
    each database by the HTTP tests under tests/web)."""
    folder = item.path.parent.relative_to(Path(__file__).parent).as_posix()
    return folder.startswith(PURE_FOLDERS) or any(item.iter_markers("database_free"))


@dataclass
class FakeClock:
    """A clock the test moves by hand; the service never reads the wall clock."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def _settings_from_the_environment_stay_in_the_test(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Code that reads its settings from the environment (the scheduler's jobs: the audit key,
    the outbox folder; `Settings.from_env()` anywhere) gets the test's own data dir, the same
    as the `settings` fixture's, never `./data` in the checkout: a key generated there by one
    test would sign another's checkpoints, and the tree would not be left as it was found."""
    monkeypatch.setenv("PATENTPOOL_DATA_DIR", str(tmp_path))
    for name in (
        "PATENTPOOL_AUDIT_KEY",
        "PATENTPOOL_AUDIT_CHECKPOINT_TO",
        "PATENTPOOL_COOKIE_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 6, 2, 9, 30, tzinfo=UTC))


@pytest.fixture(scope="session")
def pg_schema_engine() -> Iterator[Engine | None]:
    """One private schema per test session, so parallel runs on one server never collide."""
    if not PG_URL:
        yield None
        return
    schema = f"pp_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(schema_url(PG_URL, schema))
    SQLModel.metadata.create_all(engine)
    with engine.begin() as conn:
        # Tests empty the tables by DELETE (`_empty_all`); a vacuum would then let new rows
        # fill old rows' slots, and a query without ORDER BY return them in another order
        # from one run to the next. Without it they come back in insertion order, as after
        # the TRUNCATE the suite used before.
        for table in SQLModel.metadata.sorted_tables:
            conn.execute(text(f'ALTER TABLE "{table.name}" SET (autovacuum_enabled = false)'))
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def schema_url(url: str, schema: str) -> str:
    """The URL itself selects the schema, so a CLI started by a test sees the same tables.

    Commits do not wait for the WAL to reach the disk (`synchronous_commit=off`): that is
    durability against a crash of the database server, which no test crashes, and the
    PostgreSQL run took some 18 % less time on the billing, reporting and distribution tests
    (47.7 s against 39.1 s, 2 workers). A killed client process loses what it had not
    committed either way."""
    options = f"-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    return f"{url}{'&' if '?' in url else '?'}options={options}"


def _empty_all(engine: Engine) -> None:
    """Every table emptied and every id sequence back at 1, as a new database would be.

    DELETE, children first, not TRUNCATE: a test leaves a few rows, and TRUNCATE gives each
    of the 32 tables new files (81 ms, measured alone), where deleting a few rows and
    restarting the sequences takes 9 ms (docs/benchmarks.md)."""
    with engine.begin() as conn:
        sequences = conn.execute(
            text(
                "SELECT quote_ident(sequence_name) FROM information_schema.sequences"
                " WHERE sequence_schema = current_schema()"
            )
        ).scalars()
        statements = [
            *(f'DELETE FROM "{t.name}"' for t in reversed(SQLModel.metadata.sorted_tables)),
            *(f"ALTER SEQUENCE {name} RESTART" for name in sequences),
        ]
        conn.exec_driver_sql(";\n".join(statements))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every table, created once per test worker: each test copies the file (a few ms)
    instead of creating its 32 tables again (some 80 ms)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()  # the last connection's close checkpoints the WAL into the file
    return path


@pytest.fixture
def engine(
    tmp_path: Path, pg_schema_engine: Engine | None, sqlite_template: Path
) -> Iterator[Engine]:
    if pg_schema_engine is not None:
        _empty_all(pg_schema_engine)
        yield pg_schema_engine
        return
    database = tmp_path / "test.sqlite3"
    shutil.copyfile(sqlite_template, database)
    engine = make_engine(f"sqlite:///{database}")
    yield engine
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    """Cheap argon2 parameters keep the suite fast; production uses the defaults."""
    return Settings(
        data_dir=tmp_path,
        database_url=engine.url.render_as_string(hide_password=False),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        login_max_failures=5,
    )
