"""The per-patent part of a statement's documents: its labels, the CSV's patent columns and
rows (one per patent line). The HTML part is the partial `_statement_patents.html.j2`.

CSV: a patent row names the usage period, the country, the patent and what weighed it, and
carries its part in `patent_amount_minor`, never in `amount_minor`: the money lines already
carry that money, so `amount_minor` still sums to the net payable, and each line's patent
rows sum to the line's amount."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Protocol

from pool.rendering import last_day
from pool.services.statements.view import StatementView

PATENT_COLUMNS = (
    "patent_number",
    "patent_title",
    "grade",
    "days_in_force",
    "weight",
    "patent_amount_minor",
)

# key: (English, Chinese)
PATENT_LABELS: dict[str, tuple[str, str]] = {
    "patents_heading": (
        "Appendix: your money by patent",
        "附表：按专利列示的应得金额",
    ),
    "patents_note": (
        "Each line above is split over your patents in force in its country during its usage "
        "period, in proportion to their weights (days in force times grade points, or within "
        "each tier by days in force), to the cent by largest remainder; equal remainders go "
        "to the lower patent id first. The parts of a line add up to the line.",
        "上列每一行金额按贵方在该国家/地区、该使用期间内有效专利的权重（有效天数乘以等级分值，"
        "或在各档内按有效天数）分摊至各项专利，以最大余额法精确到分；余额相同时按专利编号由小到大"
        "依次分配。同一行各专利金额之和等于该行金额。",
    ),
    "patent_number": ("Patent no.", "专利号"),
    "patent_title": ("Title", "名称"),
    "grade": ("Grade", "等级"),
    "days_in_force": ("Days in force", "有效天数"),
    "weight": ("Weight", "权重"),
    "patent_adjustment": ("(adjustment)", "（调整）"),
    "section_patent": ("Patent part", "专利分项"),
    "section_patent_adjustment": ("Patent part, adjustment", "专利分项（调整）"),
    "col_patent_number": ("Patent no.", "专利号"),
    "col_patent_title": ("Patent title", "专利名称"),
    "col_grade": ("Grade or tier", "等级或档次"),
    "col_days_in_force": ("Days in force", "有效天数"),
    "col_weight": ("Weight", "权重"),
    "col_patent_amount_minor": ("Patent part (minor units)", "专利分项金额（最小货币单位）"),
}

Row = Callable[..., list[object]]


class Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


def write_patent_rows(writer: Writer, view: StatementView, t: dict[str, str], row: Row) -> None:
    """One row per patent line, in the view's order (usage period, country, patent)."""
    for line in view.patents:
        writer.writerow(
            row(
                section=t["section_patent_adjustment" if line.adjustment else "section_patent"],
                usage_start=line.usage_start.isoformat(),
                usage_end=last_day(line.usage_end),
                country=line.country,
                currency=view.currency,
                patent_number=line.patent_number,
                patent_title=line.title,
                grade=line.grade,
                days_in_force=line.days_in_force,
                weight=line.weight,
                patent_amount_minor=line.amount_minor,
                row_type="patent",
            )
        )


def patent_faults(view: StatementView) -> list[str]:
    """The money lines and adjustments whose patent lines do not add up to them (a line
    with no patent lines at all is not split, and is not a fault)."""
    parts: dict[tuple[date, date, str, bool], int] = {}
    for p in view.patents:
        key = (p.usage_start, p.usage_end, p.country, p.adjustment)
        parts[key] = parts.get(key, 0) + p.amount_minor
    wholes = {(x.usage_start, x.usage_end, x.country, False): x.amount_minor for x in view.lines}
    for adj in view.adjustments:
        key = (adj.usage_start, adj.usage_end, adj.country, True)
        wholes[key] = wholes.get(key, 0) + adj.amount_minor
    return [
        f"patent lines of {key[2]} {key[0]} do not sum to their line"
        for key, total in parts.items()
        if wholes.get(key) != total
    ]
