"""A contributor's own statement list narrows by period (and pool), keeps the filter in its
links and exports exactly its own statements as CSV in major units (issue 17); another
contributor's statements never appear, whatever the filters say."""

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.web.conftest import World, sign_in
from tests.web.lists_kit import csv_rows, links, row_ids, visible_text
from tests.web.test_admin_mail import issued


def test_period_filter_csv_and_only_its_own(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued(client, engine, world, clock)
    uni = ids[world.contributor.organisation_id or 0]
    lab = ids[world.other_contributor.organisation_id or 0]
    sign_in(client, "uni@example.org")
    url = "/contributor/statements"
    assert row_ids(client.get(url).text, "statement") == [uni]
    chosen = client.get(f"{url}?period=2025-04-01&pool={world.pool_id}")
    assert row_ids(chosen.text, "statement") == [uni]
    (download,) = set(links(chosen.text, "Download CSV"))
    assert "period=2025-04-01" in download
    rows = csv_rows(client.get(download))
    assert [int(r["statement"]) for r in rows] == [uni]
    assert "." in rows[0]["net_payable"]
    assert rows[0]["contributor"] == "Uni A"
    none = client.get(f"{url}?period=2025-01-01")
    assert row_ids(none.text, "statement") == []
    assert "No statement matches." in none.text
    for sneaky in ("?run=1&q=lab&format=csv", f"?pool={world.pool_id}&format=csv&sort=net"):
        assert [int(r["statement"]) for r in csv_rows(client.get(url + sneaky))] == [uni]
    assert client.get(f"{url}/{lab}").status_code == 404


def test_in_chinese(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> None:
    issued(client, engine, world, clock)
    client.cookies.set("lang", "zh-CN")
    sign_in(client, "lab@example.org")
    text = visible_text(client.get("/contributor/statements?period=2025-04-01").text)
    for english in ("Period", "Show", "Clear", "Download CSV", "match", "Any"):
        assert english not in text, english
