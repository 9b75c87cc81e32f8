"""An administrator imports the pool's bank statement in headless Chromium: the matched credit
settles its invoice, and a credit nobody could place is assigned from its suggestion; another
is dismissed. Then on a phone, in Chinese, the page still reads."""

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from pool.db import session_scope
from pool.services.billing import dues
from tests.pool.billing import kit
from tests.pool.billing.bank.test_import import camt053
from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import World


def test_an_administrator_imports_a_statement_and_resolves_an_unmatched_credit(
    page: Page, engine: Engine, world: World, tmp_path: Path
) -> None:
    with session_scope(engine) as s:
        for number, caller, cents in (
            ("INV-000001", world.licensee, 1000_00),
            ("INV-000002", world.other_licensee, 300_00),
        ):
            deal = kit.agreement(s, pool_id=world.pool_id, licensee_id=caller.organisation_id or 0)
            kit.invoice(
                s, agreement_id=deal, number=number, usage=(date(2025, 1, 1), date(2025, 4, 1)),
                issued_on=date(2025, 4, 1), parts=[(date(2025, 5, 1), cents)],
            )  # fmt: skip
        dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2025, 5, 2), now=kit.NOW)
    statement = tmp_path / "may-2025.xml"
    statement.write_bytes(
        camt053([
            ("B-1", "2025-05-12", 1000_00, "INV-000001 royalties Q1", "SME L"),
            ("B-2", "2025-05-13", 300_00, "", "Big M Group Holdings"),
            ("B-3", "2025-05-14", 4_56, "credit interest", "The Bank"),
        ])
    )  # fmt: skip
    login(page, world.admin)
    page.locator(".menu").get_by_role("link", name="Bank statements").click()
    expect(page).to_have_url(re.compile(r"/admin/bank$"))
    page.get_by_label("Statement file").set_input_files(str(statement))
    page.get_by_role("button", name="Import").click()
    summary = page.locator("#imported")
    expect(summary).to_contain_text("Statement MAY-2025 imported")
    expect(summary).to_contain_text("Recorded as payments1")
    expect(summary).to_contain_text("Waiting for you2")
    waiting = page.locator("section.bank-credit")
    expect(waiting).to_have_count(2)
    big = waiting.filter(has_text="Big M Group Holdings")
    expect(big).to_contain_text("owes exactly this on INV-000002")
    screenshot(page, "admin-bank")
    page.reload()  # a screenshot leaves empty style attributes an htmx swap would copy
    big.get_by_role("button", name="Assign to Big M").click()
    expect(waiting).to_have_count(1)
    interest = waiting.filter(has_text="credit interest")
    interest.get_by_label("Not a licensee's money: why").fill("interest paid by the bank")
    interest.get_by_role("button", name="Dismiss").click()
    expect(page.locator("main")).to_contain_text("No credit is waiting.")
    latest = page.locator("#decided ~ .table-wrap")
    expect(latest).to_contain_text("Big M")
    expect(latest).to_contain_text("administrator")
    expect(latest).to_contain_text("Dismissed: interest paid by the bank")
    expect(latest).to_contain_text("invoice number")

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("银行对账单")
    expect(page.locator("#decided ~ .table-wrap")).to_contain_text("发票号")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
    screenshot(page, "admin-bank-phone-zh")
