"""The statement's per-patent appendix: HTML (partial `_statement_patents.html.j2`), CSV (one
row per patent line, its part outside `amount_minor`) and PDF, in English and Chinese; and
statements without patent lines (issued before them) render no appendix."""

from dataclasses import replace

import pytest

from pool.services.statements import documents as docs
from pool.services.statements.view import PatentLine, StatementView
from tests.pool.test_statement_documents import (
    ADJUSTMENTS,
    AMOUNT_MINOR,
    LINES,
    Q1,
    Q4,
    csv_rows,
    html_text,
    make_view,
    pdf_text,
)

PATENT = docs.CSV_COLUMNS.index("patent_amount_minor")
NUMBER = docs.CSV_COLUMNS.index("patent_number")

# CN line 1,234,567 over three patents weighted 270 : 90 : 90 (A: 3 points x 90 days; B:
# 2 points x 45 days, expired mid-quarter; C: 1 point x 90 days): 740,740.2, 246,913.4,
# 246,913.4 -> the leftover cent to the lower id of the two equal remainders. US line
# 33,333 over one patent. The CN adjustment of -1,000 over one patent (45 days in force).
PATENTS = (
    PatentLine(*Q1, "CN", False, "CN1001A", "视频编码方法", "A", 90, "270", 740_740),
    PatentLine(*Q1, "CN", False, "CN1002B", "Decoder buffer", "B", 45, "90", 246_914),
    PatentLine(*Q1, "CN", False, "CN1003C", "Entropy coding", "C", 90, "90", 246_913),
    PatentLine(*Q1, "US", False, "US9000001B2", "Codec", "A", 90, "270", 33_333),
    PatentLine(*Q4, "CN", True, "CN1002B", "Decoder buffer", "B", 45, "90", -1_000),
)


def with_patents(language: str = "zh") -> StatementView:
    return replace(make_view(language=language), patents=PATENTS)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_appendix_lists_each_patent_with_its_facts(language: str) -> None:
    html = html_text(with_patents(language))
    t = docs.labels(language)
    assert t["patents_heading"] in html
    for number in ("CN1001A", "CN1002B", "US9000001B2"):
        assert number in html
    assert "视频编码方法" in html
    for amount in ("7,407.40", "2,469.14", "2,469.13", "-10.00"):
        assert amount in html
    assert t["patent_adjustment"] in html
    assert html.index(t["patents_heading"]) > html.index(t["memo_heading"])
    assert html.index(t["patents_heading"]) < html.index(t["repro_heading"])


def test_a_statement_without_patent_lines_has_no_appendix() -> None:
    view = make_view(language="en")
    assert docs.labels("en")["patents_heading"] not in html_text(view)
    rows = csv_rows(docs.render_csv(view))
    assert all(row[PATENT] == "" for row in rows[1:])


def test_csv_has_one_row_per_patent_line_and_amounts_still_sum_to_net() -> None:
    view = with_patents("en")
    header, *rows = csv_rows(docs.render_csv(view))
    assert header[PATENT] == docs.labels("en")["col_patent_amount_minor"]
    patents = [row for row in rows if row[NUMBER]]
    assert [(r[NUMBER], int(r[PATENT]), r[AMOUNT_MINOR]) for r in patents] == [
        (p.patent_number, p.amount_minor, "") for p in PATENTS
    ]
    assert patents[0][:4] == ["Patent part", "2025-01-01", "2025-03-31", "CN"]
    assert patents[-1][0] == "Patent part, adjustment"
    assert sum(int(r[AMOUNT_MINOR]) for r in rows if r[AMOUNT_MINOR]) == view.net_payable_minor
    assert sum(int(r[PATENT]) for r in patents if r[3] == "CN" and r[1] == "2025-01-01") == (
        LINES[0].amount_minor
    )
    assert sum(int(r[PATENT]) for r in patents if r[1] == "2024-10-01") == (
        ADJUSTMENTS[0].amount_minor
    )


def test_patent_lines_that_do_not_sum_to_their_line_are_refused() -> None:
    bad = replace(with_patents(), patents=(*PATENTS[:2], PATENTS[3]))
    with pytest.raises(ValueError, match="patent lines of CN 2025-01-01 do not sum"):
        docs.render_html(bad)


def test_pdf_shows_the_appendix_in_chinese() -> None:
    html = docs.render_html(with_patents("zh"))
    text = pdf_text(docs.render_pdf(html))
    for shown in ("附表", "CN1003C", "视频编码方法"):
        assert shown in text
    assert docs.render_pdf(html) == docs.render_pdf(html)
