"""The invoice document through `GET /api/v1/invoices/{id}/document`: what a finance
department pays from, in the licensee organisation's language, HTML and PDF.

The worked example (kit.py): SME L's late Q1 report, issued on 2 June 2025, charges 1,000
mobiles at $0.50 and 500 tablets at $0.80, $900.00 in two parts of $450.00 due 1 April and
1 July 2025; $100.00 arrived on 2 June. On 2 June the first part is 62 days late and $350.00
of it unpaid; late interest at 7.3 % a year (0.02 % a day) from its contractual due date:

    $100.00 x 0.0002 x 62 days (paid on 2 June) = $1.24
    $350.00 x 0.0002 x 62 days (still unpaid)   = $4.34
                                                   $5.58   -> to pay today $355.58
"""

import io
import re
from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.invoice_documents import kit

API = "/api/v1"


def document(client: TestClient, world: World, invoice_id: int, fmt: str = "html") -> str:
    response = client.get(
        f"{API}/invoices/{invoice_id}/document",
        params={"format": fmt},
        headers=world.licensee.headers,
    )
    assert response.status_code == 200, response.text
    return response.text


def text_of(html: str) -> str:
    """What a reader sees: the body's text, tags dropped and spaces collapsed."""
    body = html.split("<body>", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_the_english_document_says_what_to_pay_today_to_whom_and_under_which_reference(
    client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    kit.payee(client, world)
    response = client.get(
        f"{API}/invoices/{billed.invoice_id}/document", headers=world.licensee.headers
    )
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-disposition"] == 'inline; filename="INV-000001.html"'
    assert '<html lang="en">' in response.text
    shown = text_of(response.text)
    for expected in (
        "Invoice INV-000001 Test pool",
        "Issued on Jun 2, 2025 For Royalties Usage period Jan 1, 2025 – Mar 31, 2025",
        "Status Open, to be paid Currency USD",
        "Amount to pay today (Jun 2, 2025) $355.58 USD",
        "Due and unpaid $350.00 Late interest so far $5.58",
        "Payment reference: INV-000001",
        "Account holder Beijing Implementation Patent Pool Management Co., Ltd.",
        "Account number 3456 7890 1234 5678 901 SWIFT/BIC BKCHCNBJ110 CNAPS code 104100004013",
        "Billed to Licensee SME L",
        "Apr 1, 2025 $450.00 $100.00 $350.00 Overdue: 62 days late $5.58",
        "Jul 1, 2025 $450.00 $0.00 $450.00 Not yet due –",
        "Total $900.00 $100.00 $800.00 $5.58",
        "$5.58 so far, from Apr 1, 2025.",
        "1 mobile Made in CN, sold in US 1,000 $0.50 $500.00",  # the rate as money
        "2 tablet Made in CN, sold in DE 500 $0.80 $400.00",
        "1,000 units × $0.50 per unit; rounded to the nearest $0.01 (half to even): $500.00",
    ):
        assert expected in shown, expected
    assert "fapiao" not in shown  # an American licensee is asked for none
    assert "/licensee/invoices" not in response.text  # the portal's links are the portal's


def test_a_chinese_licensee_reads_it_in_chinese_with_its_fapiao_details(
    client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    kit.payee(client, world)
    kit.chinese(client, engine, world)
    html = document(client, world, billed.invoice_id)
    assert '<html lang="zh-CN">' in html
    shown = text_of(html)
    for expected in (
        "发票 INV-000001",
        "出具日期 2025年6月2日",
        "使用期间 2025年1月1日 – 2025年3月31日",
        "今日应付金额（2025年6月2日） US$355.58 USD",
        "已到期未付 US$350.00 迄今滞纳利息 US$5.58",
        "付款附言： INV-000001",
        "收款方 户名 Beijing Implementation Patent Pool Management Co., Ltd.",
        "CNAPS 行号 104100004013",
        "购买方名称（开票用） 厦门小型科技有限公司",
        f"统一社会信用代码 {kit.USCC}",
        "注册地址 厦门市思明区软件园二期望海路 10 号 电话 0592-555 0101",
        "开户银行 中国工商银行厦门分行 账号 4100 0212 3456 7890 123",
        "增值税发票将按以上信息另行开具。",
        "2025年4月1日 US$450.00 US$100.00 US$350.00 已逾期 62 天 US$5.58",
        "尚未到期",
        "截至目前为 US$5.58，自 2025年4月1日 起计。",
        "生产国 CN，销售国 US",
        "1,000 件 × 每件 US$0.50",  # how it was computed, in Chinese
    ):
        assert expected in shown, expected
    staff = client.get(f"{API}/invoices/{billed.invoice_id}/document", headers=world.admin.headers)
    assert text_of(staff.text) == shown  # the licensee's language, whoever reads it


def test_missing_payee_and_fapiao_details_are_said_and_where_they_come_from(
    client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    shown = text_of(document(client, world, billed.invoice_id))
    assert "The pool has not given its bank details yet: ask the pool administrator" in shown
    kit.chinese(client, engine, world)
    client.put(f"{API}/pools/{world.pool_id}/payee", json=kit.PAYEE, headers=world.admin.headers)
    with_fapiao = text_of(document(client, world, billed.invoice_id))
    assert "专利池尚未提供银行信息" not in with_fapiao
    from tests.pool.invoice_documents.test_payee_and_fapiao import delete_fapiao

    delete_fapiao(engine, world.licensee.organisation_id or 0)
    shown = text_of(document(client, world, billed.invoice_id))
    assert "贵方尚未填写开票信息：请在门户网站的机构页面（“机构”，/organisation）填写" in shown


def test_the_amount_to_pay_counts_what_is_due_by_the_day_and_no_part_not_yet_due(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    billed = kit.invoice(client, engine, world)
    clock.now = datetime(2025, 7, 1, 9, tzinfo=UTC)  # the second part falls due today
    shown = text_of(document(client, world, billed.invoice_id))
    # interest: $1.24 on the $100.00 paid on 2 June, $350.00 x 0.0002 x 91 days = $6.37
    assert "Amount to pay today (Jul 1, 2025) $807.61 USD" in shown
    assert "Due and unpaid $800.00 Late interest so far $7.61" in shown
    assert "Overdue: 91 days late $7.61" in shown
    assert "Jul 1, 2025 $450.00 $0.00 $450.00 Due today –" in shown


def test_without_late_interest_in_the_terms_there_is_none_and_no_word_of_it(
    client: TestClient, engine: Engine, world: World
) -> None:
    terms = {key: value for key, value in kit.PAYMENT.items() if key != "late_interest"}
    billed = kit.invoice(client, engine, world, payment=terms)
    shown = text_of(document(client, world, billed.invoice_id))
    assert "Amount to pay today (Jun 2, 2025) $350.00 USD" in shown
    assert "Overdue: 62 days late –" in shown
    assert "Late interest runs" not in shown


def test_a_written_off_invoice_asks_for_nothing(
    client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    off = client.post(
        f"{API}/invoices/{billed.invoice_id}/write-off",
        json={"on": "2025-06-02", "reason": "insolvent"},
        headers=world.admin.headers,
    )
    assert off.status_code == 200, off.text
    shown = text_of(document(client, world, billed.invoice_id))
    assert "Amount to pay today (Jun 2, 2025) $0.00 USD" in shown
    assert "This invoice was written off: there is nothing to pay on it." in shown
    assert "Payment reference" not in shown


def test_the_pdf_is_a_pdf_in_the_licensees_language_the_same_bytes_each_day(
    client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    kit.payee(client, world)
    kit.chinese(client, engine, world)
    url = f"{API}/invoices/{billed.invoice_id}/document?format=pdf"
    response = client.get(url, headers=world.licensee.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="INV-000001.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("今日应付金额", "INV-000001", "US$355.58", "厦门小型科技有限公司", "已逾期"):
        assert expected in text, expected
    assert client.get(url, headers=world.admin.headers).content == response.content


def test_a_format_the_document_does_not_have_is_refused_naming_it(
    client: TestClient, engine: Engine, world: World
) -> None:
    billed = kit.invoice(client, engine, world)
    response = client.get(
        f"{API}/invoices/{billed.invoice_id}/document",
        params={"format": "docx"},
        headers=world.licensee.headers,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["format"]


def test_without_a_cjk_font_a_chinese_pdf_is_refused_never_boxes(
    client: TestClient, engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`PATENTPOOL_CJK_FONT` names a family no machine has: the Chinese PDF is a 503 problem
    before anything streams; the HTML, and an English PDF, are still there."""
    billed = kit.invoice(client, engine, world)
    kit.payee(client, world)
    url = f"{API}/invoices/{billed.invoice_id}/document?format=pdf"
    monkeypatch.setenv("PATENTPOOL_CJK_FONT", "No Such Font 17")
    assert client.get(url, headers=world.licensee.headers).content.startswith(b"%PDF-")
    kit.chinese(client, engine, world)
    refused = client.get(url, headers=world.licensee.headers)
    assert refused.status_code == 503, refused.text
    assert refused.json()["type"].endswith("no-cjk-font")
    assert "No Such Font 17" in refused.json()["detail"]
    html = f"{API}/invoices/{billed.invoice_id}/document"
    assert client.get(html, headers=world.licensee.headers).status_code == 200
