"""The remuneration report as CSV (one row per patent and inventor, then a total row), HTML and
PDF (the statements' renderer), in the contributor organisation's language."""

import csv
import io

from pool import rendering
from pool.services.inventor_reports.report import RemunerationReport
from pool.services.statements import pdf_workers

TEMPLATE = "inventors/report.html.j2"
LOCALES = {"en": ("en", "en"), "zh": ("zh_CN", "zh-CN")}
CSV_HEADER = (
    "year",
    "pool",
    "currency",
    "rate",
    "patent",
    "title",
    "received",
    "patent_remuneration",
    "inventor",
    "staff_number",
    "share_percent",
    "remuneration",
)


def _locale(report: RemunerationReport) -> tuple[str, str]:
    return LOCALES["zh" if report.language.lower().startswith("zh") else "en"]


def render_html(report: RemunerationReport) -> bytes:
    locale, html_lang = _locale(report)
    return rendering.render_in(locale, TEMPLATE, report=report, html_lang=html_lang).encode()


def render_pdf(html: bytes) -> bytes:
    return pdf_workers.render_pdfs([html])[0]


def render_csv(report: RemunerationReport) -> bytes:
    """Amounts in major units with the currency's decimals (a spreadsheet reads them as
    numbers); a patent without inventors has one row with the inventor columns empty; the
    last row totals the year."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    head = [report.year, report.pool_name, report.currency, f"{report.rate:f}"]

    def major(minor: int) -> str:
        return rendering.money(minor, report.currency).replace(",", "")

    for patent in report.patents:
        facts = [patent.number, patent.title, major(patent.received_minor)]
        facts.append(major(patent.total_minor))
        for inventor in patent.inventors:
            writer.writerow(
                [*head, *facts, inventor.name, inventor.staff_number or "",
                 f"{inventor.share_percent:f}", major(inventor.amount_minor)]
            )  # fmt: skip
        if not patent.inventors:
            writer.writerow([*head, *facts, "", "", "", ""])
    writer.writerow(
        [*head, "TOTAL", "", major(report.received_minor), major(report.total_minor),
         "", "", "", ""]
    )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads UTF-8 Chinese


def filename(report: RemunerationReport, extension: str) -> str:
    return f"inventor-remuneration-{report.year}-pool-{report.pool_id}.{extension}"
