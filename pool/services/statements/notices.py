"""The e-mail that carries a contributor's statement, in the statement's language
(`templates/mail/statement.txt.j2`): the net payable in major units with its currency, the
period as its first and last day; and where each statement's e-mail stands (`mail_states`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.distribution import Statement
from pool.models.outbox import OutboxMessage, OutboxStatus
from pool.services.mail import letters
from pool.services.statements.view import StatementView


def notice(statement: Statement, view: StatementView, now: datetime) -> OutboxMessage:
    """The e-mail that carries the statement, written with it (one per statement: the
    dedupe key is the serial), delivered by the outbox."""
    letter = letters.write(
        "statement",
        letters.locale_for(view.language),
        serial=view.serial,
        pool=view.pool_name,
        name=view.contributor_name,
        first=view.period_start,
        last=view.period_end - timedelta(days=1),
        net_minor=view.net_payable_minor,
        currency=view.currency,
    )
    return OutboxMessage(
        kind="statement",
        pool_id=statement.pool_id,
        recipient_organisation_id=statement.contributor_organisation_id,
        subject=letter.subject,
        body=letter.body,
        dedupe_key=f"statement:{view.serial}",
        statement_id=statement.id,
        created_at=now,
    )


@dataclass(frozen=True)
class MailState:
    """A statement's e-mail: `queued` (waiting or being sent), `sent` or `failed`."""

    state: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None


def _state(status: str) -> str:
    if status in (OutboxStatus.SENT, OutboxStatus.FAILED):
        return str(status)
    return "queued"  # pending, or being sent


def mail_states(
    session: Session, *, principal: Principal, statement_ids: Iterable[int]
) -> dict[int, MailState]:
    """The e-mail of each statement, by statement id (staff only); a statement without one
    (issued before statements were e-mailed) is left out."""
    principal.require_staff()
    ids = sorted(set(statement_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.statement_id).in_(ids))
        .order_by(col(OutboxMessage.id))
    ).all()
    return {
        row.statement_id or 0: MailState(_state(row.status), row.attempts, row.last_error,
                                         row.sent_at)
        for row in rows  # the latest message of a statement wins
    }  # fmt: skip
