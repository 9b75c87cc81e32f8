"""Two small things a licensee saw: an open licence offered again to an organisation that
already holds the pool's licence (by an agreement the administrator made), and times that
read "UTC UTC" (the `local_datetime` filter says UTC; no template says it again)."""

import re
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.licensing.helpers import active, add_terms, ok, publish
from tests.web.conftest import World, sign_in
from tests.web.test_licensee_pages import active_deal, submitted_report, text_of

TEMPLATES = Path(__file__).parents[2] / "templates"


def test_an_open_licence_is_not_offered_to_a_licensee_of_the_pool(
    client: TestClient, browser: TestClient, world: World
) -> None:
    terms = add_terms(client, world)
    ok(publish(client, world, terms["id"]))
    active(client, world, terms["id"])  # SME L's agreement, made by the administrator
    sign_in(client, "sme@example.org")
    mine = client.get("/licensee/agreements").text
    assert "Accept this open licence" not in mine
    assert "Open licence on terms 2025-1" not in mine
    assert "Open licences of pools whose licence your organisation already holds" in mine
    sign_in(browser, "big@example.org")  # no licence: the offer is there to accept
    theirs = browser.get("/licensee/agreements").text
    assert "Accept this open licence" in theirs
    assert "already holds are not shown" not in theirs


def test_times_read_utc_once(client: TestClient, engine: Engine, world: World) -> None:
    deal = active_deal(engine, world)
    sign_in(client, "sme@example.org")
    report_id, _ = submitted_report(client, deal)
    page = text_of(client.get(f"/licensee/reports/{report_id}").text)
    assert re.search(r"Submitted at \w{3} \d+, \d{4}, [\d:]+ [AP]M UTC\b", page), page
    assert "UTC UTC" not in page
    for template in TEMPLATES.rglob("*.j2"):  # the filter says UTC: never a template again
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"local_datetime[^}]*\}\}\s*\(?UTC", text), template
