"""The `patentpool` command: migrations, first admin, serving and restarting (the demo is
tested in tests/scheduler/test_demo.py)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory

from pool.migrate import alembic_config

pytestmark = pytest.mark.slow  # real processes: scheduled first (tests/conftest.py)

SCRIPT = Path(sys.executable).parent / "patentpool"
PASSWORD = "a long enough password"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pool"]
    return subprocess.run(
        [*command, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A fresh SQLite data dir, as a new user gets by default (the same code runs on PostgreSQL)."""
    return {
        **os.environ,
        "PATENTPOOL_DATA_DIR": str(tmp_path / "data"),
        "PATENTPOOL_ARGON2_TIME_COST": "1",
        "PATENTPOOL_ARGON2_MEMORY_KIB": "1024",
        "PATENTPOOL_DATABASE_URL": "",
    }


def test_upgrade_then_create_the_first_admin(env: dict[str, str]) -> None:
    env.pop("PATENTPOOL_DATABASE_URL")
    upgraded = run(env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert f"revision {head}" in upgraded.stdout
    assert (Path(env["PATENTPOOL_DATA_DIR"]) / "patentpool.sqlite3").exists()
    created = run(
        {**env, "PATENTPOOL_NEW_PASSWORD": "a long enough password"},
        "user",
        "create",
        "--email",
        "Boss@Example.org",
        "--name",
        "Boss",
    )
    assert created.returncode == 0, created.stderr
    assert "created admin boss@example.org" in created.stdout
    again = run(
        {**env, "PATENTPOOL_NEW_PASSWORD": "a long enough password"},
        "user",
        "create",
        "--email",
        "boss@example.org",
        "--name",
        "Boss",
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr
    short = run(
        {**env, "PATENTPOOL_NEW_PASSWORD": "short"},
        "user",
        "create",
        "--email",
        "x@example.org",
        "--name",
        "X",
    )
    assert short.returncode == 1
    assert "password" in short.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server_env(env: dict[str, str]) -> dict[str, str]:
    """A migrated data dir with the administrator the restart test signs in as."""
    env.pop("PATENTPOOL_DATABASE_URL")
    env["PATENTPOOL_PORT"] = str(_free_port())
    assert run(env, "db", "upgrade").returncode == 0
    admin = {**env, "PATENTPOOL_NEW_PASSWORD": PASSWORD}
    made = run(admin, "user", "create", "--email", "admin@example.org", "--name", "Admin")
    assert made.returncode == 0, made.stderr
    return env


def _start(env: dict[str, str]) -> subprocess.Popen[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "pool"]
    process = subprocess.Popen(
        [*command, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{env['PATENTPOOL_PORT']}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"server did not start: {process.communicate()[0][-2000:]}")


def _stop(process: subprocess.Popen[str]) -> str:
    """SIGTERM: uvicorn drains requests, runs the app's shutdown hooks, then re-raises the
    signal so that the exit status still says why the process ended."""
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=40)
    assert process.returncode in (0, -signal.SIGTERM), output[-2000:]
    assert "Application shutdown complete" in output, output[-2000:]
    return output


def test_serve_stops_gracefully_and_a_restart_loses_nothing(server_env: dict[str, str]) -> None:
    base = f"http://127.0.0.1:{server_env['PATENTPOOL_PORT']}"
    process = _start(server_env)
    try:
        token = httpx.post(
            f"{base}/api/v1/auth/login",
            json={"email": "admin@example.org", "password": PASSWORD},
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        created = httpx.post(
            f"{base}/api/v1/organisations",
            headers=headers,
            json={
                "name": "Restart Test GmbH",
                "kind": "private_company",
                "size_class": "medium",
                "country": "DE",
            },
        )
        assert created.status_code == 201
        assert httpx.get(f"{base}/schema/openapi.json").status_code == 200
    finally:
        output = _stop(process)
    assert '"logger": "patentpool.access"' in output
    assert '"request_id"' in output
    process = _start(server_env)
    try:
        again = httpx.get(f"{base}/api/v1/organisations/{created.json()['id']}", headers=headers)
        assert again.json()["name"] == "Restart Test GmbH"
    finally:
        _stop(process)


def test_serve_believes_forwarded_headers_from_the_configured_proxies_only_and_names_no_server(
    server_env: dict[str, str],
) -> None:
    """`serve` passes PATENTPOOL_FORWARDED_ALLOW_IPS and `server_header=False` to uvicorn
    (what the app then believes is tested in tests/pool/hostile/test_transport_headers.py)."""
    base = f"http://127.0.0.1:{server_env['PATENTPOOL_PORT']}"
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    process = _start({**server_env, "PATENTPOOL_FORWARDED_ALLOW_IPS": "127.0.0.1"})
    try:
        answer = httpx.get(f"{base}/api/v1/public/pools", headers=forwarded)
        plain = httpx.get(f"{base}/login")
    finally:
        output = _stop(process)
    assert answer.status_code == 200
    assert "server" not in answer.headers
    assert "server" not in plain.headers
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "strict-transport-security" not in plain.headers
    assert '"path": "/api/v1/public/pools", "client": "203.0.113.7"' in output
    assert '"path": "/login", "client": "127.0.0.1"' in output


def test_allocate_command_is_wired(env: dict[str, str], tmp_path: Path) -> None:
    missing = run(env, "allocate", str(tmp_path / "nope.json"))
    assert missing.returncode != 0
    assert "Traceback" not in missing.stderr
