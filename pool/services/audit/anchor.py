"""Signed checkpoints of the audit chain's head, and verification against them.

The hash chain alone proves nothing to someone who can write the database: they can delete
the newest events, or rewrite an event and recompute every later hash, and the chain still
links up. A checkpoint pins the head at a moment: (event id, its hash, when, why), signed with
HMAC-SHA256 under the audit key (`keys`), which lives outside the database.

What an attacker with write access to the database, but without the key, can and cannot do:

- They cannot make a checkpoint (no key), nor change one (the signature covers event id, head
  hash, time and reason); either fails `verify` as forged. Copying an old checkpoint adds
  nothing: it pins what it pinned.
- So they cannot rewrite or delete an event a surviving checkpoint covers: the event the
  checkpoint names must still exist with exactly that hash, and the chain links every earlier
  event to it. `verify` names the checkpoint and the event.
- They can change or delete events newer than the newest checkpoint: those are anchored only
  by the next checkpoint (the daily job, each statement batch). They can also delete the
  newest checkpoints together with the events after the ones that remain. That is what the
  outside copies are for: the head printed in every statement's documents and e-mailed to the
  auditors each day (`outside`). `verify --checkpoint` / `--checkpoints-from` checks those
  against the chain, and they need no key.
- They can delete every checkpoint: `verify` then says so (no checkpoint), and the outside
  copies still bind.

Whoever also holds the key (the data dir, or the environment) can re-sign anything: only the
outside copies then still bind. Hence: keep the key off the database host and rotate it when
someone who had it leaves (`rotation`)."""

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from sqlmodel import Session, col, func, select

from pool.errors import Conflict
from pool.models.audit import AuditCheckpoint, AuditEvent, AuditVerification
from pool.rendering import Phrase
from pool.services.audit import trail
from pool.services.audit.keys import AuditKey, Keyring, signing_key
from pool.services.audit.trail import GENESIS_HASH

REASONS = ("daily", "statements", "manual", "rotation")
HEAD_LINE = "Audit trail: event #{event_id}, head {head_hash}"
"""How a checkpoint is written where outsiders keep it (statement footers, e-mails); read
back by `outside.scan`."""


def canonical(event_id: int, head_hash: str, taken_at: datetime, reason: str) -> bytes:
    """The exact text a checkpoint's signature covers (seconds, UTC)."""
    at = taken_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"patentpool audit checkpoint v1\nevent {event_id}\nhead {head_hash}\n"
        f"taken_at {at}\nreason {reason}\n"
    ).encode()


def sign(key: AuditKey, event_id: int, head_hash: str, taken_at: datetime, reason: str) -> str:
    message = canonical(event_id, head_hash, taken_at, reason)
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def head_line(event_id: int, head_hash: str) -> str:
    return HEAD_LINE.format(event_id=event_id, head_hash=head_hash)


class Head(NamedTuple):
    """A head of the chain: the newest event's id and hash (0 and the genesis hash: empty)."""

    event_id: int
    head_hash: str


def current_head(session: Session) -> Head:
    """The newest committed event (or this transaction's): a true head of the chain, read
    without the lock (appends are serialised, so ids grow in commit order)."""
    return Head(*trail.head(session))


def take_checkpoint(
    session: Session, *, keys: Keyring, now: datetime, reason: str, pin: Head | None = None
) -> AuditCheckpoint:
    """Sign and store the chain's head now, in the caller's transaction. Events this
    transaction queued are chained first; the head is read under the chain lock, so no
    append is half-way. `pin` signs a head read earlier instead (statements rendered with it
    before the lock is taken, so that the lock stays the transaction's last and short one):
    it must still be in the chain with that hash."""
    if reason not in REASONS:
        raise ValueError(f"checkpoint reason must be one of {REASONS}, not {reason!r}")
    trail.flush_pending(session)
    trail.lock_chain(session)
    key = signing_key(session, keys)
    event_id, head_hash = pin or trail.head(session)
    if pin is not None and _hashes(session, [event_id]).get(event_id, GENESIS_HASH) != head_hash:
        raise Conflict(
            Phrase(
                "the audit chain has no event %(event_id)s with hash %(head_hash)s",
                event_id=event_id,
                head_hash=head_hash,
            )
        )
    taken_at = now.astimezone(UTC).replace(microsecond=0)
    checkpoint = AuditCheckpoint(
        taken_at=taken_at,
        event_id=event_id,
        head_hash=head_hash,
        key_fingerprint=key.fingerprint,
        signature=sign(key, event_id, head_hash, taken_at, reason),
        reason=reason,
    )
    session.add(checkpoint)
    session.flush()
    return checkpoint


def signature_problem(checkpoint: AuditCheckpoint, keys: Keyring) -> str | None:
    """Why the checkpoint's signature does not hold under our keys, or None."""
    key = keys.find(checkpoint.key_fingerprint)
    if key is None:
        return (
            f"signed with an unknown key (fingerprint {checkpoint.key_fingerprint}; this "
            f"service's key is {keys.current.fingerprint}): forged, or signed by another "
            "deployment's key"
        )
    expected = sign(
        key, checkpoint.event_id, checkpoint.head_hash, checkpoint.taken_at, checkpoint.reason
    )
    if not hmac.compare_digest(expected, checkpoint.signature):
        return "signature does not match its content: forged or altered"
    return None


@dataclass(frozen=True)
class OutsideCopy:
    """A head kept outside the database: (event id, hash) and where it was found."""

    event_id: int
    head_hash: str
    source: str


@dataclass
class AnchorReport:
    """The outcome of `verify`: the chain, then each checkpoint and outside copy."""

    chain: AuditVerification
    chain_end: int = 0  # the newest event's id (0: empty)
    checkpoints: int = 0
    held: int = 0  # checkpoints whose signature and pinned event hold
    newest: AuditCheckpoint | None = None  # the newest checkpoint that holds
    outside: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems


def _label(checkpoint: AuditCheckpoint) -> str:
    at = checkpoint.taken_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    return f"checkpoint {checkpoint.id} of {at} ({checkpoint.reason})"


def _checkpoints(session: Session, batch: int = 1000) -> Iterator[list[AuditCheckpoint]]:
    last_id = 0
    while True:
        rows = session.exec(
            select(AuditCheckpoint)
            .where(col(AuditCheckpoint.id) > last_id)
            .order_by(col(AuditCheckpoint.id))
            .limit(batch)
        ).all()
        if not rows:
            return
        yield list(rows)
        last_id = rows[-1].id or last_id


def _hashes(session: Session, event_ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted({i for i in event_ids if i > 0})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        rows = session.exec(
            select(AuditEvent.id, AuditEvent.hash).where(
                col(AuditEvent.id).in_(wanted[start : start + 500])
            )
        ).all()
        found.update({event_id: hash_ for event_id, hash_ in rows if event_id is not None})
    return found


def _pin_problem(
    event_id: int, head_hash: str, chain_end: int, hashes: dict[int, str], pinned: list[int]
) -> str | None:
    """Why (event id, hash) does not hold in today's chain, or None."""
    if event_id == 0:
        return None if head_hash == trail.GENESIS_HASH else "names event 0 with a non-genesis hash"
    if event_id > chain_end:
        return (
            f"covers event {event_id} but the chain ends at event {chain_end}: the newest "
            f"{event_id - chain_end} or more events were deleted"
        )
    if event_id not in hashes:
        return f"covers event {event_id}, which is missing from the chain (deleted)"
    if hashes[event_id] != head_hash:
        below = max((e for e in pinned if e < event_id), default=None)
        since = f"after event {below} (still pinned) and " if below else ""
        return (
            f"event {event_id} has hash {hashes[event_id][:16]}… but was signed as "
            f"{head_hash[:16]}…: the chain was rewritten {since}at or before event {event_id}"
        )
    return None


def verify(session: Session, *, keys: Keyring, outside: Iterable[OutsideCopy] = ()) -> AnchorReport:
    """The chain as `trail.verify` checks it, then every checkpoint (signature under our
    keys; the event it names still there with exactly that hash), then the outside copies.
    Streams the events and checkpoints in batches, so a large trail is fine."""
    report = AnchorReport(chain=trail.verify(session))
    report.chain_end = trail.head(session)[0]
    pinned: list[int] = []  # event ids of the checkpoints that hold, ascending by checkpoint
    for batch in _checkpoints(session):
        hashes = _hashes(session, (c.event_id for c in batch))
        for checkpoint in batch:
            report.checkpoints += 1
            problem = signature_problem(checkpoint, keys)
            if problem is None:
                problem = _pin_problem(
                    checkpoint.event_id, checkpoint.head_hash, report.chain_end, hashes, pinned
                )
            if problem is not None:
                report.problems.append(f"{_label(checkpoint)}: {problem}")
                continue
            pinned.append(checkpoint.event_id)
            report.held += 1
            if report.newest is None or checkpoint.event_id >= report.newest.event_id:
                report.newest = checkpoint
    copies = list(outside)
    hashes = _hashes(session, (c.event_id for c in copies))
    for copy in copies:
        report.outside += 1
        problem = _pin_problem(copy.event_id, copy.head_hash, report.chain_end, hashes, pinned)
        if problem is not None:
            report.problems.append(f"outside copy from {copy.source}: {problem}")
    return report


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditCheckpoint)).one()
