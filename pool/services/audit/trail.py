"""Append to and verify the hash-chained audit trail."""

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import event as orm_events
from sqlalchemy import insert, text
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.audit import AuditEvent, AuditEventRead, AuditVerification
from pool.services.common.pages import Page, paginate

GENESIS_HASH = "0" * 64
# Serialises chain appends on PostgreSQL. Advisory locks are database-wide, so the key is
# hashed with the schema: deployments (or test workers) in other schemas of the same database
# neither wait for this chain nor join a lock cycle with it.
_CHAIN_LOCK = (
    "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/audit-chain', 0))"
)


@dataclass(frozen=True)
class Actor:
    """Who made a change: a signed-in principal, or a named system actor (CLI, a job)."""

    user_id: int | None
    label: str

    @classmethod
    def of(cls, principal: Principal) -> "Actor":
        return cls(principal.user_id, principal.label)

    @classmethod
    def system(cls, name: str) -> "Actor":
        return cls(None, f"system:{name}")


HASHED_FIELDS = (
    "at",
    "actor_user_id",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "pool_id",
    "before",
    "after",
)


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical JSON of the event's content."""
    body = {name: event[name] for name in HASHED_FIELDS}
    body["at"] = body["at"].isoformat()
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def lock_chain(session: Session) -> None:
    """Hold the chain for the rest of the transaction: on PostgreSQL its advisory lock (taken
    again by the same transaction, it stacks); on SQLite a transaction writes alone anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(_CHAIN_LOCK))


def head(session: Session) -> tuple[int, str]:
    """The newest event's id and hash: (0, GENESIS_HASH) for an empty trail."""
    last = session.exec(
        select(AuditEvent.id, AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    return (last[0] or 0, last[1]) if last else (0, GENESIS_HASH)


def _last_hash(session: Session) -> str:
    lock_chain(session)
    return head(session)[1]


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    pool_id: int | None = None,
) -> None:
    """Append one event in the caller's transaction (so it commits or fails with the change)."""
    record_many(
        session, [(action, entity_type, entity_id, before, after, pool_id)], actor=actor, now=now
    )


EventSpec = tuple[str, str, object, dict[str, Any] | None, dict[str, Any] | None, int | None]
_PENDING = "pool.audit.pending"


def record_many(session: Session, events: list[EventSpec], *, actor: Actor, now: datetime) -> None:
    """Queue events, in order, to be chained when the transaction commits.

    The chain is one sequence for the whole service, so appending to it is serialised (an
    advisory lock on PostgreSQL, the write lock on SQLite). Taken at the first change, that
    lock was held for the rest of the request; taken at commit (`_append_pending`), it is held
    only while the events are written, and it is always the last lock a transaction takes, so
    it cannot join a lock cycle with a licensee's lock. Events of a transaction that rolls back
    are dropped with it."""
    rows = [
        {
            "at": now,
            "actor_user_id": actor.user_id,
            "actor": actor.label,
            "action": action,
            "entity_type": entity_type,
            "entity_id": str(entity_id),
            "pool_id": pool_id,
            "before": before,
            "after": after,
        }
        for action, entity_type, entity_id, before, after, pool_id in events
    ]
    session.info.setdefault(_PENDING, []).extend(rows)


def flush_pending(session: Session) -> int:
    """Chain and write the queued events now (one chain read, one multi-row INSERT: bulk
    imports queue thousands). Commit does this; call it only to read the events back in the
    same transaction. Returns how many were written."""
    rows = session.info.pop(_PENDING, None)
    if not rows:
        return 0
    prev = _last_hash(session)
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = prev = event_hash(prev, row)
    session.connection().execute(insert(AuditEvent.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


@orm_events.listens_for(OrmSession, "before_commit")
def _append_pending(session: Session) -> None:
    flush_pending(session)


@orm_events.listens_for(OrmSession, "after_transaction_end")
def _forget_pending(session: OrmSession, transaction: SessionTransaction) -> None:
    """When the whole transaction ends, its queue goes: written by a commit, dropped by a
    rollback. (A savepoint's end keeps it.)"""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _in_order(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        query = select(AuditEvent).where(col(AuditEvent.id) > last_id).order_by(col(AuditEvent.id))
        rows = session.exec(query.limit(batch)).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id or last_id


def verify(session: Session) -> AuditVerification:
    """Recompute the chain from the start; report the first event whose link is broken."""
    prev = GENESIS_HASH
    checked = 0
    for event in _in_order(session):
        if event.prev_hash != prev:
            return AuditVerification(
                ok=False,
                events_checked=checked,
                first_broken_id=event.id,
                problem="prev_hash breaks the chain (an event was removed or reordered)",
            )
        if event_hash(event.prev_hash, event.model_dump()) != event.hash:
            return AuditVerification(
                ok=False,
                events_checked=checked,
                first_broken_id=event.id,
                problem="content does not match its hash (the event was altered)",
            )
        prev = event.hash
        checked += 1
    return AuditVerification(ok=True, events_checked=checked)


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def listing(
    session: Session,
    *,
    principal: Principal,
    entity_type: str | None,
    entity_id: str | None,
    pool_id: int | None,
    action: str | None,
    actor_user_id: int | None,
    limit: int,
    offset: int,
    occurred_from: date | None = None,
    occurred_to: date | None = None,
) -> Page[AuditEventRead]:
    """Events newest first; `occurred_from`/`occurred_to` bound the timestamp by UTC day,
    half-open: [from, to)."""
    principal.require_staff()
    query = select(AuditEvent).order_by(col(AuditEvent.id).desc())
    filters = {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "pool_id": pool_id,
        "action": action,
        "actor_user_id": actor_user_id,
    }
    for field, value in filters.items():
        if value is not None:
            query = query.where(getattr(AuditEvent, field) == value)
    if occurred_from is not None:
        query = query.where(col(AuditEvent.at) >= _utc_midnight(occurred_from))
    if occurred_to is not None:
        query = query.where(col(AuditEvent.at) < _utc_midnight(occurred_to))
    return paginate(
        session, query, limit=limit, offset=offset, convert=AuditEventRead.model_validate
    )
