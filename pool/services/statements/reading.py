"""Reading statements: a contributor its own, administrators and auditors all, licensees
none; another contributor's statement answers 404, as a missing one does."""

from datetime import date

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
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
from pool.rendering import Phrase
from pool.services.common.pages import Page, paginate
from pool.services.common.plain_reads import AnySelect, Rows, ScopedRead, column_keys, run_in


def contributor_scope(principal: Principal) -> int | None:
    """Whose statements the principal reads: None for staff (everyone's), the contributor's
    organisation otherwise; anyone else is refused."""
    if principal.sees_everything:
        return None
    if principal.role != Role.CONTRIBUTOR or principal.organisation_id is None:
        raise Forbidden("statements are for contributors, administrators and auditors")
    return principal.organisation_id


def read_model(session: Session, statement: Statement) -> StatementRead:
    """The statement and its documents' digests; the documents' bytes stay in the database
    (they are read only to be downloaded)."""
    documents = session.exec(
        select(
            StatementDocument.format,
            StatementDocument.content_type,
            StatementDocument.sha256,
            StatementDocument.size_bytes,
        )
        .where(StatementDocument.statement_id == statement.id)
        .order_by(col(StatementDocument.format))
    ).all()
    return StatementRead.model_validate(
        {
            **statement.model_dump(),
            "documents": [
                StatementDocumentRead(
                    format=DocumentFormat(f), content_type=t, sha256=h, size_bytes=n
                )
                for f, t, h, n in documents
            ],
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
    scope = contributor_scope(principal)
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


ONE_WITH_DIGESTS: AnySelect = (
    sa_select(
        Statement.__table__,  # type: ignore[attr-defined]
        col(StatementDocument.format).label("document_format"),
        col(StatementDocument.content_type).label("document_content_type"),
        col(StatementDocument.sha256).label("document_sha256"),
        col(StatementDocument.size_bytes).label("document_size_bytes"),
    )
    .outerjoin(StatementDocument, col(StatementDocument.statement_id) == col(Statement.id))
    .where(col(Statement.id) == bindparam("id"))
    .order_by(col(StatementDocument.format))
)
_KEYS = column_keys(ONE_WITH_DIGESTS)
_DOCUMENT_FIELDS = ("format", "content_type", "sha256", "size_bytes")


def one(*, statement_id: int) -> ScopedRead[StatementRead]:
    """One statement as `get` + `read_model` give it, in one plain indexed read (a row per
    document): it is what a contributor's portal and tools fetch most, so it loads no ORM
    objects, makes one round trip, and may run on the event loop (pool.loop_reads)."""

    def answer(principal: Principal, rows: Rows) -> StatementRead:
        if principal.role == Role.LICENSEE or not rows:
            raise NotFound("statement not found")
        found = [dict(zip(_KEYS, row, strict=True)) for row in rows]
        principal.require_staff_or_org(found[0]["contributor_organisation_id"], "statement")
        statement = {k: v for k, v in found[0].items() if not k.startswith("document_")}
        documents = [
            StatementDocumentRead(**{f: row[f"document_{f}"] for f in _DOCUMENT_FIELDS})
            for row in sorted(found, key=lambda row: row["document_format"] or "")
            if row["document_format"] is not None
        ]
        return StatementRead(**statement, documents=documents)

    return ScopedRead(ONE_WITH_DIGESTS, {"id": statement_id}, answer)


def read_one(session: Session, *, principal: Principal, statement_id: int) -> StatementRead:
    """`one`, in the session's transaction."""
    return run_in(session, one(statement_id=statement_id).by(principal))


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
        raise NotFound(
            Phrase(
                "the %(fmt)s document of statement %(serial)s is not rendered yet",
                fmt=fmt,
                serial=statement.serial,
            )
        )
    return statement, stored
