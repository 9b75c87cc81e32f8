"""At phone width (390 px) data tables are stacked cards: the licensee's invoice list shows
each invoice's due date and amount to pay, and the contributor's statement list each net
amount and download, all inside the screen's width; no page scrolls sideways."""

from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import World, sign_in
from tests.web.test_contributor_pages import issued_statements
from tests.web.test_licensee_pages import active_deal, submitted_report

WIDTH = 390


def fits(page: Page, label: str) -> None:
    """The page does not scroll sideways, and every cell of the column is on the screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"the page scrolls sideways on a phone ({width}px)"
    cells = page.locator(f'td[data-label="{label}"]')
    expect(cells.first).to_be_visible()
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0, (label, box)
        assert box["x"] + box["width"] <= WIDTH, (label, box)


def test_a_licensees_invoices_fit_a_phone(
    phone_page: Page, client: TestClient, engine: Engine, world: World
) -> None:
    deal = active_deal(engine, world)
    sign_in(client, "sme@example.org")
    submitted_report(client, deal)
    login(phone_page, world.licensee)
    phone_page.goto("/licensee/invoices")
    expect(phone_page.locator("h1")).to_have_text("Invoices and payments")
    for label in ("Invoice", "Due on", "To pay"):
        fits(phone_page, label)
    expect(phone_page.locator('td[data-label="Due on"]').first).to_contain_text("2025")
    screenshot(phone_page, "licensee-invoices-phone")


def test_a_contributors_statements_fit_a_phone(
    phone_page: Page, client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued_statements(client, engine, world, clock)
    login(phone_page, world.contributor)
    phone_page.goto("/contributor/statements")
    expect(phone_page.locator("h1")).to_have_text("Statements")
    for label in ("Net payable", "Download"):
        fits(phone_page, label)
    pdf = phone_page.locator('td[data-label="Download"] a', has_text="PDF").first
    box = pdf.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= WIDTH
    screenshot(phone_page, "contributor-statements-phone")
