"""The administrator in a real browser: evaluate a submitted patent, close a period, approve
its run and see the statements; the language switch; nothing of theirs for other roles; a
form without its CSRF token is refused. Screenshots go to docs/screenshots/admin-*.png."""

import re

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import World
from tests.web.test_admin_pages import money_to_distribute, submitted_patent

pytestmark = pytest.mark.browser
ADMIN_URLS = ("/admin", "/admin/patents", "/admin/runs", "/admin/statements", "/admin/audit")


def menu(page: Page, name: str) -> Locator:
    return page.locator("header nav").get_by_role("link", name=name, exact=True)


def test_the_administrator_evaluates_a_patent_and_distributes_a_period(
    page: Page, client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)
    submitted_patent(client, world)
    login(page, world.admin)

    menu(page, "Patent evaluation").click()
    page.get_by_role("link", name="Waiting for a decision").first.click()
    page.locator("tr", has_text="Adaptive partitioning").get_by_role("link").first.click()
    page.get_by_label("Grade").select_option("A")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("The patent was accepted")
    expect(page.locator("tr", has_text="Adaptive partitioning")).to_have_count(0)

    menu(page, "Distributions and statements").click()
    page.get_by_label("First day of the period").fill("2025-04-01")
    with page.expect_response(re.compile(r"/tasks/\d+$")) as progress_page:
        page.get_by_role("button", name="Close the period").click()  # a background task
    assert progress_page.value.status == 200
    assert "Closing a period" in progress_page.value.text()
    page.wait_for_url(re.compile(r"/admin/runs/\d+$"))  # the task's page leads to the run
    expect(page.locator("#by-contributor .split-bar")).to_have_count(2)
    expect(page.locator("#by-country .split-bar")).to_have_count(2)
    expect(page.locator("figure", has_text="By contributor")).to_contain_text("Uni A")
    screenshot(page, "admin-run-preview")
    page.get_by_role("button", name="Approve this distribution…").click()
    expect(page.locator("h1")).to_contain_text("Approve the distribution")
    expect(page.locator(".consequences")).to_contain_text("cannot be undone")
    page.get_by_role("button", name="Approve and post to the ledger").click()
    expect(page.locator(".run-status-approved")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("approved and posted")
    page.get_by_role("button", name="Issue the statements now").click()
    page.wait_for_url(re.compile(r"/admin/statements\?pool=\d+$"))
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody")).to_contain_text("$405.07")

    menu(page, "Pool dashboard").click()
    expect(page.locator("h1")).to_contain_text("Pool dashboard")
    expect(page.locator(".kpis")).to_contain_text("$1,000.00")
    screenshot(page, "admin-dashboard")


def test_the_language_switch_shows_the_admin_pages_in_chinese(
    page: Page, client: TestClient, world: World
) -> None:
    patent_id = submitted_patent(client, world)
    login(page, world.admin)
    page.goto(f"/admin/patents/{patent_id}")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="接受")).to_be_visible()
    expect(page.get_by_role("button", name="接受")).to_be_visible()
    expect(menu(page, "专利池概览")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Accept")).to_be_visible()


def test_other_roles_get_no_link_and_no_page_of_the_administrator(page: Page, world: World) -> None:
    for url in ADMIN_URLS:  # signed out: to the sign-in page, and back after it
        page.goto(url)
        expect(page).to_have_url(re.compile(r"/login\?next="))
    for caller in (world.licensee, world.contributor):
        login(page, caller)
        expect(page.locator('a[href^="/admin"]')).to_have_count(0)
        for url in (*ADMIN_URLS, "/admin/runs/1"):
            response = page.goto(url)
            assert response is not None
            assert response.status == 404, url
            expect(page.locator("h1")).to_have_text("Page not found")
        page.context.clear_cookies()


def test_a_form_post_without_its_csrf_token_is_refused(page: Page, world: World) -> None:
    login(page, world.admin)
    page.goto("/admin/runs")
    forged = page.request.post(
        "/admin/runs",
        form={"pool_id": str(world.pool_id), "period_start": "2025-01-01"},
        max_redirects=0,
    )
    assert forged.status == 403
    assert "This form has expired" in forged.text()
    page.locator('form[action="/admin/runs"] input[name=_csrf_token]').evaluate(
        "input => { input.value = 'forged'; }"
    )
    page.get_by_label("First day of the period").fill("2025-01-01")
    page.get_by_role("button", name="Close the period").click()
    expect(page.locator("h1")).to_have_text("This form has expired")


def test_the_dashboard_fits_a_phone(phone_page: Page, world: World) -> None:
    login(phone_page, world.admin)
    phone_page.goto("/admin")
    expect(phone_page.locator("h1")).to_contain_text("Pool dashboard")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "admin-dashboard-phone")
