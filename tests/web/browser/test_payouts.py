"""An administrator pays the contributors in headless Chromium: after a run is approved,
makes a payout batch (Lab B held: no bank details), downloads its pain.001 file (valid
against the official XSD), marks it sent and records the payment paid; the contributor's
statement page then shows when and with which bank reference it was paid."""

import xmlschema
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.payouts import kit
from tests.web.browser.conftest import LiveServer, login, screenshot
from tests.web.conftest import World


def test_an_administrator_makes_downloads_and_settles_a_payout_batch(
    page: Page, live_server: LiveServer, client: TestClient, engine: Engine, world: World,
    clock: FakeClock,
) -> None:  # fmt: skip
    books = kit.approved(client, engine, world, clock)
    login(page, world.admin)
    page.locator(".menu").get_by_role("link", name="Payouts").click()
    expect(page.get_by_role("table", name="Held: no bank details")).to_contain_text("Lab B")
    page.fill("#f-execution_date", "2025-11-03")
    page.get_by_role("button", name="Make the payout batch").click()
    expect(page.get_by_role("status")).to_contain_text("The payout batch is made")
    with page.expect_download() as started:
        page.get_by_role("link", name="Download the pain.001 file").click()
    path = started.value.path()
    xmlschema.XMLSchema(kit.xsd_path()).validate(str(path))
    screenshot(page, "admin-payout-batch")
    page.fill("#f-sent_on", "2025-11-01")
    page.get_by_label("went to the bank").check()
    page.get_by_role("button", name="Mark the batch sent").click()
    expect(page.get_by_role("status")).to_contain_text("marked sent")
    row = page.locator("tbody tr", has_text="Uni A")
    row.locator("input[name=paid_on]").fill("2025-11-01")
    row.locator("input[name=bank_reference]").fill("ICBC-20251101-7")
    row.get_by_role("button", name="Paid").click()
    expect(page.get_by_role("status")).to_contain_text("recorded as paid")
    expect(page.locator("tbody tr", has_text="Uni A")).to_contain_text("ICBC-20251101-7")
    screenshot(page, "admin-payout-batch-settled")
    page.context.clear_cookies()
    login(page, world.contributor)
    page.goto(f"/contributor/statements/{books['statements'][world.contributor.organisation_id]}")
    payout = page.locator("#statement-payout")
    expect(payout).to_contain_text("ICBC-20251101-7")
    screenshot(page, "contributor-statement-payout")
