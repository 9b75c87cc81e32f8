"""The administrator's new lists in a browser (issue 17): the licensees and the usage reports
fit a 1280 px screen as tables and a 390 px phone as cards (`table.stacked`: every cell on
the screen, no sideways scroll), and the filter form narrows the list in one step."""

from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from tests.web.browser.conftest import login, screenshot
from tests.web.browser.test_phone_tables import fits
from tests.web.conftest import World
from tests.web.test_admin_licensee_list import licensees
from tests.web.test_admin_report_list import reports


def test_the_licensee_list_narrows_on_a_desktop(
    page: Page, client: TestClient, engine: Engine, world: World
) -> None:
    licensees(engine, world)
    login(page, world.admin)
    page.goto("/admin/licensees")
    expect(page.locator("table.licensees tbody tr")).to_have_count(2)
    page.select_option("#f-standing", "overdue")
    page.click("form.list-filters button[type=submit]")
    expect(page.locator("table.licensees tbody tr")).to_have_count(1)
    expect(page.locator("table.licensees tbody tr")).to_contain_text("SME L")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "admin-licensees")


def test_licensees_are_cards_on_a_phone(
    phone_page: Page, client: TestClient, engine: Engine, world: World
) -> None:
    licensees(engine, world)
    login(phone_page, world.admin)
    phone_page.goto("/admin/licensees")
    for label in ("Licensee", "Standing", "Still owed"):
        fits(phone_page, label)
    screenshot(phone_page, "admin-licensees-phone")


def test_reports_are_cards_on_a_phone(
    phone_page: Page, client: TestClient, engine: Engine, world: World
) -> None:
    reports(engine, world)
    login(phone_page, world.admin)
    phone_page.goto("/admin/reports")
    for label in ("Licensee", "Status", "Royalty"):
        fits(phone_page, label)
    screenshot(phone_page, "admin-reports-phone")
