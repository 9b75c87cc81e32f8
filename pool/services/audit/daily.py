"""The daily checkpoint: the chain's head signed and e-mailed to the auditors through the
outbox, so a copy lives where the database's users cannot reach it.

"The auditors" are every active user with the role `auditor` (they belong to no organisation,
so the message is addressed to the role) plus the outside addresses of
`PATENTPOOL_AUDIT_CHECKPOINT_TO`; both are read when the message is sent
(`pool.services.mail.composing.recipients_of`). One checkpoint and one e-mail per day: the
e-mail's dedupe key is the day, and a day that has its e-mail is left alone."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from pool.models.audit import AuditCheckpoint
from pool.models.outbox import OutboxMessage
from pool.models.user import Role, User
from pool.services.audit.anchor import head_line, take_checkpoint
from pool.services.audit.keys import Keyring

KIND = "audit_checkpoint"

SUBJECT = "Audit checkpoint {day}: event #{event_id}"
BODY = """\
This is the daily checkpoint of the patent pool's audit trail.

{line}

Taken {taken_at} (checkpoint {checkpoint_id}, signed with the audit key of fingerprint
{fingerprint}).

What it is: every change to money, patents, terms and membership is recorded in a
hash-chained audit trail. The line above is the chain's newest event and its hash at that
moment. Anyone who later deletes or rewrites a recorded event, even with full access to the
pool's database, cannot make the chain match this line again.

Please keep this e-mail outside the pool's systems. To check the trail against it, an
operator runs

  patentpool audit verify --checkpoint {event_id}:{head_hash}

or, for a folder of these e-mails (.eml) and statement documents,

  patentpool audit verify --checkpoints-from FOLDER

which exits 0 when the trail still holds this head, and 1 naming the place where it does not.
"""


def dedupe_key(day: date) -> str:
    return f"{KIND}:{day.isoformat()}"


@dataclass(frozen=True)
class Daily:
    checkpoint: AuditCheckpoint | None  # None: the day had its checkpoint e-mail already
    emailed: bool

    def __str__(self) -> str:
        if self.checkpoint is None:
            return "the day's checkpoint was taken and e-mailed already"
        where = "e-mailed to the auditors" if self.emailed else "not e-mailed (no auditor)"
        return (
            f"checkpoint {self.checkpoint.id}: event #{self.checkpoint.event_id}, "
            f"head {self.checkpoint.head_hash}; {where}"
        )


def has_auditors(session: Session, outside: tuple[str, ...]) -> bool:
    if outside:
        return True
    return (
        session.exec(
            select(User.id).where(User.role == Role.AUDITOR, col(User.is_active).is_(True))
        ).first()
        is not None
    )


def _checkpoint_today(session: Session, now: datetime) -> bool:
    midnight = datetime.combine(now.astimezone(UTC).date(), datetime.min.time(), tzinfo=UTC)
    found = session.exec(
        select(AuditCheckpoint.id).where(
            AuditCheckpoint.reason == "daily", col(AuditCheckpoint.taken_at) >= midnight
        )
    ).first()
    return found is not None


def daily_checkpoint(
    session: Session, *, keys: Keyring, day: date, now: datetime, outside: tuple[str, ...] = ()
) -> Daily:
    """Take the day's checkpoint and write its e-mail to the auditors, once per day: a day
    whose e-mail exists (or, with no auditor to write to, whose checkpoint exists) is left
    alone. Two workers racing both fail but one on the e-mail's unique dedupe key."""
    key = dedupe_key(day)
    if session.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)).first():
        return Daily(None, False)
    auditors = has_auditors(session, outside)
    if not auditors and _checkpoint_today(session, now):
        return Daily(None, False)
    checkpoint = take_checkpoint(session, keys=keys, now=now, reason="daily")
    if auditors:
        session.add(notice(checkpoint, day, now))
        session.flush()
    return Daily(checkpoint, auditors)


def notice(checkpoint: AuditCheckpoint, day: date, now: datetime) -> OutboxMessage:
    fields = {
        "day": day.isoformat(),
        "event_id": checkpoint.event_id,
        "head_hash": checkpoint.head_hash,
        "line": head_line(checkpoint.event_id, checkpoint.head_hash),
        "taken_at": checkpoint.taken_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "checkpoint_id": checkpoint.id,
        "fingerprint": checkpoint.key_fingerprint,
    }
    return OutboxMessage(
        kind=KIND,
        recipient_role=Role.AUDITOR,
        subject=SUBJECT.format(**fields),
        body=BODY.format(**fields),
        dedupe_key=dedupe_key(day),
        created_at=now,
    )
