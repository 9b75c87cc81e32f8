"""A contributor reads a statement in the page in headless Chromium: from its statements to
one statement, whose stored HTML document is framed in the page (its own CSS allowed by hash:
the guard fails the test on any Content-Security-Policy violation), then on its own page; an
administrator opens another contributor's statement from the issued statements."""

import re

from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import World
from tests.web.test_contributor_pages import issued_statements


def test_a_contributor_reads_its_statement_in_the_page(
    page: Page, client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued_statements(client, engine, world, clock)  # Q2 and Q3 2025 statements
    login(page, world.contributor)
    serial = f"PP{world.pool_id:04d}-202507-{world.contributor.organisation_id:06d}"

    page.goto("/contributor/statements")
    page.get_by_role("link", name=serial, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Statement {serial}")
    document = page.frame_locator("iframe.statement-document")
    expect(document.get_by_role("heading", level=1)).to_be_visible()
    expect(document.locator("td.net-payable")).to_have_text(re.compile(r"\d"))
    expect(document.locator("tr.sum")).to_contain_text("=")  # the reconciliation line
    screenshot(page, "contributor-statement-read")

    page.get_by_role("link", name="Open the statement on its own page").click()
    expect(page).to_have_url(re.compile(r"/contributor/statements/\d+/read$"))
    expect(page.locator("dd.serial")).to_have_text(serial)
    expect(page.locator("h2").filter(has_text="Memo")).to_contain_text("pool-wide")


def test_an_administrator_opens_another_contributors_statement(
    page: Page, client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued_statements(client, engine, world, clock)
    login(page, world.admin)
    serial = f"PP{world.pool_id:04d}-202504-{world.other_contributor.organisation_id:06d}"

    page.goto(f"/admin/statements?pool={world.pool_id}")
    page.get_by_role("link", name=serial, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Statement {serial}")
    expect(page.locator("dl.facts")).to_contain_text("Lab B")
    document = page.frame_locator("iframe.statement-document")
    expect(document.locator("dd.serial")).to_have_text(serial)
    screenshot(page, "admin-statement")
