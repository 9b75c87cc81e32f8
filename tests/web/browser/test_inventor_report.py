"""A contributor downloads its inventor remuneration report in headless Chromium: the inventors
recorded on its patents, two quarters of statements, then from its statements page the year's
report as CSV and as PDF; each inventor's share adds up to the patent's remuneration."""

import csv
import io
from decimal import Decimal

from litestar.testing import TestClient
from playwright.sync_api import Page
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import World
from tests.web.test_contributor_pages import issued_statements

INVENTORS = [
    {"name": "李伟", "staff_number": "T-0012", "share_percent": "50"},
    {"name": "Zhang Min", "share_percent": "30"},
    {"name": "Wang Fang", "share_percent": "20"},
]


def test_a_contributor_downloads_its_inventor_report(
    page: Page, client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued_statements(client, engine, world, clock)  # Q2 and Q3 2025 statements
    headers = world.contributor.headers
    mine = client.get(f"/api/v1/pools/{world.pool_id}/patents", headers=headers).json()["items"]
    for patent in mine:
        body = {"inventors": INVENTORS}
        done = client.put(f"/api/v1/patents/{patent['id']}/inventors", json=body, headers=headers)
        assert done.status_code == 200, done.text
    login(page, world.contributor)
    page.goto("/contributor/statements")
    page.fill("#f-year", "2025")
    screenshot(page, "contributor-inventor-report")
    with page.expect_download() as got:
        page.get_by_role("button", name="Download the CSV").click()
    assert got.value.suggested_filename.startswith("inventor-remuneration-2025-pool-")
    with open(got.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    total = rows.pop()
    assert total["patent"] == "TOTAL"
    assert Decimal(total["received"]) > 0
    by_patent: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_patent.setdefault(row["patent"], []).append(row)
    assert by_patent
    for patent_rows in by_patent.values():
        assert [r["inventor"] for r in patent_rows] == ["李伟", "Zhang Min", "Wang Fang"]
        paid = sum(Decimal(r["remuneration"]) for r in patent_rows)
        assert paid == Decimal(patent_rows[0]["patent_remuneration"])
    assert sum(Decimal(r[0]["patent_remuneration"]) for r in by_patent.values()) == Decimal(
        total["patent_remuneration"]
    )
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Download the PDF").click()
    with open(pdf.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
