"""Invoices a finance department can pay, in headless Chromium: a Chinese licensee enters its
fapiao details on a phone (a mistyped credit code is refused next to the field, in Chinese),
opens its invoice document (the inline style its CSP allows by hash: no violation) and
downloads the PDF; an administrator sets the pool's payee."""

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from tests.pool.invoice_documents import kit
from tests.web.browser.conftest import LiveServer, login, screenshot
from tests.web.conftest import TestClient, World


def test_a_chinese_licensee_gives_its_fapiao_details_and_downloads_its_invoice(
    phone_page: Page, live_server: LiveServer, client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    kit.payee(client, world)
    kit.make_chinese(engine, world)
    page = phone_page
    page.context.add_cookies([{"name": "lang", "value": "zh-CN", "url": live_server.url}])
    login(page, world.licensee)
    page.goto("/organisation")
    expect(page.get_by_role("heading", name="开票信息")).to_be_visible()
    for field, value in kit.FAPIAO.items():
        page.fill(f"#f-{field}", value or "")
    page.fill("#f-uscc", kit.USCC[:17] + "4")
    page.get_by_role("button", name="保存开票信息").click()
    expect(page.locator("#e-uscc")).to_have_text("校验码与代码不符：有字符输入错误")
    screenshot(page, "licensee-fapiao-phone-zh")
    page.goto("/organisation")  # a screenshot leaves empty style attributes a swap would copy
    for field, value in kit.FAPIAO.items():
        page.fill(f"#f-{field}", value or "")
    page.get_by_role("button", name="保存开票信息").click()
    expect(page.get_by_role("status")).to_have_text("贵方的开票信息已保存。")

    page.goto(f"/licensee/invoices/{billed.invoice_id}/document")
    expect(page.locator(".pay .today")).to_have_text("US$355.58 USD")
    expect(page.locator(".pay")).to_contain_text("付款附言： INV-000001")
    expect(page.locator("body")).to_contain_text("厦门小型科技有限公司")
    screenshot(page, "invoice-document-phone-zh")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename == "INV-000001.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_an_administrator_sets_the_payee_the_invoices_print(
    page: Page, client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    login(page, world.admin)
    page.goto("/admin/payee")
    for field, value in kit.PAYEE.items():
        page.fill(f"#f-{field}", value or "")
    page.fill("#f-swift_bic", "BKCH CN")
    page.get_by_role("button", name="Save the payee details").click()
    expect(page.locator("#e-swift_bic")).to_contain_text("a SWIFT/BIC code is 8 or 11")
    page.fill("#f-swift_bic", "BKCHCNBJ110")
    page.get_by_role("button", name="Save the payee details").click()
    expect(page.get_by_role("status")).to_contain_text("The payee details are saved")
    expect(page.locator("main")).to_contain_text("3456 7890 1234 5678 901")
    screenshot(page, "admin-payee")
    document = client.get(
        f"/api/v1/invoices/{billed.invoice_id}/document", headers=world.licensee.headers
    )
    assert "BKCHCNBJ110" in document.text
