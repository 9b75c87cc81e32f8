"""The e-mail that carries a contributor's statement, in the statement's language."""

from datetime import datetime, timedelta

from allocation import format_minor
from pool.models.distribution import Statement
from pool.models.outbox import OutboxMessage
from pool.services.statements.view import StatementView

NOTICE = {
    "en": (
        "Royalty statement {serial}: {pool}, {start} to {last}",
        "Dear {name},\n\nyour royalty statement {serial} for {pool}, period {start} to {last},"
        " is attached (net payable {net}). You can also download it, in HTML, PDF or CSV, from"
        " the pool's service; its SHA-256 digests are listed there.\n",
    ),
    "zh": (
        "专利许可费结算单 {serial}：{pool}，{start} 至 {last}",
        "{name}：\n\n附件为贵单位在{pool}的专利许可费结算单 {serial}（结算期间 {start} 至 {last}，"
        "应付净额 {net}）。也可在专利池服务中下载 HTML、PDF 或 CSV 版本，并核对其 SHA-256 摘要。\n",
    ),
}


def notice(statement: Statement, view: StatementView, now: datetime) -> OutboxMessage:
    """The e-mail that carries the statement, written with it (one per statement: the
    dedupe key is the serial), delivered by the outbox."""
    subject, body = NOTICE.get(view.language, NOTICE["en"])
    fields = {
        "serial": view.serial,
        "pool": view.pool_name,
        "name": view.contributor_name,
        "start": view.period_start.isoformat(),
        "last": (view.period_end - timedelta(days=1)).isoformat(),
        "net": format_minor(view.net_payable_minor, view.currency),
    }
    return OutboxMessage(
        kind="statement",
        pool_id=statement.pool_id,
        recipient_organisation_id=statement.contributor_organisation_id,
        subject=subject.format(**fields)[:300],
        body=body.format(**fields),
        dedupe_key=f"statement:{view.serial}",
        statement_id=statement.id,
        created_at=now,
    )
