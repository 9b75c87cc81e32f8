"""`/admin/audit` over real HTTP (issue 17): each action in words in the reader's language,
what an event changed (before and after), the filters (action, actor, object, pool, days), a
pager that keeps them, and the CSV of every filtered event; staff only."""

from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.services import audit
from tests.web.conftest import World, post_form, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids
from tests.web.test_admin_pages import submitted_patent

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def renamed(engine: Engine, world: World, count: int, *, actor: str = "renamer") -> None:
    """`count` title changes of one patent by a system actor, a minute apart."""
    with session_scope(engine) as s:
        for n in range(count):
            audit.record(
                s, actor=audit.Actor.system(actor), action="patent.updated",
                entity_type="patent", entity_id=4242, pool_id=world.pool_id,
                before={"title": f"Title {n}", "grade": "A"},
                after={"title": f"Title {n + 1}", "grade": "A"},
                now=NOW + timedelta(minutes=n),
            )  # fmt: skip


def test_actions_read_as_words_with_what_changed(
    client: TestClient, engine: Engine, world: World
) -> None:
    patent_id = submitted_patent(client, world)
    sign_in(client, "admin@example.org")
    post_form(
        client, f"/admin/patents/{patent_id}/accept",
        {"grade": "B", "admitted_on": "2025-06-01"}, page=f"/admin/patents/{patent_id}",
    )  # fmt: skip
    shown = client.get(f"/admin/audit?entity_type=patent&entity_id={patent_id}").text
    assert 'title="patent.accepted">Patent accepted</a>' in shown
    assert 'title="patent.submitted">Patent submitted</a>' in shown
    accepted = shown.split('title="patent.accepted"', 1)[1].split("</tr>", 1)[0]
    assert "<code>status</code></dt><dd><del>under_evaluation</del> → <ins>accepted</ins>" in (
        accepted)  # fmt: skip
    assert "<code>grade</code></dt><dd><ins>B</ins>" in accepted
    client.cookies.set("lang", "zh_CN")
    chinese = client.get(f"/admin/audit?entity_type=patent&entity_id={patent_id}").text
    assert 'title="patent.accepted">专利已接受</a>' in chinese
    assert 'title="patent.submitted">专利已提交</a>' in chinese


def test_filters_pager_and_csv(client: TestClient, engine: Engine, world: World) -> None:
    renamed(engine, world, 70)
    renamed(engine, world, 3, actor="someone-else")
    sign_in(client, "admin@example.org")
    mine = "/admin/audit?actor=RENAMER&action=patent.updated&entity_type=patent&entity_id=4242"
    first = client.get(mine)
    assert "70 events" in first.text
    page_one = row_ids(first.text, "event")
    assert len(page_one) == 50
    (next_link,) = set(links(first.text, "Next page"))
    for kept in ("actor=RENAMER", "action=patent.updated", "entity_id=4242", "page=2"):
        assert kept in next_link
    page_two = row_ids(client.get(next_link).text, "event")
    assert len(page_two) == 20
    assert page_one + page_two == sorted(page_one + page_two, reverse=True)  # newest first
    oldest_first = row_ids(client.get(mine + "&sort=at").text, "event")
    assert oldest_first == sorted(page_one + page_two)[:50]
    assert "3 events" in client.get("/admin/audit?actor=someone").text
    in_a_window = "/admin/audit?action=patent.updated&from=2025-06-02&to=2025-06-03"
    assert "73 events" in client.get(in_a_window).text
    assert "0 events" in client.get("/admin/audit?action=patent.updated&to=2025-06-02").text
    assert "0 events" in client.get("/admin/audit?pool=999&action=patent.updated").text
    assert "73 events" in client.get(f"/admin/audit?pool={world.pool_id}&q=patent.upd").text

    (download,) = set(links(first.text, "Download CSV"))
    rows = csv_rows(client.get(download))
    assert [int(r["event"]) for r in rows] == page_one + page_two
    assert rows[0]["action"] == "Patent updated"
    assert rows[0]["action_code"] == "patent.updated"
    assert rows[0]["actor"] == "system:renamer"
    assert rows[-1]["before"] == '{"grade": "A", "title": "Title 0"}'
    assert rows[-1]["after"] == '{"grade": "A", "title": "Title 1"}'


@pytest.mark.parametrize("email", ["sme@example.org", "big@example.org", "uni@example.org",
                                   "lab@example.org"])  # fmt: skip
def test_only_staff_read_the_audit_trail(
    client: TestClient, engine: Engine, world: World, email: str
) -> None:
    renamed(engine, world, 1)
    sign_in(client, email)
    for url in ("/admin/audit", "/admin/audit?format=csv", "/admin/audit?entity_id=4242"):
        assert client.get(url, follow_redirects=False).status_code == 404, url


def test_auditors_read_and_export_it_and_visitors_sign_in(
    client: TestClient, engine: Engine, world: World
) -> None:
    renamed(engine, world, 2)
    visitor = client.get("/admin/audit?format=csv", follow_redirects=False)
    assert visitor.status_code == 303
    assert visitor.headers["location"].startswith("/login?next=")
    sign_in(client, "auditor@example.org")
    assert len(csv_rows(client.get("/admin/audit?entity_id=4242&format=csv"))) == 2
