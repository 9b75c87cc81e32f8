"""Child processes never outlive their parent (pool/services/common/lifeline.py), with real
processes: the PDF renderers of a `patentpool run-job statement_issuance` killed with SIGKILL
mid-issuance; those of a small script that renders, then exits cleanly, exits on SIGTERM
(no handler, no atexit) or is killed; and the worker processes of `patentpool serve --workers 2`
when its supervisor is killed. The children are found in /proc, and a zombie counts as gone."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.app import ORPHAN_GRACE_SECONDS
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.scheduler.test_exactly_once import approved_run, issued

pytestmark = [
    pytest.mark.slow,  # real processes: scheduled first (tests/conftest.py)
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
]

ROOT = Path(__file__).resolve().parents[2]
GONE_WITHIN = 5.0  # seconds after the parent's death (issue 14)

# Renders from a thread that then ends (PR_SET_PDEATHSIG would kill the renderers here), says
# so, and waits for a word on stdin: "exit" returns normally, "os_exit" skips atexit.
RENDERER = """
import os, sys, threading
from pool.services.statements import pdf_workers
html = b"<html><body><p>statement</p></body></html>"
thread = threading.Thread(target=pdf_workers.render_pdfs, args=([html] * 4,))
thread.start()
thread.join()
print("rendered", flush=True)
word = sys.stdin.readline().strip()
if word == "os_exit":
    os._exit(0)
"""


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None if there is none."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    found = _stat(pid)
    return found is not None and found[0] != "Z"


def descendants(root: int) -> set[int]:
    """Every living process below `root`."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := _stat(int(entry.name))) and found[0] != "Z":
            parents[int(entry.name)] = found[1]
    below: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - below
        below |= frontier
    return below


def spawned(pids: set[int]) -> set[int]:
    """Those started by multiprocessing's `spawn` (renderers, uvicorn's workers)."""
    found = set()
    for pid in pids:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if b"spawn_main" in command:
            found.add(pid)
    return found


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def assert_all_gone(children: set[int], seconds: float) -> None:
    """None of `children` is alive within `seconds` (survivors are killed, then reported)."""
    assert children
    wait_until(lambda: not any(alive(pid) for pid in children), seconds)
    survivors = {pid for pid in children if alive(pid)}
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == set()


@pytest.fixture
def env(settings: Settings, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(tmp_path),
        "PATENTPOOL_MAIL_TRANSPORT": "none",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def start(env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start a process; whatever is left of it and its children is killed afterwards."""
    started: list[subprocess.Popen[bytes]] = []

    def run(*args: str, name: str, stdin: int | None = None) -> subprocess.Popen[bytes]:
        with (tmp_path / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, *args], cwd=ROOT, env=env, stdin=stdin, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        started.append(process)
        return process

    yield run
    for process in started:
        left = descendants(process.pid)
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        if process.stdin is not None:
            process.stdin.close()
        for pid in left:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.timeout(60)
@pytest.mark.database_free  # a renderer process and its parent: no database
@pytest.mark.parametrize("ending", ["exit", "os_exit", "sigterm", "sigkill"])
def test_pdf_renderers_die_with_their_parent(
    start: Callable[..., subprocess.Popen[bytes]], tmp_path: Path, ending: str
) -> None:
    parent = start("-c", RENDERER, name="renderer", stdin=subprocess.PIPE)
    log = tmp_path / "renderer.log"
    assert wait_until(lambda: "rendered" in log.read_text(), 45), log.read_text()
    children = descendants(parent.pid)
    renderers = spawned(children)
    assert renderers, children
    time.sleep(1)  # the thread that started them has ended: they live on with their parent
    assert all(alive(pid) for pid in renderers)
    assert parent.stdin is not None
    if ending in ("exit", "os_exit"):
        parent.stdin.write(f"{ending}\n".encode())
        parent.stdin.flush()
    else:
        parent.send_signal(signal.SIGTERM if ending == "sigterm" else signal.SIGKILL)
    parent.wait(timeout=30)
    assert_all_gone(children, GONE_WITHIN)


@pytest.mark.timeout(180)
def test_sigkill_of_run_job_mid_issuance_leaves_no_pdf_renderer(
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    start: Callable[..., subprocess.Popen[bytes]],
    tmp_path: Path,
) -> None:
    run_id = approved_run(client, engine, world, clock)
    command = ("-m", "scheduler", "run-job", "statement_issuance", "--as-of", "2025-08-01")
    victim = start(*command, name="victim")
    renderers = min(2, os.cpu_count() or 1)  # pdf_workers' pool, both started by the first batch
    started = wait_until(lambda: len(spawned(descendants(victim.pid))) >= renderers, 90)
    assert started, (tmp_path / "victim.log").read_text()
    children = descendants(victim.pid)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert_all_gone(children, GONE_WITHIN)
    assert issued(engine, run_id)[0] < 42  # killed before the end of the issuance


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.mark.timeout(120)
def test_sigkill_of_serve_leaves_no_worker_process(
    start: Callable[..., subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    port = free_port()
    supervisor = start(
        "-m", "scheduler", "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port),
        name="serve",
    )  # fmt: skip
    log = tmp_path / "serve.log"
    two_workers = wait_until(lambda: len(spawned(descendants(supervisor.pid))) == 2, 60)
    assert two_workers, log.read_text()
    assert wait_until(lambda: answers(f"http://127.0.0.1:{port}/health/live"), 60), log.read_text()
    children = descendants(supervisor.pid)
    supervisor.send_signal(signal.SIGKILL)
    supervisor.wait(timeout=30)
    assert_all_gone(children, ORPHAN_GRACE_SECONDS + GONE_WITHIN)
    assert not answers(f"http://127.0.0.1:{port}/health/live")
