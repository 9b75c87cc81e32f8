"""The outbox as administrators and auditors read it: every outgoing e-mail, newest first, one
page at a time (recipient, subject, delivery state, attempts, last error, times)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.outbox import OutboxMessage


@dataclass(frozen=True)
class Mail:
    id: int
    kind: str
    pool_id: int | None
    recipient_organisation_id: int | None
    recipient_role: str | None
    subject: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    statement_id: int | None


@dataclass(frozen=True)
class Mails:
    items: list[Mail]
    total: int


def _mail(row: OutboxMessage) -> Mail:
    return Mail(
        id=row.id or 0, kind=row.kind, pool_id=row.pool_id,
        recipient_organisation_id=row.recipient_organisation_id,
        recipient_role=row.recipient_role, subject=row.subject, status=row.status,
        attempts=row.attempts, last_error=row.last_error, created_at=row.created_at,
        sent_at=row.sent_at, next_attempt_at=row.next_attempt_at, statement_id=row.statement_id,
    )  # fmt: skip


def listing(
    session: Session, *, principal: Principal, status: str | None, limit: int, offset: int
) -> Mails:
    """Outgoing e-mails newest first (staff only), of one delivery state when `status` is set."""
    principal.require_staff()
    query = select(OutboxMessage)
    counted = select(func.count(col(OutboxMessage.id)))
    if status is not None:
        query = query.where(OutboxMessage.status == status)
        counted = counted.where(OutboxMessage.status == status)
    rows = session.exec(
        query.order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return Mails(items=[_mail(row) for row in rows], total=session.exec(counted).one())
