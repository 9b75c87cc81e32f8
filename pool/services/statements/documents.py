"""A contributor's royalty statement as documents: HTML (also the source of the PDF), CSV (the
detail lines) and PDF. Pure functions of a prepared `StatementView`: no database, no clock,
no network, so the same view gives the same bytes (DESIGN.md section 3, determinism).

Decisions:

- Every label is in the statement's language (`en` or `zh`), from the one table below; the
  HTML and the CSV share it.
- Dates are ISO. Periods are half-open `[start, end)` in the data; documents print the first
  and the last day covered (so the CSV's `usage_end` and `original_period_end` are inclusive
  last days, like the printed statement).
- CSV: UTF-8 with a byte-order mark, because Excel (notably on Chinese Windows) reads a CSV
  without one in the local ANSI code page and garbles Chinese; Python reads it with
  `encoding="utf-8-sig"`. Rows end with CRLF (RFC 4180). First a header block (eight
  `label,value` rows: serial, contributor, its number, pool, period first and last day,
  currency, issue date) and an empty row; then the column names (`CSV_COLUMNS`, fixed order)
  in the statement's language. Rows, each with its `row_type`: one per money line, a
  `total_gross`, one per adjustment (with its `reason` code), a `total_adjustments`, one
  withholding row (negative), a `total_net`; the detail rows' `amount_minor` sum exactly to
  the net payable. A last row carries the audit trail's head in its first column (`Audit
  trail: event #N, head <hash>`) and no amount (docs/distribution.md, The CSV layout). Memo
  lines (invoiced, not received) are not money payable and are left out of the CSV; the HTML
  and PDF show them.
- The audit trail's head (when the view has one) is also the HTML's last paragraph and its
  `keywords` meta tag, which WeasyPrint copies into the PDF's metadata.
- PDF: the same HTML gives the same bytes. The document dates are the issue date (from
  `dcterms.*` meta tags in the HTML, so WeasyPrint reads no clock), the file identifier is
  derived from the HTML, and `SOURCE_DATE_EPOCH` is pinned (see `_pin_font_timestamps`). A
  URL fetcher refuses every URL, so a statement neither leaks a request nor depends on one.
  One face of one font family (no bold, no monospace): each face is another font subset to
  embed, and subsetting a CJK font is most of a PDF's rendering time.
"""

import csv
import io
from decimal import Decimal

from allocation.currency import minor_unit_exponent
from pool import rendering
from pool.rendering import last_day, percent
from pool.services.statements import patent_rows
from pool.services.statements.explaining import (
    EXPLAINING_LABELS,
    adjustment_reasons,
    csv_header_block,
    explained_faults,
)
from pool.services.statements.pdf_render import render_pdf
from pool.services.statements.view import AdjustmentLine, MoneyLine, StatementView

TEMPLATE = "statement.html.j2"
LANGUAGES = ("en", "zh")
HTML_LANG = {"en": "en", "zh": "zh-CN"}
CSV_COLUMNS = (
    "section",
    "usage_start",
    "usage_end",
    "country",
    "original_period_start",
    "original_period_end",
    "pool_received_minor",
    "rate",
    "amount_minor",
    "amount",
    "currency",
    *patent_rows.PATENT_COLUMNS,
    "reason",
    "row_type",  # last: a program reads the kind of each row from it
)

# key: (English, Chinese)
_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Royalty statement", "专利许可费分配结算单"),
    "pool": ("Patent pool", "专利池"),
    "contributor": ("Contributor", "专利权人"),
    "contributor_id": ("Contributor no.", "专利权人编号"),
    "period": ("Statement period", "结算期间"),
    "currency": ("Currency", "币种"),
    "serial": ("Statement no.", "结算单编号"),
    "issued_on": ("Issue date", "出具日期"),
    "to": ("to", "至"),
    "none": ("None.", "无。"),
    "total": ("Total", "合计"),
    "basis_heading": (
        "1. Basis: patents in force at the end of the period",
        "一、分配依据：期末有效专利",
    ),
    "country": ("Country", "国家/地区"),
    "your_patents": ("Your patents", "贵方专利数"),
    "pool_patents": ("Pool patents", "专利池专利数"),
    "lines_heading": ("2. Money received in the period", "二、本期收到的许可费"),
    "usage_period": ("Usage period", "使用期间"),
    "pool_received": ("Pool, distributable", "专利池可分配金额"),
    "your_part": ("Your part", "贵方应得"),
    "adjustments_heading": ("3. Adjustments to earlier periods", "三、对以前期间的调整"),
    "original_period": ("First paid in period", "原结算期间"),
    "amount": ("Amount", "金额"),
    "totals_heading": ("4. Totals", "四、合计"),
    "gross": ("Gross (money received in the period)", "本期应得（本期收款）"),
    "adjustments": ("Adjustments to earlier periods", "对以前期间的调整"),
    "withholding": ("Withholding tax", "代扣税款"),
    "net": ("Net payable", "应付净额"),
    "pool_heading": ("5. Pool totals for the period", "五、专利池本期汇总"),
    "pool_received_total": ("Money received by the pool", "专利池收到的许可费"),
    "admin_fee": ("Administrator fee", "管理费"),
    "distributable": ("Distributable", "可分配金额"),
    "memo_heading": (
        "6. Memo, pool-wide (all licensees): invoiced but not yet received (not part of the "
        "payable)",
        "六、备忘（全池合计，全部被许可人）：已开票尚未收到的款项（不计入应付金额）",
    ),
    "invoiced": ("Invoiced", "已开票"),
    "received": ("Received", "已收到"),
    "outstanding": ("Due, unpaid", "已到期未付"),
    "deferred": ("Deferred, not yet due", "延期支付，尚未到期"),
    "repro_heading": ("Reproducibility", "可复核信息"),
    "run_id": ("Calculation run", "计算批次"),
    "formula_version": ("Formula version", "分配公式版本"),
    "input_sha256": ("Input SHA-256", "输入数据 SHA-256"),
    "repro_note": (
        "Anyone holding this run's inputs can recompute every figure above and check the "
        "inputs against this hash.",
        "持有本批次输入数据的任何人均可重新计算上述全部金额，并以此哈希值核对输入数据。",
    ),
    "confidential": (
        "Licensee-level detail is confidential to the pool administrator: this statement "
        "shows pool-wide aggregates per usage period and country only.",
        "被许可人层面的明细由专利池管理人保密：本结算单仅列示按使用期间和国家/地区汇总的数据。",
    ),
    "audit_note": (
        "The pool's audit trail when this statement was issued (its newest event and hash): "
        "keep it, so that the record of changes can be checked against it later.",
        "本结算单出具时专利池审计链的最新事件及其哈希值：请妥善保存，以便日后据此核对变更记录。",
    ),
    "section_line": ("Received", "本期收款"),
    "section_adjustment": ("Adjustment", "调整"),
    "section_withholding": ("Withholding tax", "代扣税款"),
    "col_section": ("Section", "项目"),
    "col_usage_start": ("Usage from", "使用期起"),
    "col_usage_end": ("Usage to", "使用期止"),
    "col_country": ("Country", "国家/地区"),
    "col_original_period_start": ("Original period from", "原结算期起"),
    "col_original_period_end": ("Original period to", "原结算期止"),
    "col_pool_received_minor": ("Pool distributable (minor units)", "专利池可分配（最小货币单位）"),
    "col_rate": ("Rate", "税率"),
    "col_amount_minor": ("Amount (minor units)", "金额（最小货币单位）"),
    "col_amount": ("Amount", "金额"),
    "col_currency": ("Currency", "币种"),
}


def labels(language: str) -> dict[str, str]:
    """Every label of a statement in `language` (`en` or `zh`)."""
    if language not in LANGUAGES:
        raise ValueError(f"statement language must be one of {LANGUAGES}, not {language!r}")
    index = LANGUAGES.index(language)
    return {
        key: texts[index]
        for key, texts in (_LABELS | EXPLAINING_LABELS | patent_rows.PATENT_LABELS).items()
    }


def check_totals(view: StatementView) -> None:
    """The view's totals are the sums its documents show; refuse a view where they are not."""
    faults = []
    if view.gross_minor != sum(line.amount_minor for line in view.lines):
        faults.append("gross_minor is not the sum of lines")
    if view.adjustments_minor != sum(line.amount_minor for line in view.adjustments):
        faults.append("adjustments_minor is not the sum of adjustments")
    if view.net_payable_minor != view.gross_minor + view.adjustments_minor - view.withholding_minor:
        faults.append("net_payable_minor is not gross + adjustments - withholding")
    faults += patent_rows.patent_faults(view)
    if faults := faults + explained_faults(view):
        raise ValueError(f"statement {view.serial}: " + "; ".join(faults))


def render_html(view: StatementView) -> bytes:
    """The statement as one standalone HTML5 document (UTF-8, inline CSS, A4 print layout)."""
    check_totals(view)
    html = rendering.render(
        TEMPLATE,
        view=view,
        t=labels(view.language),
        html_lang=HTML_LANG[view.language],
        withholding_signed_minor=-view.withholding_minor,
        adjustment_reasons=adjustment_reasons(view),
    )
    return html.encode("utf-8")


def render_csv(view: StatementView) -> bytes:
    """The header block and the detail lines as CSV (UTF-8 with BOM, CRLF); the detail rows'
    `amount_minor` sum to the net payable, and total rows say so (module docstring)."""
    check_totals(view)
    t = labels(view.language)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerows([*csv_header_block(view, t), []])
    writer.writerow([t[f"col_{column}"] for column in CSV_COLUMNS])
    for line in view.lines:
        writer.writerow(
            _row(
                section=t["section_line"],
                **_usage(line),
                pool_received_minor=line.pool_received_minor,
                **_amount(line.amount_minor, view.currency),
                row_type="line",
            )
        )
    writer.writerow(_total(t, "gross", view.gross_minor, view.currency, view.pool_first_time_minor))
    for adj in view.adjustments:
        writer.writerow(
            _row(
                section=t["section_adjustment"],
                **_usage(adj),
                original_period_start=adj.original_period_start.isoformat(),
                original_period_end=last_day(adj.original_period_end),
                pool_received_minor="" if adj.pool_change_minor is None else adj.pool_change_minor,
                **_amount(adj.amount_minor, view.currency),
                reason=adj.reason,
                row_type="adjustment",
            )
        )
    writer.writerow(_total(t, "adjustments", view.adjustments_minor, view.currency))
    writer.writerow(
        _row(
            section=t["section_withholding"],
            rate=percent(view.withholding_rate),
            **_amount(-view.withholding_minor, view.currency),
            row_type="withholding",
        )
    )
    patent_rows.write_patent_rows(writer, view, t, _row)
    writer.writerow(_total(t, "net", view.net_payable_minor, view.currency))
    if view.audit_line:  # not money: no amount
        writer.writerow(_row(section=view.audit_line, row_type="audit"))
    return out.getvalue().encode("utf-8-sig")


def _row(**fields: object) -> list[object]:
    """One CSV row in `CSV_COLUMNS` order; a column not given is empty."""
    if unknown := fields.keys() - set(CSV_COLUMNS):
        raise KeyError(f"not a statement CSV column: {sorted(unknown)}")
    return [fields.get(column, "") for column in CSV_COLUMNS]


def _total(
    t: dict[str, str], name: str, amount_minor: int, currency: str, pool: int | None = None
) -> list[object]:
    """A total row (`row_type` `total_<name>`): the sum of the detail rows above it."""
    pool_column = "" if pool is None else pool
    return _row(
        section=t[f"total_{name}"],
        pool_received_minor=pool_column,
        **_amount(amount_minor, currency),
        row_type=f"total_{name}",
    )


def _usage(line: MoneyLine | AdjustmentLine) -> dict[str, str]:
    return {
        "usage_start": line.usage_start.isoformat(),
        "usage_end": last_day(line.usage_end),
        "country": line.country,
    }


def _amount(amount_minor: int, currency: str) -> dict[str, object]:
    """Minor units, the same as a plain decimal (no grouping, so spreadsheets read a number),
    and the currency."""
    decimal = Decimal(amount_minor).scaleb(-minor_unit_exponent(currency))
    return {"amount_minor": amount_minor, "amount": f"{decimal:f}", "currency": currency}


__all__ = ["CSV_COLUMNS", "labels", "render_csv", "render_html", "render_pdf"]
