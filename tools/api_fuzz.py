"""Fuzz the API as each role would, against a live server: schemathesis on the OpenAPI
document of `patentpool serve`, on a small demo pool (the CI step of issue 13).

It builds the demo (SQLite, in a scratch directory), serves it with one worker, signs in as a
licensee, a contributor and the administrator, and runs schemathesis with every check on for
the operations each of them owns, the administrator last and on every operation (its
changes, such as closing a pool, must not take the ground from under the others). Logout
and token revocation are left out so the tokens survive the run.

Schema-valid requests that the business rules refuse (a 409, a 422 naming a rule) are not
failures as long as the document lists them (tools/schemathesis.toml). Anything else is: a
5xx, an undocumented status, content type or header, a body not matching its schema, a 405
without `Allow`, a schema-valid request refused with a status the document does not give.

Run: .venv/bin/python tools/api_fuzz.py [--seconds 60] [--seed 1]
Exit status: 0 when every role's run passed, 1 otherwise (their reports are printed).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEMO = ["--contributors", "4", "--patents", "40", "--licensees", "12", "--seed", "7"]
PASSWORD = "patentpool-demo-2025"  # the demo's, printed by `patentpool demo`
# Ending the session or a token would leave the rest of the run unauthenticated.
KEEP_TOKENS = r"^/api/v1/auth/logout$|^/api/v1/me/tokens/\{token_id\}$"


@dataclass(frozen=True)
class Role:
    name: str
    email: str
    tags: tuple[str, ...]  # the operations it owns (all, for the administrator)
    share: float  # of the time budget


ROLES = (
    Role(
        "licensee",
        "licensee@example.org",
        ("auth", "licensing", "usage reports", "invoices", "payments", "public"),
        0.25,
    ),
    Role("contributor", "contributor@example.org", ("auth", "patents", "statements"), 0.2),
    Role("administrator", "admin@example.org", (), 0.55),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_live(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{url}/health/live", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not come up in 60 s")


def _token(url: str, email: str) -> str:
    answer = httpx.post(
        f"{url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


def _fuzz(url: str, role: Role, token: str, seconds: int, seed: int, reports: Path) -> int:
    command = [
        str(BIN / "st"),
        "--config-file",
        str(ROOT / "tools" / "schemathesis.toml"),
        "run",
        f"{url}/schema/openapi.json",
        "--checks",
        "all",
        "--max-time",
        str(seconds),
        "--seed",
        str(seed),
        "--header",
        f"Authorization: Bearer {token}",
        "--exclude-path-regex",
        KEEP_TOKENS,
        "--report",
        "junit",
        "--report-junit-path",
        str(reports / f"{role.name}.xml"),
        "--no-color",
    ]
    for tag in role.tags:
        command += ["--include-tag", tag]
    print(f"\n== {role.name}: {seconds} s, {' '.join(role.tags) or 'every operation'}", flush=True)
    # in the scratch directory: schemathesis keeps a cache (.schemathesis/) where it runs
    return subprocess.run(command, cwd=reports, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=180, help="the whole run's budget")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="patentpool-fuzz-") as scratch:
        tmp = Path(scratch)
        env = {
            **os.environ,
            "PATENTPOOL_DATA_DIR": str(tmp / "data"),
            "PATENTPOOL_DATABASE_URL": f"sqlite:///{tmp}/fuzz.sqlite3",
            "PATENTPOOL_LOG_LEVEL": "WARNING",
            "PATENTPOOL_MAIL_TRANSPORT": "none",
        }
        patentpool = str(BIN / "patentpool")
        demo = [patentpool, "demo", "--no-serve", *DEMO]
        subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [patentpool, "serve", "--port", str(port)],
            env=env,
            stdout=(tmp / "server.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_live(url, server)
            tokens = {role.name: _token(url, role.email) for role in ROLES}
            failed = []
            for role in ROLES:
                seconds = max(10, int(args.seconds * role.share))
                if _fuzz(url, role, tokens[role.name], seconds, args.seed, tmp) != 0:
                    failed.append(role.name)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=40)
        errors = [
            line
            for line in (tmp / "server.log").read_text(errors="replace").splitlines()
            if '"level": "ERROR"' in line or '"level": "CRITICAL"' in line
        ]
        print(f"\nserver log: {len(errors)} lines at ERROR or worse")
        for line in errors[:20]:
            print("  ", line[:300])
    print("failed: " + (", ".join(failed) if failed else "none"))
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
