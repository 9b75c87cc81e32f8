"""What makes a statement explain itself (pure: no database): each adjustment's reason and
its words in both languages, the pool's distributable amount reconciled, the memo labelled
pool-wide, the CSV's header block and total rows, and the PDF keeping each table's totals
with the table on a statement long enough to break across pages."""

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from pool.models.distribution import RunLine
from pool.rendering import money
from pool.services.statements import documents as docs
from pool.services.statements import reasons
from pool.services.statements.view import AdjustmentLine, MoneyLine, StatementView
from tests.pool.test_statement_documents import Q1, Q4, make_view

LINES = (
    MoneyLine(*Q1, country="CN", pool_received_minor=10_000_000, amount_minor=1_234_567),
    MoneyLine(*Q1, country="US", pool_received_minor=500_000, amount_minor=0),  # no US patent
)
ADJUSTMENTS = (
    AdjustmentLine(*Q4, "CN", *Q4, 80_000, reasons.LATE_PAYMENT, 900_000),
    AdjustmentLine(*Q4, "DE", *Q4, 1, reasons.ROUNDING_CARRY, 0),
    AdjustmentLine(*Q4, "US", *Q4, -2_000, reasons.CLAWBACK, -50_000),
    AdjustmentLine(*Q4, "JP", *Q4, 3_000, reasons.REPORT_CORRECTION, 40_000),
)


def explained(language: str = "en", **changes: object) -> StatementView:
    view = make_view(language=language, lines=LINES, adjustments=ADJUSTMENTS)
    # the pool: 105,000.00 for Q1 (first time, the lines' pool column) less 10,500.00 of
    # adjustments is the 94,500.00 distributable
    pool = {"pool_first_time_minor": 10_500_000, "pool_adjustments_minor": -1_050_000}
    return replace(view, **(pool | changes))  # type: ignore[arg-type]


def test_each_adjustment_says_why_in_english_and_chinese() -> None:
    english = docs.render_html(explained("en")).decode()
    chinese = docs.render_html(explained("zh")).decode()

    for words in (
        "Late payment for an earlier usage period",
        "Rounding carry (±0.01)",
        "Clawback (money given back)",
        "Report correction",
        "moved one cent (0.01) to or from you; no money was received for it",
    ):
        assert words in english, words
    for words in ("以前使用期间的迟付款项", "尾差结转（±0.01）", "追回（款项退回）", "报告更正"):
        assert words in chinese, words
    assert '<tr class="adjustment rounding_carry">' in english
    assert english.count('class="note reason-note"') == 4


def test_the_pool_distributable_is_reconciled_and_the_memo_is_pool_wide() -> None:
    html = docs.render_html(explained("en")).decode()

    assert '<td colspan="2">Total</td><td class="num">105,000.00</td>' in html  # section 2
    assert "of which: usage periods distributed for the first time (section 2" in html
    assert "adjustments to earlier usage periods, pool-wide" in html
    assert 'Reconciliation: 105,000.00 − 10,500.00 =</td><td class="num">94,500.00' in html
    assert "6. Memo, pool-wide (all licensees)" in html
    assert "全池合计" in docs.render_html(explained("zh")).decode()


def test_a_reconciliation_that_does_not_add_up_is_refused() -> None:
    with pytest.raises(ValueError, match="do not add up to the distributable"):
        docs.render_html(explained(pool_adjustments_minor=0))
    with pytest.raises(ValueError, match="pool column"):
        docs.render_csv(explained(pool_first_time_minor=1, pool_adjustments_minor=9_449_999))
    with pytest.raises(ValueError, match="unknown adjustment reason"):
        docs.render_html(
            explained(adjustments=(replace(ADJUSTMENTS[0], reason="whim"),),
                      adjustments_minor=80_000, net_payable_minor=1_234_567 + 80_000 - 126_690)
        )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_csv_has_a_header_block_and_total_rows(language: str) -> None:
    view = explained(language)
    rows = list(csv.reader(io.StringIO(docs.render_csv(view).decode("utf-8-sig"), newline="")))
    t = docs.labels(language)

    gap = rows.index([])
    assert gap == 8
    assert rows[:gap] == [
        [t["serial"], view.serial],
        [t["contributor"], view.contributor_name],
        [t["contributor_id"], "7"],
        [t["pool"], view.pool_name],
        [t["period_first_day"], "2025-04-01"],
        [t["period_last_day"], "2025-06-30"],
        [t["currency"], "CNY"],
        [t["issued_on"], "2025-07-02"],
    ]
    header, *table = rows[gap + 1 :]
    assert header == [t[f"col_{column}"] for column in docs.CSV_COLUMNS]
    kind, amount = docs.CSV_COLUMNS.index("row_type"), docs.CSV_COLUMNS.index("amount_minor")
    pool, reason = docs.CSV_COLUMNS.index("pool_received_minor"), docs.CSV_COLUMNS.index("reason")
    assert [row[kind] for row in table] == [
        "line", "line", "total_gross",
        "adjustment", "adjustment", "adjustment", "adjustment", "total_adjustments",
        "withholding", "total_net",
    ]  # fmt: skip
    by_kind = {row[kind]: row for row in table}
    assert by_kind["total_gross"][amount] == str(view.gross_minor)
    assert by_kind["total_gross"][pool] == "10500000"
    assert by_kind["total_adjustments"][amount] == str(view.adjustments_minor)
    assert by_kind["total_net"][amount] == str(view.net_payable_minor)
    assert by_kind["total_net"][0] == t["total_net"]
    detail = [int(row[amount]) for row in table if not row[kind].startswith("total_")]
    assert sum(detail) == view.net_payable_minor
    assert [row[reason] for row in table if row[kind] == "adjustment"] == [
        "late_payment", "rounding_carry", "clawback", "report_correction",
    ]  # fmt: skip
    assert [row[pool] for row in table if row[kind] == "adjustment"][:2] == ["900000", "0"]


def line(amount: int, cumulative: int, bucket: int) -> RunLine:
    return RunLine(
        run_id=1, contributor_organisation_id=7, usage_start=Q4[0], usage_end=Q4[1],
        country="DE", bucket_distributable_cumulative_minor=bucket,
        cumulative_minor=cumulative, amount_minor=amount,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("amount", "cumulative", "bucket", "change", "corrected", "reason"),
    [
        (1, 4_248_695, 131_422_053, 0, False, reasons.ROUNDING_CARRY),  # the pool's DE moved 0
        (-1, 500, 1_000, 3, False, reasons.ROUNDING_CARRY),  # the other way than the pool
        (1, 500, 1_000, 1, False, reasons.ROUNDING_CARRY),  # exact share 0.5 of a unit
        (1, 500, 1_000, 2, False, reasons.LATE_PAYMENT),  # exact share: one unit
        (1, 500, 1_000, 1, True, reasons.ROUNDING_CARRY),  # rounding, whatever moved
        (40, 500, 1_000, 80, True, reasons.REPORT_CORRECTION),
        (-40, 500, 1_000, -80, True, reasons.REPORT_CORRECTION),
        (-40, 500, 1_000, -80, False, reasons.CLAWBACK),
        (40, 500, 1_000, 80, False, reasons.LATE_PAYMENT),
    ],
)
def test_the_reason_of_an_adjustment(
    amount: int, cumulative: int, bucket: int, change: int, corrected: bool, reason: str
) -> None:
    periods = {Q4} if corrected else set()
    assert reasons.reason_for(line(amount, cumulative, bucket), change, periods) == reason


def long_view() -> StatementView:
    """Enough lines for three pages: every table's last rows and its total must share one."""
    many = tuple(
        MoneyLine(date(2020 + i // 4, 1 + 3 * (i % 4), 1), date(2020 + i // 4, 1 + 3 * (i % 4), 28),
                  country, 1_000_000 + i, 1_000 + i)
        for i in range(14) for country in ("CN", "DE", "FR", "JP", "KR", "US")
    )  # fmt: skip
    view = make_view(language="zh", lines=many, adjustments=ADJUSTMENTS)
    first = sum(m.pool_received_minor for m in many)
    return replace(
        view, pool_first_time_minor=first,
        pool_adjustments_minor=view.pool_distributable_minor - first,
    )  # fmt: skip


def test_the_pdf_keeps_each_table_with_its_total() -> None:
    view = long_view()
    pdf = docs.render_pdf(docs.render_html(view))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]

    assert len(pages) >= 2
    gross = money(view.gross_minor, view.currency)
    gross_total = next(i for i, text in enumerate(pages) if "合计" in text and gross in text)
    assert "2023-04-01" in pages[gross_total]  # the last money line is on the total's page
    totals = next(i for i, text in enumerate(pages) if "四、合计" in text)
    assert "应付净额" in pages[totals]  # section 4 whole on one page
    pool = next(i for i, text in enumerate(pages) if "五、专利池本期汇总" in text)
    assert "勾稽关系" in pages[pool]
