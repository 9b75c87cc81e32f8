"""The audit trail as the administrator's list reads it (issue 17): filtered by action, actor
(part of the name), object type and id, pool and UTC days [from, to), searched across those,
newest first, a page at a time or whole (CSV)."""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.audit import AuditEvent, AuditEventRead
from pool.services.common.listing import LIKE_ESCAPE, ListQuery, like_pattern, run
from pool.services.common.pages import Page

SORTS: dict[str, list[Any]] = {"at": [col(AuditEvent.at)]}
DEFAULT_SORT = "-at"


def _midnight(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.min, tzinfo=UTC)


def admin_listing(
    session: Session, *, principal: Principal, spec: ListQuery
) -> Page[AuditEventRead]:
    """Events for staff (filters: `action`, `actor`, `entity_type`, `entity_id`, `pool`,
    `from`, `to`: days, validated by the caller)."""
    principal.require_staff()
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
    return run(
        session, query, spec,
        search=[AuditEvent.action, AuditEvent.actor, AuditEvent.entity_type, AuditEvent.entity_id],
        sorts=SORTS, default=DEFAULT_SORT, tie_break=col(AuditEvent.id),
        convert=AuditEventRead.model_validate,
    )  # fmt: skip
