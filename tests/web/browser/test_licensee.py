"""A licensee's main journey in headless Chromium: sign in, upload a usage report as CSV with
errors, see each bad line and column next to the data (nothing saved), upload the corrected
file, and see the report and the invoice with its due date and how to pay it."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import World
from tests.web.test_licensee_pages import HEADER, active_deal


def csv_file(text: str) -> dict[str, str | bytes]:
    return {"name": "q1-2025.csv", "mimeType": "text/csv", "buffer": text.encode()}


def test_a_licensee_fixes_a_csv_report_and_sees_the_invoice(
    page: Page, engine: Engine, world: World
) -> None:
    mine = active_deal(engine, world)
    product = mine.products["mobile"]
    login(page, world.licensee)

    page.locator(".menu").get_by_role("link", name="Usage reports").click()
    expect(page).to_have_url(re.compile(r"/licensee/reports$"))
    expect(page.get_by_role("button", name="send a nil report")).to_have_count(2)
    page.get_by_role("link", name="Report usage").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report usage")
    expect(page.locator("#f-period_start-upload")).to_have_value("2025-01-01")  # Q1 has ended

    page.evaluate("window.stillTheSamePage = true")  # gone if the browser loads a new page
    bad = f"{HEADER}{product},CN,US,1000,4500000\n{product},CN,XX,abc,100\n"
    page.set_input_files("#f-file", files=[csv_file(bad)])  # type: ignore[list-item]
    page.get_by_role("button", name="Upload and check").click()
    errors = page.locator("#csv-errors")
    expect(errors).to_contain_text("2 problems found in the file.")
    expect(errors).to_contain_text("Nothing was saved.")
    line = page.locator("tbody.bad-line").filter(has_text="XX")
    expect(line.locator("th")).to_have_text("3")
    expect(line.locator("td.cell-bad")).to_have_text(["XX", "abc"])
    expect(line).to_contain_text("units: 'abc' is not a whole number")
    assert page.evaluate("window.stillTheSamePage") is True  # htmx swapped it in place
    expect(page).to_have_url(re.compile(r"/reports/new$"))  # a reload shows the form again
    screenshot(page, "licensee-csv-errors")

    fixed = f"{HEADER}{product},CN,US,1000,4500000\n{product},CN,DE,20,100\n"
    page.set_input_files("#f-file", files=[csv_file(fixed)])  # type: ignore[list-item]
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_url(re.compile(r"/licensee/reports/\d+\?done=submitted$"))
    expect(page.get_by_role("status")).to_contain_text("Your report was accepted")
    expect(page.locator("#invoice")).to_have_text("Invoice INV-000001")

    page.get_by_role("link", name="See the invoice and how to pay it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoice INV-000001")
    expect(page.locator("main")).to_contain_text("$510.00")  # 1,020 units at $0.50
    expect(page.locator("main")).to_contain_text("May 1, 2025")  # 30 days after 31 March
    expect(page.locator("#pay")).to_have_text("How to pay")
    expect(page.locator("main code").first).to_have_text("INV-000001")
    screenshot(page, "licensee-home")  # where the journey ends: the invoice and how to pay it
