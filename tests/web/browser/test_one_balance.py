"""A licensee reads its money in headless Chromium (issue 15): an invoice with a part overdue
and partly paid and a part not yet due; the invoices page, the invoice, its document (and the
PDF it downloads) and the account show one balance, the same amount to pay today and the same
states, and whom to pay; in English, and in Chinese on a phone."""

from datetime import date

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from pool.db import session_scope
from tests.pool.billing import kit
from tests.pool.invoice_documents import kit as documents
from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import TestClient, World


def bill(engine: Engine, world: World) -> None:
    """Q1: 1,000.00 due 1 May 2025 (400.00 paid on 20 May) and 500.00 due 1 October 2025;
    the clock reads 2 June 2025: 600.00 is 32 days late, 500.00 is not yet due."""
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        kit.invoice(
            s,
            agreement_id=deal,
            number="INV-000009",
            usage=(date(2025, 1, 1), date(2025, 4, 1)),
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 5, 1), 1000_00), (date(2025, 10, 1), 500_00)],
        )
        kit.pay(s, world, reference="BANK-9", amount_minor=400_00, on=date(2025, 5, 20))


def balance_of(page: Page) -> str:
    return page.locator("[data-balance]").first.get_attribute("data-balance") or ""


def test_a_licensee_sees_one_balance_on_every_page(
    page: Page, phone_page: Page, client: TestClient, engine: Engine, world: World
) -> None:
    bill(engine, world)
    documents.payee(client, world)
    login(page, world.licensee)
    page.locator(".menu").get_by_role("link", name="Invoices and payments").click()
    listing = page.locator("main")
    expect(listing).to_contain_text("Overdue:")
    expect(listing).to_contain_text("$600.00 was due on May 1, 2025 (32 days late)")
    row = page.get_by_role("row").filter(has_text="INV-000009")
    expect(row).to_contain_text("$1,100.00")  # still owed: 600.00 late and 500.00 later
    expect(row).to_contain_text("Overdue (32 days late)")
    owed = balance_of(page)
    assert owed == "110000"
    to_pay = page.locator(f"#position-{world.pool_id}").locator("strong").inner_text()
    screenshot(page, "licensee-invoices")

    row.get_by_role("link", name="INV-000009").click()
    expect(page.locator("main")).to_contain_text("To pay today (late interest included)")
    expect(page.locator("main strong").first).to_have_text(to_pay)
    states = page.locator("#due ~ .table-wrap tbody tr")
    expect(states.nth(0)).to_contain_text("Overdue (32 days late)")
    expect(states.nth(0)).to_contain_text("$400.00")  # paid of the first part
    expect(states.nth(1)).to_contain_text("Not yet due")
    how = page.locator("#pay ~ dl")
    expect(how).to_contain_text("Beijing Implementation Patent Pool Management Co., Ltd.")
    expect(how).to_contain_text("BKCHCNBJ110")
    screenshot(page, "licensee-invoice")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == "INV-000009.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.get_by_role("link", name="Open it to print").click()
    expect(page.locator(".pay .today")).to_contain_text(to_pay)
    page.go_back()

    page.goto("/licensee/account")
    expect(page.locator("main")).to_contain_text("of which overdue $600.00")
    assert balance_of(page) == owed
    expect(page.locator("main dl strong")).to_have_text(to_pay)

    login(phone_page, world.licensee)
    phone_page.get_by_role("button", name="中文").click()
    phone_page.goto("/licensee/invoices")
    expect(phone_page.locator("main")).to_contain_text("逾期")
    assert balance_of(phone_page) == owed
    phone_page.get_by_role("link", name="INV-000009").first.click()
    expect(phone_page.locator("main")).to_contain_text("今日应付（含滞纳利息）")
    expect(phone_page.locator("#due ~ .table-wrap tbody tr").nth(1)).to_contain_text("尚未到期")
    screenshot(phone_page, "licensee-invoice-phone-zh")
