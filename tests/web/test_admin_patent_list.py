"""`/admin/patents` over real HTTP (issue 17): every pool's patents as a table, searched by
number, title or owner, narrowed by status (the onboarding queue: `waiting`), pool, owner and
standard section, sorted, paged with the filters kept, exported as CSV; and each patent's own
page with its evaluation, for administrators only (auditors read, others find nothing)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.organisation import Organisation
from pool.models.patent import Patent
from tests.web.conftest import World, post_form, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids
from tests.web.test_admin_pages import status_of, submitted_patent

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def patents(engine: Engine, world: World, count: int, **fields: object) -> list[int]:
    """`count` patents of the contributor (or `owner`), submitted a day apart."""
    ids = []
    with session_scope(engine) as s:
        owner = fields.pop("owner", world.contributor.organisation_id)
        for n in range(count):
            row = Patent(**{
                "pool_id": world.pool_id, "owner_organisation_id": owner,
                "number": f"CN {100000 + n} B", "number_key": f"CN{100000 + n}",
                "jurisdiction": "CN", "country": "CN", "title": f"Codec part {n:03}",
                "filing_date": date(2015, 1, 1), "grant_date": date(2017, 1, 1),
                "expiry_date": date(2035, 1, 1) + timedelta(days=n),
                "standard_sections": ["7.3"] if n % 2 else ["8.1", "9"],
                "status": "submitted" if n % 3 else "accepted",
                "submitted_at": NOW - timedelta(days=count - n), "updated_at": NOW,
                **fields,
            })  # fmt: skip
            s.add(row)
            s.flush()
            ids.append(row.id or 0)
    return ids


def test_search_filters_sort_and_csv(client: TestClient, engine: Engine, world: World) -> None:
    mine = patents(engine, world, 6)
    with session_scope(engine) as s:
        other = Organisation(name="研究所_100%", kind="university", country="CN", created_at=NOW)
        s.add(other)
        s.flush()
        other_id = other.id or 0
    theirs = patents(
        engine, world, 1, owner=other_id, title="Entropy 编码", number="CN 7 A", number_key="CN7"
    )
    sign_in(client, "admin@example.org")
    everything = row_ids(client.get("/admin/patents").text, "patent")
    assert everything == [*mine, *theirs]  # oldest submission first, ties by id
    assert row_ids(client.get("/admin/patents?q=ENTROPY").text, "patent") == theirs
    assert row_ids(client.get("/admin/patents?q=编码").text, "patent") == theirs
    assert row_ids(client.get("/admin/patents?q=_100%25").text, "patent") == theirs  # owner
    assert row_ids(client.get("/admin/patents?q=100003").text, "patent") == [mine[3]]
    assert row_ids(client.get(f"/admin/patents?owner={other_id}").text, "patent") == theirs
    waiting = row_ids(client.get("/admin/patents?status=waiting").text, "patent")
    assert waiting == [mine[1], mine[2], mine[4], mine[5]]
    accepted = row_ids(client.get("/admin/patents?status=accepted").text, "patent")
    assert accepted == [mine[0], mine[3], *theirs]
    assert row_ids(client.get("/admin/patents?section=7.3").text, "patent") == mine[1::2]
    assert row_ids(client.get("/admin/patents?section=7").text, "patent") == []  # whole ones
    assert row_ids(client.get("/admin/patents?section=9&status=submitted").text, "patent") == [
        mine[2], mine[4]]  # fmt: skip
    assert row_ids(client.get(f"/admin/patents?pool={world.pool_id}").text, "patent")
    assert row_ids(client.get("/admin/patents?pool=424242").text, "patent") == []
    by_expiry = row_ids(client.get("/admin/patents?sort=-expiry&q=codec").text, "patent")
    assert by_expiry == list(reversed(mine))
    by_number = row_ids(client.get("/admin/patents?sort=number").text, "patent")
    assert by_number[0] == mine[0]
    for junk in (
        "sort=-nope",
        "status=lost",
        "owner=-1",
        "pool=abc",
        "page=0",
        "section=" + "x" * 300,
    ):
        response = client.get(f"/admin/patents?{junk}")
        assert response.status_code == 200, junk
        assert row_ids(response.text, "patent") == everything, junk
    rows = csv_rows(client.get("/admin/patents?status=waiting&section=7.3&format=csv"))
    assert [int(r["patent"]) for r in rows] == [mine[1], mine[5]]
    assert rows[0]["standard_sections"] == "7.3"
    assert rows[0]["owner"] == "Uni A"
    assert list(rows[0])[:4] == ["patent", "number", "country", "title"]
    assert csv_rows(client.get("/admin/patents?q=nothing-like-this&format=csv")) == []


def test_the_pager_keeps_the_filters(client: TestClient, engine: Engine, world: World) -> None:
    mine = patents(engine, world, 160)
    sign_in(client, "admin@example.org")
    first = client.get("/admin/patents?status=submitted&q=codec&sort=-submitted")
    page_one = row_ids(first.text, "patent")
    assert len(page_one) == 50
    (next_link,) = set(links(first.text, "Next page"))
    for kept in ("status=submitted", "q=codec", "sort=-submitted", "page=2"):
        assert kept in next_link
    (last_link,) = set(links(first.text, "Last page"))
    assert "page=3" in last_link
    shown = list(page_one)
    for url in (next_link, last_link):
        shown += row_ids(client.get(url).text, "patent")
    submitted = [pid for n, pid in enumerate(mine) if n % 3]
    assert shown == list(reversed(submitted))
    (download,) = set(links(first.text, "Download CSV"))
    assert [int(r["patent"]) for r in csv_rows(client.get(download))] == shown


def test_the_patent_page_holds_the_evaluation(
    client: TestClient, engine: Engine, world: World
) -> None:
    patent_id = submitted_patent(client, world)
    sign_in(client, "admin@example.org")
    shown = client.get(f"/admin/patents/{patent_id}").text
    assert "Adaptive partitioning" in shown
    assert f'action="/admin/patents/{patent_id}/reject"' in shown
    refused = post_form(
        client, f"/admin/patents/{patent_id}/reject", {"reason": ""},
        page=f"/admin/patents/{patent_id}",
    )  # fmt: skip
    assert refused.status_code == 422
    assert "Adaptive partitioning" in refused.text  # the patent's page again
    rejected = post_form(
        client, f"/admin/patents/{patent_id}/reject", {"reason": "not essential"},
        page=f"/admin/patents/{patent_id}",
    )  # fmt: skip
    assert rejected.status_code == 303
    assert status_of(engine, patent_id) == ("rejected", None)
    after = client.get(f"/admin/patents/{patent_id}").text
    assert 'action="/admin/patents/' not in after  # decided: no form any more


@pytest.mark.parametrize("email", ["sme@example.org", "big@example.org", "uni@example.org",
                                   "lab@example.org"])  # fmt: skip
def test_other_roles_find_no_patent_page(
    client: TestClient, engine: Engine, world: World, email: str
) -> None:
    patent_id = submitted_patent(client, world)  # the contributor uni@ owns it
    sign_in(client, email)
    for url in (f"/admin/patents/{patent_id}", "/admin/patents?status=waiting",
                "/admin/patents?format=csv"):  # fmt: skip
        assert client.get(url, follow_redirects=False).status_code == 404, url


def test_auditors_read_the_patent_page_and_visitors_sign_in(
    client: TestClient, engine: Engine, world: World
) -> None:
    patent_id = submitted_patent(client, world)
    url = f"/admin/patents/{patent_id}"
    visitor = client.get(url, follow_redirects=False)
    assert visitor.status_code == 303
    assert visitor.headers["location"] == f"/login?next={url}"
    sign_in(client, "auditor@example.org")
    shown = client.get(url)
    assert shown.status_code == 200
    assert "Adaptive partitioning" in shown.text
    assert 'method="post" action="/admin' not in shown.text
    assert len(csv_rows(client.get("/admin/patents?format=csv"))) == 1
    assert client.get("/admin/patents/999999").status_code == 404
    assert client.get("/admin/patents/99999999999").status_code == 404
