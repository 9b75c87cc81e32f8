"""The audit trail as the administrator's list reads it (issue 17): filtered by action, actor
(part of the name), object type and id, pool and UTC days [from, to), searched across those,
newest first, a page at a time or whole (`admin_export`: a CSV streamed in batches)."""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.audit import AuditEvent, AuditEventRead
from pool.services.common.listing import LIKE_ESCAPE, Export, ListQuery, export, like_pattern, run
from pool.services.common.pages import Page

SORTS: dict[str, list[Any]] = {"at": [col(AuditEvent.at)]}
DEFAULT_SORT = "-at"


def _midnight(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.min, tzinfo=UTC)


SEARCH = [AuditEvent.action, AuditEvent.actor, AuditEvent.entity_type, AuditEvent.entity_id]


def _filtered(spec: ListQuery) -> Any:
    """Events narrowed by the filters (`action`, `actor`, `entity_type`, `entity_id`,
    `pool`, `from`, `to`: days, validated by the caller)."""
    query = select(AuditEvent)
    for name in ("action", "entity_type", "entity_id"):
        if value := spec.filter(name):
            query = query.where(getattr(AuditEvent, name) == value)
    if pool := spec.filter("pool"):
        query = query.where(AuditEvent.pool_id == int(pool))
    if actor := spec.filter("actor"):
        pattern = like_pattern(actor)
        query = query.where(func.lower(AuditEvent.actor).like(pattern, escape=LIKE_ESCAPE))
    if start := spec.filter("from"):
        query = query.where(col(AuditEvent.at) >= _midnight(start))
    if end := spec.filter("to"):
        query = query.where(col(AuditEvent.at) < _midnight(end))
    return query


def admin_listing(
    session: Session, *, principal: Principal, spec: ListQuery
) -> Page[AuditEventRead]:
    """A page of events for staff."""
    principal.require_staff()
    return run(
        session, _filtered(spec), spec, search=SEARCH, sorts=SORTS, default=DEFAULT_SORT,
        tie_break=col(AuditEvent.id), convert=AuditEventRead.model_validate,
    )  # fmt: skip


def _load(session: Session, ids: list[int]) -> dict[int, AuditEventRead]:
    found = session.exec(select(AuditEvent).where(col(AuditEvent.id).in_(ids))).all()
    return {event.id or 0: AuditEventRead.model_validate(event) for event in found}


def admin_export(
    session: Session, *, principal: Principal, spec: ListQuery
) -> Export[AuditEventRead]:
    """Every filtered event for staff, in the list's order, read in batches when streamed."""
    principal.require_staff()
    return export(
        session, _filtered(spec), spec, search=SEARCH, sorts=SORTS, default=DEFAULT_SORT,
        tie_break=col(AuditEvent.id), load=_load,
    )  # fmt: skip
