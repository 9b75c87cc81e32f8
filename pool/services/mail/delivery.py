"""Outbox delivery by e-mail: each due message is claimed by one worker, sent outside any
database transaction, then marked sent; a failure is retried with exponential backoff and ends
`failed` after `MAX_ATTEMPTS` (an admin can `requeue` it).

SMTP cannot give exactly-once delivery: a worker that dies after the server accepted a message
but before it recorded `sent` leaves the message claimed; when its lease (`claimed_until`)
expires another run sends it again. Such a retry carries the same Message-ID (derived from the
`dedupe_key`), so a receiver can drop the duplicate. Otherwise a message is claimed by one
worker at a time (a conditional UPDATE) and retried only after a recorded failure."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from sqlalchemy import Engine, and_, func, or_, update
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.errors import IllegalTransition, NotFound
from pool.models.outbox import OutboxMessage, OutboxStatus
from pool.rendering import Phrase
from pool.services.mail.composing import _compose, _Outgoing, _Problem, message_id_for
from pool.services.mail.transports import Transport, transport_for
from pool.settings import Settings

BACKOFF = tuple(
    timedelta(minutes=m) for m in (1, 5, 30, 2 * 60, 12 * 60, 24 * 60)
)  # wait after the 1st, 2nd, ... failure
MAX_ATTEMPTS = len(BACKOFF) + 1  # the 7th failure (about 39 hours after the 1st) is final
MIN_LEASE = timedelta(minutes=15)
_ERROR_CHARS = 2000


@dataclass
class DeliveryReport:
    """Outbox ids by outcome of one run, for logs and the job's result."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)  # failed now, a later attempt is due
    failed: list[int] = field(default_factory=list)  # gave up: status `failed`
    skipped: int = 0  # another worker claimed it first (or took over after our lease ran out)

    def __str__(self) -> str:
        return (
            f"{len(self.sent)} sent, {len(self.retrying)} to retry, "
            f"{len(self.failed)} failed, {self.skipped} taken by another worker"
        )


def deliver_due(
    engine: Engine,
    *,
    settings: Settings,
    now: datetime,
    limit: int = 20,
    lease: timedelta | None = None,
) -> DeliveryReport:
    """Send up to `limit` due messages (oldest first). Each is claimed in its own short
    transaction until `now + lease` (default: the larger of 15 minutes and three times
    `limit` x the SMTP timeout, so the whole batch fits), sent with no transaction open, and
    its outcome recorded in a new transaction. Safe to run on several workers at once."""
    report = DeliveryReport()
    transport = transport_for(settings)
    if transport is None:
        return report
    lease = lease or max(MIN_LEASE, timedelta(seconds=3 * limit * settings.smtp_timeout))
    with Session(engine) as session:
        due = session.exec(
            select(OutboxMessage.id, OutboxMessage.dedupe_key)
            .where(_claimable(now))
            .order_by(col(OutboxMessage.id))
            .limit(limit)
        ).all()
    for outbox_id, key in due:
        if outbox_id is not None:
            _deliver_one(engine, transport, settings, outbox_id, key, now, now + lease, report)
    return report


def _claimable(now: datetime) -> Any:
    status, lease = col(OutboxMessage.status), col(OutboxMessage.claimed_until)
    due_at = col(OutboxMessage.next_attempt_at)
    return or_(
        and_(status == OutboxStatus.PENDING, or_(due_at.is_(None), due_at <= now)),
        and_(status == OutboxStatus.SENDING, or_(lease.is_(None), lease < now)),
    )


def _deliver_one(
    engine: Engine,
    transport: Transport,
    settings: Settings,
    outbox_id: int,
    key: str,
    now: datetime,
    until: datetime,
    report: DeliveryReport,
) -> None:
    claim = _claim(engine, settings, outbox_id, key, now, until)
    if claim is None:
        report.skipped += 1
        return
    attempts, outgoing = claim
    if isinstance(outgoing, _Problem):
        _failed(engine, outbox_id, until, attempts, now, str(outgoing), outgoing.final, report)
        return
    sender = parseaddr(settings.mail_from)[1]
    try:
        refused = transport.send(outgoing.message, sender=sender, recipients=outgoing.recipients)
    except Exception as exc:  # any failure to hand over is recorded, never ends the batch
        _failed(engine, outbox_id, until, attempts, now, _describe(exc), False, report)
        return
    _sent(engine, outbox_id, now, refused)
    report.sent.append(outbox_id)


def _claim(
    engine: Engine, settings: Settings, outbox_id: int, key: str, now: datetime, until: datetime
) -> tuple[int, "_Outgoing | _Problem"] | None:
    """Claim the message until `until` if it is still claimable (one transaction, committed
    before anything is sent) and build the e-mail; None if another worker has it."""
    with session_scope(engine) as session:
        claimed = session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == outbox_id, _claimable(now))
            .values(
                status=OutboxStatus.SENDING,
                claimed_until=until,
                message_id=func.coalesce(
                    col(OutboxMessage.message_id), message_id_for(key, settings.mail_from)
                ),
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            return None
        row = session.get_one(OutboxMessage, outbox_id)
        outgoing: _Outgoing | _Problem
        try:
            outgoing = _compose(session, row, settings, now)
        except _Problem as problem:
            outgoing = problem
        except Exception as exc:  # a message that cannot be built must not end the batch
            outgoing = _Problem(_describe(exc), final=False)
        return row.attempts, outgoing


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:_ERROR_CHARS]


def _failed(
    engine: Engine,
    outbox_id: int,
    until: datetime,
    attempts: int,
    now: datetime,
    error: str,
    final: bool,
    report: DeliveryReport,
) -> None:
    """Record a failed attempt, if our claim still holds (`claimed_until` is our lease):
    back to pending after the backoff, or failed for good."""
    attempts += 1
    give_up = final or attempts >= MAX_ATTEMPTS
    with session_scope(engine) as session:
        recorded = session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == outbox_id,
                col(OutboxMessage.status) == OutboxStatus.SENDING,
                col(OutboxMessage.claimed_until) == until,
            )
            .values(
                status=OutboxStatus.FAILED if give_up else OutboxStatus.PENDING,
                attempts=attempts,
                last_error=error[:_ERROR_CHARS],
                next_attempt_at=None if give_up else now + BACKOFF[attempts - 1],
                claimed_until=None,
            )
            .execution_options(synchronize_session=False)
        )
    if recorded.rowcount != 1:  # our lease ran out and another worker holds the message
        report.skipped += 1
        return
    (report.failed if give_up else report.retrying).append(outbox_id)


def _sent(engine: Engine, outbox_id: int, now: datetime, refused: list[str]) -> None:
    """Sent is a fact whoever holds the claim: recorded unless already recorded."""
    note = f"refused by the server: {', '.join(refused)}"[:_ERROR_CHARS] if refused else None
    with session_scope(engine) as session:
        session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == outbox_id,
                col(OutboxMessage.status) != OutboxStatus.SENT,
            )
            .values(
                status=OutboxStatus.SENT,
                sent_at=now,
                claimed_until=None,
                next_attempt_at=None,
                last_error=note,
            )
            .execution_options(synchronize_session=False)
        )


def requeue(session: Session, *, outbox_id: int, now: datetime) -> OutboxMessage:
    """Give a failed message a fresh set of attempts, due at `now` (after fixing its cause,
    e.g. adding an active user to the organisation). The last error is kept until the next
    attempt."""
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound(Phrase("outbox message %(message)s not found", message=outbox_id))
    if row.status != OutboxStatus.FAILED:
        raise IllegalTransition(
            Phrase(
                "outbox message %(message)s is %(status)s: only a failed message can be requeued",
                message=outbox_id,
                status=row.status,
            )
        )
    row.status, row.attempts = OutboxStatus.PENDING, 0
    row.next_attempt_at, row.claimed_until = now, None
    session.add(row)
    session.flush()
    return row


def failed_messages(session: Session, *, pool_id: int | None = None) -> list[OutboxMessage]:
    """Messages delivery gave up on, oldest first, for an admin to inspect and requeue."""
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    if pool_id is not None:
        query = query.where(OutboxMessage.pool_id == pool_id)
    return list(session.exec(query.order_by(col(OutboxMessage.id))).all())
