"""`patentpool doctor` (issue 17): one line per system piece, OK or PROBLEM with what to do,
exit status 1 on any problem; and the warning `serve` logs at start when a Chinese PDF would
have no Chinese glyphs. Real processes on a real database (a fresh schema on PostgreSQL)."""

import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from pool.db import make_engine
from pool.migrate import alembic_config
from tests.conftest import PG_URL, schema_url
from tests.pool.test_cli import SCRIPT, _free_port, run

pytestmark = pytest.mark.slow  # real processes: scheduled first (tests/conftest.py)

CHECKS = ["CJK font", "Pango", "HarfBuzz", "database", "migrations"]


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An empty database of the test's kind: a new SQLite data dir, or a new PostgreSQL schema."""
    env = {**os.environ, "PATENTPOOL_DATA_DIR": str(tmp_path / "data")}
    env.pop("PATENTPOOL_CJK_FONT", None)
    if not PG_URL:
        env["PATENTPOOL_DATABASE_URL"] = ""
        yield env
        return
    schema = f"pp_doctor_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    env["PATENTPOOL_DATABASE_URL"] = schema_url(PG_URL, schema)
    try:
        yield env
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def lines(output: str) -> dict[str, str]:
    """Each check's line by its name: 'OK       CJK font: ...' -> {'CJK font': 'OK ...'}."""
    found = {}
    for line in output.splitlines():
        status, _, rest = line.partition(" ")
        name, _, what = rest.strip().partition(": ")
        found[name] = f"{status} {what}"
    return found


def test_a_healthy_installation_is_ok_on_every_line(fresh: dict[str, str]) -> None:
    assert run(fresh, "db", "upgrade").returncode == 0
    checked = run(fresh, "doctor")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    found = lines(checked.stdout)
    assert list(found) == CHECKS
    assert all(line.startswith("OK ") for line in found.values()), found
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert found["migrations"] == f"OK at the head revision {head}"


def test_migrations_behind_are_a_problem(fresh: dict[str, str]) -> None:
    assert run(fresh, "db", "upgrade", "--revision", "0013").returncode == 0
    checked = run(fresh, "doctor")
    assert checked.returncode == 1
    migrations = lines(checked.stdout)["migrations"]
    assert migrations.startswith("PROBLEM at 0013, the head is ")
    assert "run `patentpool db upgrade`" in migrations


def test_a_database_that_does_not_answer_is_named(fresh: dict[str, str]) -> None:
    port = _free_port()  # nothing listens there
    bad = {**fresh, "PATENTPOOL_DATABASE_URL": f"postgresql://nobody:secret@127.0.0.1:{port}/pool"}
    checked = run(bad, "doctor")
    assert checked.returncode == 1
    found = lines(checked.stdout)
    assert found["database"].startswith(
        f"PROBLEM cannot connect to postgresql+psycopg://nobody:***@127.0.0.1:{port}/pool"
    )
    assert "PATENTPOOL_DATABASE_URL" in found["database"]
    assert "secret" not in checked.stdout
    assert found["migrations"] == "PROBLEM not checked: the database is not reachable"
    assert found["CJK font"].startswith("OK ")  # the other checks still run


@pytest.mark.database_free  # the font check and serve's warning: checked in the SQLite run
def test_a_missing_cjk_font_is_a_problem_and_serve_warns_at_start(fresh: dict[str, str]) -> None:
    env = {**fresh, "PATENTPOOL_CJK_FONT": "No Such Font 17"}
    assert run(env, "db", "upgrade").returncode == 0
    checked = run(env, "doctor")
    assert checked.returncode == 1
    font = lines(checked.stdout)["CJK font"]
    assert font.startswith("PROBLEM no font 'No Such Font 17' with Chinese glyphs")
    assert "fonts-wqy-microhei" in font
    command = [str(SCRIPT), "serve"]
    env = {**env, "PATENTPOOL_PORT": str(_free_port()), "PATENTPOOL_LOG_JSON": "false"}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # the warning comes before uvicorn starts
        seen.append(line)
        if "No Such Font 17" in line or "Uvicorn running" in line or len(seen) > 50:
            break
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=40)
    warning = seen[-1]
    assert "WARNING" in warning, seen
    assert "Chinese statements and invoice PDFs will be refused" in warning
