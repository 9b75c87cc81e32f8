"""http_load.py's servers: `patentpool` commands and their environment, the bare Litestar app,
and a server run until ready, then SIGTERMed with the time it took to exit."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

BARE_APP = """
from litestar import Litestar, get

@get("/", sync_to_thread=False)
def hello() -> dict[str, str]:
    return {"hello": "world"}

app = Litestar([hello], logging_config=None)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(code: Path | None, database_url: str, data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PATENTPOOL_DATA_DIR": str(data_dir),
        "PATENTPOOL_DATABASE_URL": database_url,
        "PATENTPOOL_LOG_LEVEL": "WARNING",
        "PATENTPOOL_MAIL_TRANSPORT": "none",
    }
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return env


def cli_command(code: Path | None) -> list[str]:
    return [sys.executable, "-c", "from scheduler.cli import main; main()"]


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        with suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise SystemExit(f"{url} not ready in {timeout} s")


@contextmanager
def serving(
    cmd: list[str], env: dict[str, str], ready: str, cwd: Path | None = None
) -> Iterator[dict[str, float]]:
    """Run a server; on the way out SIGTERM it and note how long it took to exit."""
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd
    )
    exit_info: dict[str, float] = {}
    try:
        _wait_ready(ready, proc)
        yield exit_info
    finally:
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
            exit_info["sigterm_s"] = time.monotonic() - start
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            exit_info["sigterm_s"] = float("inf")


def ready_status(base: str) -> str:
    try:
        return str(httpx.get(f"{base}/health/ready", timeout=10).status_code)
    except httpx.HTTPError as error:
        return type(error).__name__
