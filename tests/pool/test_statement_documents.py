"""Contributor statements rendered for real: HTML (Jinja), CSV (csv module), PDF (WeasyPrint,
read back with pypdf). No database: the documents are pure functions of a prepared view."""

import codecs
import csv
import hashlib
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from allocation.currency import minor_unit_exponent
from pool.services.statements import documents as docs
from pool.services.statements.view import (
    AdjustmentLine,
    CountryBasis,
    MemoLine,
    MoneyLine,
    StatementView,
)

NAME = "北京理工大学"
Q1 = (date(2025, 1, 1), date(2025, 4, 1))
Q4 = (date(2024, 10, 1), date(2025, 1, 1))
AMOUNT_MINOR = docs.CSV_COLUMNS.index("amount_minor")
AMOUNT = docs.CSV_COLUMNS.index("amount")
ROW_TYPE = docs.CSV_COLUMNS.index("row_type")

LINES = (
    MoneyLine(*Q1, country="CN", pool_received_minor=10_000_000, amount_minor=1_234_567),
    MoneyLine(*Q1, country="US", pool_received_minor=500_000, amount_minor=33_333),
)
ADJUSTMENTS = (AdjustmentLine(*Q4, "CN", *Q4, amount_minor=-1_000),)
MEMO = (
    MemoLine(
        *Q1,
        invoiced_minor=20_000_000,
        received_minor=10_500_000,
        outstanding_minor=4_000_000,
        deferred_minor=5_500_000,
    ),
)


def make_view(
    *,
    language: str = "zh",
    name: str = NAME,
    currency: str = "CNY",
    lines: Sequence[MoneyLine] = LINES,
    adjustments: Sequence[AdjustmentLine] = ADJUSTMENTS,
    memo: Sequence[MemoLine] = MEMO,
    withholding_minor: int = 126_690,
) -> StatementView:
    """A statement whose totals are the sums of its lines, as the statement service makes."""
    gross = sum(line.amount_minor for line in lines)
    adjusted = sum(line.amount_minor for line in adjustments)
    return StatementView(
        language=language,
        serial="PP-2025Q2-0007",
        issued_on=date(2025, 7, 2),
        currency=currency,
        pool_name="示例专利池",
        pool_standard="GB/T 12345",
        contributor_name=name,
        contributor_id=7,
        period_start=date(2025, 4, 1),
        period_end=date(2025, 7, 1),
        basis=(CountryBasis("CN", 12, 340), CountryBasis("US", 3, 120)),
        lines=tuple(lines),
        adjustments=tuple(adjustments),
        memo=tuple(memo),
        pool_received_minor=10_500_000,
        pool_admin_fee_minor=1_050_000,
        pool_distributable_minor=9_450_000,
        admin_fee_rate="0.10",
        gross_minor=gross,
        adjustments_minor=adjusted,
        withholding_rate="0.10",
        withholding_minor=withholding_minor,
        net_payable_minor=gross + adjusted - withholding_minor,
        run_id=42,
        formula_version="patent_count/1",
        input_sha256="3f" * 32,
    )


ZERO = make_view(language="en", lines=(), adjustments=(), memo=(), withholding_minor=0)


def html_text(view: StatementView) -> str:
    return docs.render_html(view).decode("utf-8")


def csv_rows(data: bytes) -> list[list[str]]:
    """The column names and the detail rows: without the header block (up to the first empty
    row) and the total rows (tests/pool/test_statement_explaining.py reads those)."""
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    table = rows[rows.index([]) + 1 :]
    return [table[0], *(row for row in table[1:] if not row[ROW_TYPE].startswith("total_"))]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# ---------------------------------------------------------------- HTML


def test_html_shows_the_contributor_and_the_net_payable_in_chinese() -> None:
    html = html_text(make_view())

    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    assert NAME in html
    assert 'net-payable">11,402.10</td>' in html  # 12,345.67 + 333.33 - 10.00 - 1,266.90
    assert "应付净额" in html
    assert "专利许可费分配结算单" in html
    assert "Net payable" not in html


def test_html_shows_every_part_of_the_statement_in_english() -> None:
    html = html_text(make_view(language="en"))
    text = re.sub(r"<[^>]+>", " ", html)

    for shown in [
        "Royalty statement",
        "PP-2025Q2-0007",  # serial
        "2025-07-02",  # issue date
        "示例专利池 (GB/T 12345)",
        "Statement period",
        "2025-04-01 – 2025-06-30",  # [2025-04-01, 2025-07-01) by its last day
        "CNY",
        "Your patents",
        "340",
        "2025-01-01 – 2025-03-31",
        "100,000.00",  # the pool's distributable money of the CN bucket
        "12,345.67",  # the contributor's part of it
        "2024-10-01 – 2024-12-31",  # the adjustment's usage and original period
        "-10.00",
        "12,679.00",  # gross
        "Withholding tax (10%)",
        "-1,266.90",
        "11,402.10",
        "Administrator fee (10%)",
        "105,000.00",
        "10,500.00",
        "94,500.00",
        "Deferred, not yet due",
        "55,000.00",
        "40,000.00",
        "Calculation run",
        "patent_count/1",
        "3f" * 32,
        "Licensee-level detail is confidential",
    ]:
        assert shown in text, shown
    assert "应付净额" not in html


def test_every_label_exists_in_both_languages() -> None:
    english, chinese = docs.labels("en"), docs.labels("zh")

    assert english.keys() == chinese.keys()
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert all(cjk.search(label) for label in chinese.values())
    assert not any(cjk.search(label) for label in english.values())
    with pytest.raises(ValueError, match="language"):
        docs.labels("fr")


def test_html_escapes_a_name_with_markup() -> None:
    html = html_text(make_view(name="<script>alert(1)</script> & Co"))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


def test_html_is_self_contained() -> None:
    html = html_text(make_view())

    assert "<style>" in html
    assert not re.search(r"https?:|url\(|<link|<script|src=", html)


def test_a_statement_with_no_lines_renders() -> None:
    html = html_text(ZERO)
    rows = csv_rows(docs.render_csv(ZERO))

    assert 'net-payable">0.00</td>' in html
    assert html.count("None.") == 3  # money received, adjustments, memo
    assert [row[0] for row in rows[1:]] == ["Withholding tax"]
    assert rows[1][AMOUNT_MINOR] == "0"
    assert "Net payable" in pdf_text(docs.render_pdf(docs.render_html(ZERO)))


def test_totals_that_are_not_the_sums_of_the_lines_are_refused() -> None:
    wrong = replace(make_view(), gross_minor=1)

    with pytest.raises(ValueError, match="gross_minor is not the sum of lines"):
        docs.render_html(wrong)
    with pytest.raises(ValueError, match="net_payable_minor"):
        docs.render_csv(replace(make_view(), net_payable_minor=0))


# ---------------------------------------------------------------- CSV


def test_csv_detail_lines_sum_to_the_net_payable() -> None:
    view = make_view()
    data = docs.render_csv(view)
    header, *rows = csv_rows(data)

    assert b"\r\n" in data
    assert header == [docs.labels("zh")[f"col_{column}"] for column in docs.CSV_COLUMNS]
    assert [row[0] for row in rows] == ["本期收款", "本期收款", "调整", "代扣税款"]
    assert [row[AMOUNT_MINOR] for row in rows] == ["1234567", "33333", "-1000", "-126690"]
    assert [row[AMOUNT] for row in rows] == ["12345.67", "333.33", "-10.00", "-1266.90"]
    assert sum(int(row[AMOUNT_MINOR]) for row in rows) == view.net_payable_minor
    assert rows[0][1:4] == ["2025-01-01", "2025-03-31", "CN"]
    assert rows[2][4:6] == ["2024-10-01", "2024-12-31"]  # the period that first paid it
    assert rows[3][docs.CSV_COLUMNS.index("rate")] == "10%"
    assert "20000000" not in data.decode("utf-8-sig")  # memo: invoiced, not payable


def test_csv_header_in_english() -> None:
    header = csv_rows(docs.render_csv(make_view(language="en")))[0]

    assert header[AMOUNT_MINOR] == "Amount (minor units)"
    assert header[0] == "Section"


COUNTRIES = st.sampled_from(["CN", "US", "DE", "JP", "KR", "IN"])
MONEY = st.integers(min_value=-(10**13), max_value=10**13)
MONEY_LINES = st.builds(
    MoneyLine,
    usage_start=st.just(Q1[0]),
    usage_end=st.just(Q1[1]),
    country=COUNTRIES,
    pool_received_minor=MONEY,
    amount_minor=MONEY,
)
ADJUSTMENT_LINES = st.builds(
    AdjustmentLine,
    usage_start=st.just(Q4[0]),
    usage_end=st.just(Q4[1]),
    country=COUNTRIES,
    original_period_start=st.just(Q4[0]),
    original_period_end=st.just(Q4[1]),
    amount_minor=MONEY,
)
MEMO_LINES = st.builds(
    MemoLine,
    usage_start=st.just(Q1[0]),
    usage_end=st.just(Q1[1]),
    invoiced_minor=MONEY,
    received_minor=MONEY,
    outstanding_minor=MONEY,
    deferred_minor=MONEY,
)


@settings(max_examples=40, deadline=None)
@given(
    currency=st.sampled_from(["CNY", "JPY", "BHD", "USD"]),
    lines=st.lists(MONEY_LINES, max_size=12),
    adjustments=st.lists(ADJUSTMENT_LINES, max_size=6),
    memo=st.lists(MEMO_LINES, max_size=3),
    withholding_minor=st.integers(min_value=0, max_value=10**12),
    language=st.sampled_from(["zh", "en"]),
)
def test_csv_amounts_always_sum_to_the_net_payable(
    currency: str,
    lines: list[MoneyLine],
    adjustments: list[AdjustmentLine],
    memo: list[MemoLine],
    withholding_minor: int,
    language: str,
) -> None:
    view = make_view(
        language=language,
        currency=currency,
        lines=lines,
        adjustments=adjustments,
        memo=memo,
        withholding_minor=withholding_minor,
    )
    rows = csv_rows(docs.render_csv(view))[1:]

    assert len(rows) == len(lines) + len(adjustments) + 1  # memo lines are not money
    assert sum(int(row[AMOUNT_MINOR]) for row in rows) == view.net_payable_minor
    exponent = minor_unit_exponent(currency)
    for row in rows:
        assert Decimal(row[AMOUNT]).scaleb(exponent) == int(row[AMOUNT_MINOR])
    assert docs.render_html(view) == docs.render_html(view)


# ---------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def chinese_pdf() -> tuple[bytes, bytes, float]:
    """The Chinese statement's HTML, its PDF, and when the PDF was made (monotonic)."""
    html = docs.render_html(make_view())
    return html, docs.render_pdf(html), time.monotonic()


def test_pdf_shows_the_chinese_name_and_the_net_payable(
    chinese_pdf: tuple[bytes, bytes, float],
) -> None:
    _, pdf, _ = chinese_pdf
    text = pdf_text(pdf)
    reader = PdfReader(io.BytesIO(pdf))

    assert pdf.startswith(b"%PDF-")
    assert NAME in text
    assert "应付净额" in text
    assert "11,402.10" in text
    assert reader.metadata is not None
    assert reader.metadata["/Title"] == "专利许可费分配结算单 PP-2025Q2-0007"
    assert reader.metadata["/CreationDate"] == "D:20250702"  # the issue date, not the clock


def test_rendering_twice_gives_the_same_bytes(chinese_pdf: tuple[bytes, bytes, float]) -> None:
    html, pdf, made_at = chinese_pdf
    view = make_view()
    time.sleep(max(0.0, 1.1 - (time.monotonic() - made_at)))  # the clock has moved on

    assert docs.render_html(view) == html
    assert docs.render_csv(view) == docs.render_csv(view)
    assert docs.render_pdf(html) == pdf


def test_another_process_renders_the_same_pdf(
    chinese_pdf: tuple[bytes, bytes, float], tmp_path: Path
) -> None:
    html, pdf, _ = chinese_pdf
    source = tmp_path / "statement.html"
    source.write_bytes(html)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = "12345"  # other set and dict orders inside WeasyPrint
    script = (
        "import hashlib, pathlib, sys\n"
        "from pool.services.statements.documents import render_pdf\n"
        "print(hashlib.sha256(render_pdf(pathlib.Path(sys.argv[1]).read_bytes())).hexdigest())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(source)], env=env, capture_output=True, check=True
    )

    assert done.stdout.decode().strip() == hashlib.sha256(pdf).hexdigest()


@pytest.mark.parametrize(
    "reference",
    [
        '<img src="http://example.invalid/logo.png">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<p style="background: url(data:image/png;base64,AAAA)">x</p>',
    ],
)
def test_pdf_fetches_nothing(reference: str) -> None:
    html = f"<!DOCTYPE html><html><head></head><body>{reference}<p>x</p></body></html>"

    with pytest.raises(ValueError, match="external resource"):
        docs.render_pdf(html.encode())
