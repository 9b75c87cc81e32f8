"""Restart PostgreSQL under a running scheduler and see it lead again.

The suite cannot restart the server its other workers use, so its tests cut the leader's lock
connection instead (tests/scheduler/test_leader.py). This probe does the real thing on a
private, throw-away cluster: it initialises one in a temporary directory (as the `postgres`
user when run as root), migrates it, starts a `patentpool worker` or `patentpool serve
--with-scheduler`, restarts the server with `pg_ctl restart -m fast` (or stops it for a while,
`--outage`), and prints how long the process took to lead again and whether it stayed up.

    python tools/pg_restart_probe.py                # both processes, one restart each
    python tools/pg_restart_probe.py --outage 20     # the server down for 20 s each time

Needs PostgreSQL's server binaries (`/usr/lib/postgresql/<version>/bin`)."""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTED = "scheduler started"
SERVING = "Application startup complete"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_binaries() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        sys.exit("no PostgreSQL server binaries under /usr/lib/postgresql")
    return versions[-1]


class Cluster:
    """A private PostgreSQL cluster in a temporary directory, trust auth on 127.0.0.1."""

    def __init__(self, base: Path, port: int) -> None:
        self.bin = server_binaries()
        self.data = base / "pgdata"
        self.log = base / "postgres.log"
        self.port = port
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(base, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = [*self.as_postgres, str(self.bin / tool), *args]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def _ctl(self, action: str, *args: str) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", action, "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", *args)  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")


def wait_until(condition: Callable[[], bool], seconds: float) -> float | None:
    """Seconds until `condition` held, or None if it did not within `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def probe(
    name: str,
    command: list[str],
    cluster: Cluster,
    base: Path,
    outage: float,
    ready: str,
    health: str | None = None,
) -> list[str]:
    log = base / f"{name}.log"
    env = {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": cluster.url,
        "PATENTPOOL_DATA_DIR": str(base / name),
        "PATENTPOOL_LOG_JSON": "false",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def text() -> str:
        return log.read_text(errors="replace")

    try:
        if wait_until(lambda: STARTED in text() and ready in text(), 60) is None:
            return [name, "did not lead at all", "", "", "", text()[-300:]]
        if outage:
            cluster.stop()
            time.sleep(outage)
            cluster.start()
        else:
            cluster.restart()
        again = wait_until(lambda: text().count(STARTED) >= 2, 120)
        since_back = f"{again:.1f} s" if again is not None else "not within 120 s"
        alive = process.poll() is None
        # The service's pool has no pre-ping (pool/db.py, Limits.pre_ping): the first use of
        # a connection the restart killed fails and empties the pool, the next one answers.
        answers = "-" if health is None else f"{status_of(health)}, then {status_of(health)}"
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        problems = [w for w in ("PendingRollbackError", "Traceback") if w in text()]
        found = ", ".join(problems) or "-"
        return [name, since_back, "yes" if alive else "NO", answers, str(code), found]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def status_of(url: str) -> str:
    """The status code and what the body says (`ok`, `unavailable`: ..., `saturated`)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            code, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        code, body = error.code, error.read()
    except OSError as error:
        return f"no answer ({type(error).__name__})"
    said = json.loads(body or b"{}")
    database = said.get("database")
    return f"{code} {said.get('status')}" + (f" ({database})" if database != "ok" else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outage", type=float, default=0.0, help="keep the server down (s)")
    parser.add_argument("--keep", action="store_true", help="keep the logs (path printed)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="pp-pg-restart-"))
    cluster = Cluster(base, free_port())
    cluster.start()
    try:
        python = sys.executable
        subprocess.run(
            [python, "-m", "scheduler", "db", "upgrade"],
            cwd=ROOT,
            env={**os.environ, "PATENTPOOL_DATABASE_URL": cluster.url},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        worker = [python, "-m", "scheduler", "worker", "--retry-seconds", "1"]
        port = free_port()
        serve = [python, "-m", "scheduler", "serve", "--with-scheduler", "--retry-seconds", "1",
                 "--port", str(port)]  # fmt: skip
        rows = [
            probe("worker", worker, cluster, base, args.outage, STARTED),
            probe(
                "serve --with-scheduler",
                serve,
                cluster,
                base,
                args.outage,
                SERVING,
                f"http://127.0.0.1:{port}/health/ready",
            ),
        ]
    finally:
        cluster.stop()
        if args.keep:
            print(f"logs in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    what = f"server down {args.outage:g} s" if args.outage else "pg_ctl restart -m fast"
    header = [
        "process", f"led again after ({what})", "alive", "/health/ready after", "exit on SIGTERM",
        "in its log",
    ]  # fmt: skip
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print(" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
