"""Issued statements as a list (issue 17): staff see every contributor's, a contributor its
own (`reading.contributor_scope`); searched by contributor name or serial, narrowed by pool,
period, run and the state of the statement's e-mail (`sent`, `failed`, `queued`, `none`),
sorted by period, contributor or net payable, a page at a time or whole (CSV).

The e-mail state is the statement's latest outbox message's (as `notices.mail_states` reads
it), selected with the statement so the filter and the page agree."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.distribution import Statement
from pool.models.organisation import Organisation
from pool.models.outbox import OutboxMessage, OutboxStatus
from pool.services.common.listing import ListQuery, run
from pool.services.common.pages import Page
from pool.services.statements.reading import contributor_scope

MAIL_STATES = ("sent", "failed", "queued", "none")
SORTS: dict[str, list[Any]] = {
    "period": [col(Statement.period_start)],
    "contributor": [func.lower(Organisation.name)],
    "net": [col(Statement.net_payable_minor)],
}
DEFAULT_SORT = "-period"


class StatementRow(BaseModel):
    """A statement's figures, its contributor, and its e-mail's state (None: no e-mail)."""

    id: int
    serial: str
    pool_id: int
    run_id: int
    contributor_organisation_id: int
    contributor: str
    period_start: date
    period_end: date
    currency: str
    gross_minor: int
    adjustments_minor: int
    withholding_minor: int
    net_payable_minor: int
    issued_at: datetime
    mail: str | None
    mail_error: str | None


def _mail(status: str | None) -> str | None:
    if status is None or status in (OutboxStatus.SENT, OutboxStatus.FAILED):
        return status
    return "queued"  # pending, or being sent


def _latest_mail() -> Any:
    """The id of the statement's latest outbox message (None: it was never e-mailed)."""
    other = aliased(OutboxMessage)
    return (
        select(func.max(other.id))
        .where(other.statement_id == Statement.id)
        .correlate(Statement)
        .scalar_subquery()
    )


def listing(session: Session, *, principal: Principal, spec: ListQuery) -> Page[StatementRow]:
    """Statements the principal may read (filters: `pool`, `run`, `period` (its first day),
    `mail`)."""
    query = (
        select(Statement, Organisation.name, OutboxMessage.status, OutboxMessage.last_error)
        .join(Organisation, col(Organisation.id) == Statement.contributor_organisation_id)
        .outerjoin(OutboxMessage, col(OutboxMessage.id) == _latest_mail())
    )
    mail = col(OutboxMessage.status)
    if (own := contributor_scope(principal)) is not None:
        query = query.where(Statement.contributor_organisation_id == own)
    for name, column in (("pool", Statement.pool_id), ("run", Statement.run_id)):
        if value := spec.filter(name):
            query = query.where(column == int(value))
    if period := spec.filter("period"):
        query = query.where(Statement.period_start == date.fromisoformat(period))
    wanted = {
        "sent": mail == OutboxStatus.SENT,
        "failed": mail == OutboxStatus.FAILED,
        "queued": mail.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        "none": col(OutboxMessage.id).is_(None),
    }
    if (state := spec.filter("mail")) in wanted:
        query = query.where(wanted[state or ""])
    # a select of several columns is a `Select` to SQLModel's types; `run` reads it the same
    return run(
        session, query, spec,  # type: ignore[arg-type]
        search=[Organisation.name, Statement.serial], sorts=SORTS, default=DEFAULT_SORT,
        tie_break=col(Statement.id),
        convert=lambda row: StatementRow(
            **row[0].model_dump(include=set(StatementRow.model_fields)),
            contributor=row[1], mail=_mail(row[2]), mail_error=row[3],
        ),
    )  # fmt: skip


def periods(session: Session, *, principal: Principal) -> list[date]:
    """The periods of the statements the principal may read, latest first (the filter's
    choices)."""
    starts = col(Statement.period_start)
    query = select(starts).distinct().order_by(starts.desc())
    if (own := contributor_scope(principal)) is not None:
        query = query.where(Statement.contributor_organisation_id == own)
    return list(session.exec(query).all())
