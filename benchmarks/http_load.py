"""Many people at once, over real HTTP: `patentpool serve` (one uvicorn worker) on a small demo
pool, driven by wrk (Debian's `wrk`), beside a bare Litestar endpoint served the same way in
the same run.

Scenarios (each line of the table):
- `bare@50`: a Litestar handler returning a constant, 50 connections, for `--seconds`;
- `read@50`, `read@500`: a contributor reads its own statement
  (`GET /api/v1/statements/{id}`, bearer token), 50 and 500 connections, for `--seconds`;
- `reports x50`: 50 licensees each submit a usage report, all sent at once;
- `payments x50`: 50 payments on one open invoice, all sent at once;
- `payments x200`: 200 more payments on another licensee's invoice, all at once (the pile-up).

A burst's req/s is its request count over the slowest answer (everything is sent at t = 0).
`errors` counts answers other than 2xx and 503, plus socket errors and timeouts; `503` counts
the overload answers (allowed at 500 connections). The reads, the reports and each payment
burst get a fresh server (one left hanging by a scenario does not decide the next one's
figures); after each, the script asks `/health/ready` and times SIGTERM to exit. Last it
checks the money in the database: no invoice allocated beyond its total, every ledger entry
balanced.

Run: .venv/bin/python -P benchmarks/http_load.py [--pg postgresql://postgres@127.0.0.1:5432/test]
     [--code DIR] (serve the code of another checkout, e.g. a `git worktree` of an older commit,
     for before/after figures side by side)
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

# the modules beside this script (python -P puts no script directory on sys.path)
sys.path.append(str(Path(__file__).resolve().parent))
from http_load_money import money_checks
from http_load_people import prepare
from http_load_servers import BARE_APP, cli_command, free_port, ready_status, server_env, serving
from http_load_wrk import Row, wrk

DEMO_SIZE = ["--contributors", "4", "--patents", "60", "--licensees", "60"]


def run_database(label: str, database_url: str, code: Path | None, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        env = server_env(code, database_url, tmp / "data")
        t0 = time.monotonic()
        subprocess.run(
            [*cli_command(code), "demo", "--no-serve", *DEMO_SIZE],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=code or Path.cwd(),
        )
        print(f"# {label}: demo pool built in {time.monotonic() - t0:.0f} s", flush=True)
        port, bare_port = free_port(), free_port()
        (tmp / "bare_app.py").write_text(BARE_APP)
        bare = [
            sys.executable,
            "-m",
            "uvicorn",
            "bare_app:app",
            "--port",
            str(bare_port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        bare_env = {**os.environ, "PYTHONPATH": str(tmp)}
        base = f"http://127.0.0.1:{port}"
        serve = [*cli_command(code), "serve", "--port", str(port)]
        rows: list[Row] = []
        with serving(bare, bare_env, f"http://127.0.0.1:{bare_port}/"):
            rows.append(
                wrk(
                    f"http://127.0.0.1:{bare_port}",
                    "bare@50",
                    [("GET", "/", {}, None)],
                    connections=50,
                    seconds=seconds,
                    burst=False,
                    tmp=tmp,
                )
            )
        with (
            serving(serve, env, f"{base}/health/live", cwd=code),
            httpx.Client(base_url=base, timeout=60) as client,
        ):
            read, reports, bursts = prepare(client)
        # each group of scenarios gets a fresh server: one that a scenario left hanging does
        # not decide the next one's figures
        groups: list[list[tuple[str, list[Any], int, bool]]] = [
            [("read@50", read, 50, False), ("read@500", read, 500, False)],
            [("reports x50", reports, 50, True)],
            *[[(name, pays, len(pays), True)] for name, pays in bursts],
        ]
        after: list[tuple[str, str, float]] = []
        for group in groups:
            with serving(serve, env, f"{base}/health/live", cwd=code) as exit_info:
                for name, requests, connections, burst in group:
                    rows.append(
                        wrk(base, name, requests, connections=connections,
                            seconds=seconds if not burst else 60, burst=burst, tmp=tmp)
                    )  # fmt: skip
                healthy = ready_status(base)
            after.append((group[-1][0], healthy, exit_info.get("sigterm_s", 0.0)))
        print(f"\n## {label}: one uvicorn worker, wrk {seconds:.0f} s per read line\n")
        print("| scenario | requests | req/s | p50 ms | p99 ms | 503 | errors |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            stalled = " (no answer at all)" if r.requests == 0 else ""
            print(
                f"| {r.scenario}{stalled} | {r.requests} | {r.rps:,.0f} | {r.p50_ms:.1f} | "
                f"{r.p99_ms:.1f} | {r.status503} | {r.errors} |"
            )
        print("\n| server after | /health/ready | SIGTERM to exit |\n|---|---|---:|")
        for name, healthy, exit_s in after:
            print(f"| {name} | {healthy} | {exit_s:.1f} s |")
        print(
            f"\nread@50 / bare@50: {rows[1].rps / rows[0].rps:.0%}; "
            f"money: {money_checks(database_url)}",
            flush=True,
        )


def _pg_schema_url(pg_url: str) -> tuple[str, str]:
    schema = f"pp_load_{uuid.uuid4().hex[:8]}"
    return schema, f"{pg_url}?options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", help="also on PostgreSQL (a scratch schema, dropped after)")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--code", type=Path, help="serve this checkout's code instead")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    with suppress(ValueError, OSError):
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    code = args.code.resolve() if args.code else None
    print(f"# code: {code or Path.cwd()}; load: {os.getloadavg()[0]:.1f}; cores: {os.cpu_count()}")
    if args.sqlite:
        with tempfile.TemporaryDirectory() as d:
            run_database("SQLite", f"sqlite:///{d}/patentpool.sqlite3", code, args.seconds)
    if args.pg:
        schema, url = _pg_schema_url(args.pg)
        admin = create_engine(args.pg.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            run_database("PostgreSQL", url, code, args.seconds)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
