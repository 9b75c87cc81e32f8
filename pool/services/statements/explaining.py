"""The statement's words that explain it (`labels` adds them to the documents' table): the
reason of each adjustment (`reasons`), the reconciliation of the pool's distributable amount,
the CSV's header block and total rows. Key: (English, Chinese)."""

from pool.rendering import last_day
from pool.services.statements.reasons import REASONS
from pool.services.statements.view import StatementView

EXPLAINING_LABELS: dict[str, tuple[str, str]] = {
    "reason": ("Reason", "原因"),
    "pool_change": ("Pool, change", "专利池变动"),
    "reason_late_payment": (
        "Late payment for an earlier usage period",
        "以前使用期间的迟付款项",
    ),
    "reason_report_correction": ("Report correction", "报告更正"),
    "reason_clawback": ("Clawback (money given back)", "追回（款项退回）"),
    "reason_rounding_carry": ("Rounding carry (±0.01)", "尾差结转（±0.01）"),
    "note_late_payment": (
        "Late payment: money received in this period for a usage period an earlier statement "
        "already distributed; your part of it.",
        "迟付款项：本期收到的、属于以前结算单已分配使用期间的款项中贵方应得的部分。",
    ),
    "note_report_correction": (
        "Report correction: a licensee corrected its usage report, so the invoice of that usage "
        "period was replaced and the money moved with it.",
        "报告更正：被许可人更正了使用报告，该使用期间的发票被替换，款项随之调整。",
    ),
    "note_clawback": (
        "Clawback: money for the usage period was given back; the tax withheld on it is given "
        "back with it.",
        "追回：该使用期间的款项已退回，相应代扣税款一并退还。",
    ),
    "note_rounding_carry": (
        "Rounding carry: each usage period's cumulative money is split again to the cent "
        "(largest remainder), which moved one cent (0.01) to or from you; no money was "
        "received for it.",
        "尾差结转：每个使用期间的累计款项按最大余额法重新精确分配到分，因此贵方增减了一分"
        "（0.01），并非收到或退回了款项。",
    ),
    "reconciliation": ("Reconciliation", "勾稽关系"),
    "first_time": (
        "of which: usage periods distributed for the first time (section 2, pool column)",
        "其中：首次分配的使用期间（第二部分专利池列合计）",
    ),
    "pool_adjustments": (
        "of which: adjustments to earlier usage periods, pool-wide (all contributors)",
        "其中：对以前使用期间的调整，全池合计（全部专利权人）",
    ),
    "csv_title": ("Royalty statement", "专利许可费分配结算单"),
    "period_first_day": ("Period from", "结算期起"),
    "period_last_day": ("Period to", "结算期止"),
    "total_gross": ("Total: money received in the period", "合计：本期收款"),
    "total_adjustments": ("Total: adjustments", "合计：调整"),
    "total_net": ("Total: net payable", "合计：应付净额"),
    "col_reason": ("Reason", "原因"),
    "col_row_type": ("Row type", "行类型"),
}


def adjustment_reasons(view: StatementView) -> list[str]:
    """The reasons of the view's adjustment lines, each once, in `REASONS` order."""
    present = {line.reason for line in view.adjustments}
    if unknown := present - set(REASONS):
        raise ValueError(f"statement {view.serial}: unknown adjustment reason {sorted(unknown)}")
    return [reason for reason in REASONS if reason in present]


def explained_faults(view: StatementView) -> list[str]:
    """What does not add up in the reconciliation (when the view carries one)."""
    first, adjusted = view.pool_first_time_minor, view.pool_adjustments_minor
    faults = []
    if first is not None and first != sum(line.pool_received_minor for line in view.lines):
        faults.append("pool_first_time_minor is not the sum of the lines' pool column")
    total = view.pool_distributable_minor
    if first is not None and adjusted is not None and first + adjusted != total:
        faults.append("first-time and adjustments do not add up to the distributable amount")
    return faults


def csv_header_block(view: StatementView, t: dict[str, str]) -> list[list[str]]:
    """The CSV's first rows, before an empty row and the column names: one `label, value` pair
    a row, always these eight in this order (labels in the statement's language)."""
    return [
        [t["serial"], view.serial],
        [t["contributor"], view.contributor_name],
        [t["contributor_id"], str(view.contributor_id)],
        [t["pool"], view.pool_name],
        [t["period_first_day"], view.period_start.isoformat()],
        [t["period_last_day"], last_day(view.period_end)],
        [t["currency"], view.currency],
        [t["issued_on"], view.issued_on.isoformat()],
    ]
