"""A large usage report uploaded on the licensee's web page, imported by a background task:
the time until the page answers (a 303 to the task's progress page), until the first progress
the page shows (lines checked > 0; polled every 20 ms until then), and until the task has
succeeded (the report stored and invoiced; polled every 100 ms after the first progress, so
up to 0.1 s late; htmx polls every second).

Run: .venv/bin/python -P benchmarks/web_import.py [--lines 20000 100000]
SQLite file database (the single-process deployment the in-memory progress is made for).
"""

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from litestar.testing import TestClient

from pool.app import create_app
from pool.settings import Settings

# beside this script, found after the project imports (see usage_report_import.py)
sys.path.append(str(Path(__file__).parent))
from bench_db import fresh_database
from usage_report_import import NOW, _csv, _setup

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
STATUS = re.compile(r'data-status="(\w+)"')
DONE = re.compile(r'<progress[^>]* value="(\d+)"')
FIRST_POLL_SECONDS = 0.02  # until the first progress shows (to time it)
POLL_SECONDS = 0.1  # then (each look takes the GIL a few ms from the worker thread)
WARM_UP_LINES = 2_500


def _token(client: TestClient, url: str) -> str:
    found = CSRF.search(client.get(url).text)
    if found is None:
        raise SystemExit(f"no form token on {url}")
    return found.group(1)


def _run(lines: int, tmp: Path) -> tuple[float, float, float]:
    """Seconds until the upload is answered, until progress shows, until it succeeded."""
    with fresh_database(None, tmp, lines) as (_, engine):
        settings = Settings(
            data_dir=tmp,
            database_url=str(engine.url),
            argon2_time_cost=1,
            argon2_memory_kib=1024,
            max_upload_bytes=100_000_000,
        )
        agreement_id, products, _ = _setup(engine, settings)
        body = _csv(lines, products)
        app = create_app(settings=settings, engine=engine, clock=lambda: NOW)
        with TestClient(app) as client:
            login = {"email": "l@example.org", "password": "benchmark pass"}
            client.post("/login", data={**login, "_csrf_token": _token(client, "/login")})
            form = f"/licensee/agreements/{agreement_id}/reports/new"
            token = _token(client, form)
            started = time.perf_counter()
            answer = client.post(
                f"/licensee/agreements/{agreement_id}/reports/upload",
                data={"_csrf_token": token, "period_start": "2025-04-01"},
                files={"file": ("report.csv", body, "text/csv")},
                follow_redirects=False,
            )
            answered = time.perf_counter() - started
            if answer.status_code != 303 or "/tasks/" not in answer.headers["location"]:
                raise SystemExit(f"no task started: {answer.status_code} {answer.text[:300]}")
            return (answered, *_follow(client, answer.headers["location"], started))


def _follow(client: TestClient, task_url: str, started: float) -> tuple[float, float]:
    first_progress = 0.0
    while True:
        fragment = client.get(f"{task_url}/progress", headers={"HX-Request": "true"}).text
        status, done = STATUS.search(fragment), DONE.search(fragment)
        if not first_progress and done and int(done.group(1)) > 0:
            first_progress = time.perf_counter() - started
        if status and status.group(1) == "succeeded":
            return first_progress or time.perf_counter() - started, time.perf_counter() - started
        if status and status.group(1) == "failed":
            raise SystemExit(f"the import failed: {fragment[:1000]}")
        time.sleep(POLL_SECONDS if first_progress else FIRST_POLL_SECONDS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, nargs="*", default=[20_000, 100_000])
    args = parser.parse_args()
    print(f"{'lines':>8} {'answered s':>11} {'progress s':>11} {'succeeded s':>12} {'lines/s':>8}")
    with tempfile.TemporaryDirectory() as tmp_dir:
        _run(WARM_UP_LINES, Path(tmp_dir))  # imports, templates, the catalog: not timed
        for lines in args.lines:
            answered, progress, total = _run(lines, Path(tmp_dir))
            rate = lines / total
            print(f"{lines:>8} {answered:>11.2f} {progress:>11.2f} {total:>12.2f} {rate:>8.0f}")


if __name__ == "__main__":
    main()
