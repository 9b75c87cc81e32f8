"""Reading statements: a contributor its own, administrators and auditors all, licensees
none; another contributor's statement answers 404, as a missing one does."""

from datetime import date

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Forbidden, NotFound
from pool.models.distribution import (
    DocumentFormat,
    Statement,
    StatementDocument,
    StatementDocumentRead,
    StatementRead,
)
from pool.models.user import Role
from pool.services.pages import Page, paginate


def _scope(principal: Principal) -> int | None:
    """None for staff (everything); the contributor's organisation otherwise."""
    if principal.sees_everything:
        return None
    if principal.role != Role.CONTRIBUTOR or principal.organisation_id is None:
        raise Forbidden("statements are for contributors, administrators and auditors")
    return principal.organisation_id


def read_model(session: Session, statement: Statement) -> StatementRead:
    documents = session.exec(
        select(StatementDocument)
        .where(StatementDocument.statement_id == statement.id)
        .order_by(col(StatementDocument.format))
    ).all()
    return StatementRead.model_validate(
        {
            **statement.model_dump(),
            "documents": [StatementDocumentRead.model_validate(d) for d in documents],
        }
    )


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int | None,
    period_start: date | None,
    serial: str | None,
    limit: int,
    offset: int,
) -> Page[StatementRead]:
    scope = _scope(principal)
    query = select(Statement)
    if scope is not None:
        query = query.where(Statement.contributor_organisation_id == scope)
    if pool_id is not None:
        query = query.where(Statement.pool_id == pool_id)
    if period_start is not None:
        query = query.where(Statement.period_start == period_start)
    if serial is not None:
        query = query.where(Statement.serial == serial)
    query = query.order_by(col(Statement.period_start).desc(), col(Statement.id))
    return paginate(
        session, query, limit=limit, offset=offset, convert=lambda s: read_model(session, s)
    )


def get(session: Session, *, principal: Principal, statement_id: int) -> Statement:
    """Another contributor's statement answers 404, as a missing one does."""
    statement = session.get(Statement, statement_id)
    if principal.role == Role.LICENSEE or statement is None:
        raise NotFound("statement not found")
    principal.require_staff_or_org(statement.contributor_organisation_id, "statement")
    return statement


def document(
    session: Session, *, principal: Principal, statement_id: int, fmt: DocumentFormat
) -> tuple[Statement, StatementDocument]:
    statement = get(session, principal=principal, statement_id=statement_id)
    stored = session.exec(
        select(StatementDocument).where(
            StatementDocument.statement_id == statement.id, StatementDocument.format == fmt
        )
    ).first()
    if stored is None:
        raise NotFound(f"the {fmt} document of statement {statement.serial} is not rendered yet")
    return statement, stored
