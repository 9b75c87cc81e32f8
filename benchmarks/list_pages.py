"""Every list page at 10x the demo (issue 17: "lists stay fast at 10x"): the pool of
`tests/scale_world.py` (2,000 licensees, 15,000 patents, some 62,000 audit events) served
in-process (Litestar TestClient, the real app and SQLite file), each role signed in through the
login form, and every list page timed as it is, searched, filtered, sorted, on a late page and
as its CSV export. Prints the median and max of `--runs` requests per URL, the status, the rows
(table rows of a page, lines of a CSV) and the bytes.

The URL table is `URLS` (add a row per new list: role, URL); pages under /admin, /licensee,
/contributor and /deals without path parameters that it does not name are found from the app's
routes and timed as they are, so a new list page is measured even before it gets its row.

Run: .venv/bin/python -P benchmarks/list_pages.py [--db /tmp/scale10.sqlite3] [--runs 5]
     [--only csv]
     (an existing --db file is reused: the build takes some 10 s)
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from litestar import Litestar
from litestar.testing import TestClient
from sqlmodel import SQLModel

import pool.models  # noqa: F401  (registers every table)
from pool.app import create_app
from pool.db import make_engine
from pool.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # the builder is the tests' (tests/scale_world.py)
from tests.conftest import FakeClock  # noqa: E402
from tests.pool.conftest import PASSWORD  # noqa: E402
from tests.scale_world import SEARCHED, build  # noqa: E402
from tests.web.conftest import csrf_from  # noqa: E402

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)  # the clock the world is built with
EMAILS = {
    "admin": "admin@example.org",
    "auditor": "auditor@example.org",
    "licensee": "sme@example.org",
    "contributor": "uni@example.org",
}
SEARCH = SEARCHED.split()[0]
URLS: list[tuple[str, str]] = [
    ("admin", "/admin/agreements"),
    ("admin", f"/admin/agreements?q={SEARCH}"),
    ("admin", "/admin/agreements?state=active"),
    ("admin", "/admin/agreements?sort=-signed"),
    ("admin", "/admin/agreements?page=35"),
    ("admin", "/admin/agreements?format=csv"),
    ("admin", "/admin/agreements?state=active&format=csv"),
    ("admin", "/admin/patents"),
    ("admin", "/admin/patents?q=US9001"),
    ("admin", "/admin/patents?status=accepted&section=8.2.1"),
    ("admin", "/admin/patents?sort=-filed"),
    ("admin", "/admin/patents?page=250"),
    ("admin", "/admin/patents?format=csv"),
    ("admin", "/admin/invoices"),
    ("admin", "/admin/invoices?q=INV-0042"),
    ("admin", "/admin/invoices?status=open&year=2025"),
    ("admin", "/admin/invoices?sort=-amount"),
    ("admin", "/admin/invoices?page=120"),
    ("admin", "/admin/invoices?format=csv"),
    ("admin", "/admin/audit"),
    ("admin", "/admin/audit?q=invoice"),
    ("admin", "/admin/audit?action=payment.recorded"),
    ("admin", "/admin/audit?sort=at"),
    ("admin", "/admin/audit?page=1000"),
    ("admin", "/admin/audit?format=csv"),
    ("admin", "/admin/?year=2024"),
    ("admin", "/pick/licensees?pool=1&q=kes"),
    ("admin", "/pick/organisations?q=kes"),
    ("admin", "/pick/patents?pool=1&q=us900"),
    ("admin", "/pick/families?pool=1&q=F-0001"),
    ("auditor", "/admin/audit"),
    ("licensee", "/licensee/"),
    ("licensee", "/licensee/agreements"),
    ("licensee", "/licensee/invoices"),
    ("licensee", "/licensee/reports"),
    ("contributor", "/contributor/"),
    ("contributor", "/contributor/patents"),
    ("contributor", "/contributor/statements"),
]
PREFIXES = {"/admin": "admin", "/licensee": "licensee", "/contributor": "contributor"}
PREFIXES["/deals"] = "admin"


def discovered(app: Litestar, named: set[str]) -> list[tuple[str, str]]:
    """GET pages under the role prefixes, without path parameters, not in `URLS`."""
    found = []
    for route in app.routes:
        path = route.path
        if "{" in path or "GET" not in route.methods or path in named:
            continue
        role = next((r for p, r in PREFIXES.items() if path.startswith(p)), None)
        if role and not path.endswith(("/new", "/import", "/password", ".csv")):
            found.append((role, path))
    return sorted(set(found))


def signed_in(app: Litestar, role: str) -> TestClient:  # type: ignore[type-arg]
    client: TestClient = TestClient(app)  # type: ignore[type-arg]
    client.__enter__()
    token = csrf_from(client.get("/login"))
    data = {"email": EMAILS[role], "password": PASSWORD, "_csrf_token": token}
    answer = client.post("/login", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def rows_of(body: bytes, csv: bool) -> int:
    if csv:
        return max(body.count(b"\r\n") - 1, 0)
    return max(body.count(b"<tr") - 1, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file (built if missing, else reused)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="time only the URLs containing this text")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="list-pages-"))
    path = args.db or tmp / "scale10.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    settings = Settings(
        data_dir=tmp,
        database_url=f"sqlite:///{path}",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        cookie_secret="list-pages benchmark",
    )
    clock = FakeClock(NOW)
    if not path.exists() or path.stat().st_size == 0:
        SQLModel.metadata.create_all(engine)
        started = time.perf_counter()
        build(engine, settings, clock)
        print(f"built the 10x pool in {time.perf_counter() - started:.1f} s: {path}")
    app = create_app(settings=settings, engine=engine, clock=clock)
    clients = {role: signed_in(app, role) for role in EMAILS}
    urls = URLS + discovered(app, {url for _, url in URLS})
    urls = [(role, url) for role, url in urls if args.only in url]
    print(
        f"{'role':<12} {'url':<52} {'status':>6} {'median ms':>9} {'max ms':>7} "
        f"{'rows':>6} {'bytes':>9}"
    )
    slow = []
    for role, url in urls:
        times, body, status = [], b"", 0
        for _ in range(args.runs):
            started = time.perf_counter()
            answer = clients[role].get(url)
            times.append((time.perf_counter() - started) * 1000)
            body, status = answer.content, answer.status_code
        csv = "format=csv" in url
        median = statistics.median(times)
        print(
            f"{role:<12} {url:<52} {status:>6} {median:>9.0f} {max(times):>7.0f} "
            f"{rows_of(body, csv):>6} {len(body):>9}"
        )
        if median >= 1000 or status >= 500:
            slow.append(url)
    print(f"over 1 s or failing: {', '.join(slow) if slow else 'none'}")


if __name__ == "__main__":
    main()
