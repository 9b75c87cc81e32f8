"""A payment from both sides in headless Chromium: the licensee records the transfer it made
on its invoice and sees it waiting for the pool; an administrator, in a second browser,
confirms it on the payments page as the bank shows it; the licensee's invoice is then paid."""

import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from pool.db import session_scope
from tests.pool.billing import kit
from tests.web.browser.conftest import LiveServer, _open, login, screenshot
from tests.web.conftest import World


@pytest.fixture
def admin_page(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A second person's browser (its own cookies) on the same live server."""
    context, opened, guard = _open(chromium, live_server, phone=False)
    yield opened
    context.close()
    guard.check()


def test_a_recorded_payment_is_confirmed_by_the_administrator(
    page: Page, admin_page: Page, engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        kit.invoice(
            s,
            agreement_id=deal,
            number="INV-000007",
            usage=(date(2025, 1, 1), date(2025, 4, 1)),
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 1250_00)],
        )
    login(page, world.licensee)
    page.locator(".menu").get_by_role("link", name="Invoices and payments").click()
    page.get_by_role("table").get_by_role("link", name="INV-000007").click()
    expect(page.get_by_role("heading", name="Record a payment")).to_be_visible()
    expect(page.locator("#f-reference")).to_have_value("INV-000007")
    expect(page.locator("#f-amount")).to_have_value("1250.00")
    expect(page.locator("#f-paid_on")).to_have_value("2025-06-02")
    page.fill("#f-amount", "1,250.001")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator("#e-amount")).to_have_text("this currency has fewer decimals")
    page.fill("#f-amount", "1,250.00")
    page.fill("#f-paid_on", "2025-05-30")
    page.fill("#f-note", "Wire from Bank of Example")
    page.get_by_role("button", name="Record the payment").click()
    notice = page.locator("tr.notice-pending")
    expect(notice).to_contain_text("Waiting for the pool to confirm")
    expect(notice).to_contain_text("$1,250.00")
    screenshot(page, "licensee-payment-recorded")

    login(admin_page, world.admin)
    admin_page.locator(".menu").get_by_role("link", name="Payments").click()
    expect(admin_page).to_have_url(re.compile(r"/admin/payments$"))
    card = admin_page.locator("section.payment-notice")
    expect(card).to_contain_text("SME L")
    expect(card).to_contain_text("Wire from Bank of Example")
    expect(card.get_by_label("Amount received (USD)")).to_have_value("1250.00")
    expect(card.get_by_label("Date received")).to_have_value("2025-05-30")
    screenshot(admin_page, "admin-payments")
    admin_page.reload()  # a screenshot leaves empty style attributes an htmx swap would copy
    card.get_by_label("Date received").fill("2025-06-02")
    card.get_by_role("button", name="Confirm: the money arrived").click()
    expect(admin_page.locator("main")).to_contain_text("No payment is waiting for confirmation.")
    expect(admin_page.locator("#received ~ .table-wrap")).to_contain_text("INV-000007: $1,250.00")

    page.reload()
    expect(page.locator("tr.notice-confirmed")).to_contain_text(
        "Confirmed: the pool has received it"
    )
    expect(page.locator("dl.facts").first).to_contain_text("Paid")
    expect(page.get_by_role("heading", name="Record a payment")).to_have_count(0)  # paid
