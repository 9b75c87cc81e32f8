"""`/admin/runs` and `/admin/statements` as lists over real HTTP (issue 17): runs filtered by
status and year, searched by period, sorted by period, paged with the pool kept, exported in
major units; statements searched by contributor or serial, filtered by pool, period, run and
e-mail state, sorted by contributor and net payable, exported in major units; staff only,
and in Chinese."""

from datetime import UTC, date, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.db import session_scope
from pool.models.distribution import DistributionRun, Statement
from tests.conftest import FakeClock
from tests.web.conftest import World, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids, visible_text
from tests.web.test_admin_mail import issued


def old_runs(engine: Engine, world: World, count: int) -> None:
    """`count` approved quarterly runs from 2000 on (the list only reads their columns)."""
    with session_scope(engine) as s:
        for n in range(count):
            start = date(2000 + n // 4, 1 + 3 * (n % 4), 1)
            s.add(DistributionRun(
                pool_id=world.pool_id, period_start=start,
                period_end=date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1),
                currency="USD", status="approved", formula_version="f", input_sha256="0" * 64,
                solver="s", solver_status="ok", received_minor=100 * n,
                computed_at=datetime(2025, 1, 1, tzinfo=UTC),
            ))  # fmt: skip


def test_runs_filter_sort_page_and_csv(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    statements = issued(client, engine, world, clock)
    old_runs(engine, world, 55)
    with Session(engine) as s:
        run = s.exec(select(Statement).where(Statement.id == min(statements.values()))).one()
        run_id = run.run_id
    sign_in(client, "admin@example.org")
    base = f"/admin/runs?pool={world.pool_id}"
    first = client.get(base).text
    assert row_ids(first, "run")[0] == run_id  # the latest period first
    assert len(row_ids(first, "run")) == 50
    (second,) = set(links(first, "Next page"))
    assert f"pool={world.pool_id}" in second
    assert len(row_ids(client.get(second).text, "run")) == 6
    assert row_ids(client.get(f"{base}&year=2025").text, "run") == [run_id]
    assert len(row_ids(client.get(f"{base}&year=2001").text, "run")) == 4
    assert row_ids(client.get(f"{base}&q=2025-04").text, "run") == [run_id]
    oldest = row_ids(client.get(f"{base}&sort=period").text, "run")
    assert oldest[0] != run_id
    assert run_id not in oldest
    rows = csv_rows(client.get(f"{base}&year=2001&sort=period&format=csv"))
    assert [r["period_start"] for r in rows] == ["2001-01-01", "2001-04-01", "2001-07-01",
                                                 "2001-10-01"]  # fmt: skip
    assert rows[0]["period_last_day"] == "2001-03-31"
    assert (rows[0]["currency"], rows[0]["received"]) == ("USD", "4.00")
    for junk in ("status=closed", "year=1", "sort=-status", "page=-2"):
        response = client.get(f"{base}&{junk}")
        assert response.status_code == 200, junk
        assert row_ids(response.text, "run") == row_ids(first, "run"), junk


def test_statements_filter_sort_and_csv(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued(client, engine, world, clock)
    uni = ids[world.contributor.organisation_id or 0]
    lab = ids[world.other_contributor.organisation_id or 0]
    with Session(engine) as s:
        run_id = s.exec(select(Statement.run_id).where(Statement.id == uni)).one()
    sign_in(client, "admin@example.org")

    def shown(query: str = "") -> list[int]:
        response = client.get(f"/admin/statements?{query}")
        assert response.status_code == 200, query
        return row_ids(response.text, "statement")

    assert sorted(shown()) == sorted([uni, lab])
    assert shown("mail=sent") == [uni]
    assert shown("mail=failed") == [lab]
    assert shown("mail=queued") == []
    assert shown("mail=none") == []
    assert shown("q=uni") == [uni]
    assert shown(f"run={run_id}&sort=contributor") == [lab, uni]  # Lab B, Uni A
    assert shown("sort=-contributor") == [uni, lab]
    assert shown("run=31337") == []
    assert sorted(shown("period=2025-04-01")) == sorted([uni, lab])
    assert shown("period=2025-01-01") == []
    assert shown(f"pool={world.pool_id}&mail=failed") == [lab]
    serial = client.get(f"/admin/statements/{uni}").text
    rows = csv_rows(client.get("/admin/statements?mail=sent&format=csv"))
    assert [int(r["statement"]) for r in rows] == [uni]
    assert rows[0]["mail"] == "sent"
    assert rows[0]["serial"] in serial
    assert rows[0]["currency"]
    assert "." in rows[0]["net_payable"]  # major units
    by_net = shown("sort=-net")
    assert sorted(by_net) == sorted([uni, lab])


@pytest.mark.parametrize("email", ["sme@example.org", "big@example.org", "uni@example.org",
                                   "lab@example.org"])  # fmt: skip
def test_no_other_role_lists_runs_or_statements(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, email: str
) -> None:
    ids = issued(client, engine, world, clock)
    sign_in(client, email)
    for url in (f"/admin/runs?pool={world.pool_id}&format=csv", "/admin/statements",
                f"/admin/statements?q=lab&format=csv&run={min(ids.values())}"):  # fmt: skip
        assert client.get(url, follow_redirects=False).status_code == 404, url


def test_in_chinese(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> None:
    issued(client, engine, world, clock)
    client.cookies.set("lang", "zh-CN")
    sign_in(client, "auditor@example.org")
    for url, english in (
        ("/admin/statements", ("Contributor or serial", "Net payable", "Sent", "Failed",
                               "No e-mail", "Download CSV", "Period")),
        (f"/admin/runs?pool={world.pool_id}", ("Period (YYYY", "Status", "Approved", "Year",
                                               "Download CSV", "Statements")),
    ):  # fmt: skip
        text = visible_text(client.get(url).text)
        for word in english:
            assert word not in text, (url, word)
