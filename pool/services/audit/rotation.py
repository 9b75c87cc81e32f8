"""Rotating the audit key: every checkpoint re-signed under a new key, in one transaction.

The steps, and what a process that dies between them leaves:

1. `prepare`: the new key is written to `<data dir>/audit_key.new` (mode 0600). Dies here:
   the database is untouched and nothing signs with the new key (no rotation is recorded),
   so the old key still verifies everything; the next rotation discards the file (`settle`).
2. `resign`, one transaction: every checkpoint's signature is checked under the old key
   (refused if one fails) and replaced by one under the new key; the event `audit.key_rotated`
   records both fingerprints (never a key), and a `rotation` checkpoint pins that event. Dies
   before the commit: as after step 1. After it: the database says the new key is in force,
   and every process that reads the key (`keys.keyring`) holds it as the pending key, so
   checkpoints verify and new ones are signed with it.
3. `install`: `audit_key.new` is renamed over `audit_key` (atomic). Dies before: as after the
   commit of step 2; the next rotation (or `settle`) renames it.

With the key in `PATENTPOOL_AUDIT_KEY` there is no file to move: the new key comes from a
file the operator made, and the operator must put it in `PATENTPOOL_AUDIT_KEY` on every
instance. Until they do, instances with the old key refuse to take checkpoints
(`keys.KeyNotHeld`) and `verify` names the unknown fingerprint; nothing is signed with a stale
key. Rotations are serialised by a lock file in the data dir (`rotation_lock`)."""

import fcntl
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from pool.errors import Conflict
from pool.models.audit import AuditCheckpoint
from pool.rendering import Phrase
from pool.services.audit import trail
from pool.services.audit.anchor import sign, signature_problem, take_checkpoint
from pool.services.audit.keys import ROTATED, AuditKey, Keyring, in_force
from pool.settings import MIN_AUDIT_KEY_CHARS, move_secret, write_secret

ROTATION_LOCK = "audit_key.lock"


@contextmanager
def rotation_lock(data_dir: Path) -> Iterator[None]:
    """One rotation at a time on this machine (an exclusive `flock`, released on exit)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / ROTATION_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict("another audit key rotation is running") from None
        yield
    finally:
        os.close(fd)


def settle(session: Session, ring: Keyring) -> str | None:
    """Finish or undo a rotation that stopped between its steps (data-dir keys only): the
    pending key is installed if the database put it in force, else discarded. Says what it
    did, or None if there was nothing to do. Call it under `rotation_lock`."""
    pending_file = ring.pending_file
    if ring.pending is None or pending_file is None or ring.key_file is None:
        return None
    if in_force(session) == ring.pending.fingerprint:
        move_secret(pending_file, ring.key_file)
        return f"finished an interrupted rotation: key {ring.pending.fingerprint} installed"
    pending_file.unlink()
    return f"discarded the key of a rotation that never committed ({ring.pending.fingerprint})"


def new_secret(given: str | None, ring: Keyring) -> str:
    """The new key: the one given (a file's content), else a random one."""
    secret = (given or "").strip() or secrets.token_hex(32)
    if len(secret) < MIN_AUDIT_KEY_CHARS:
        raise Conflict(
            Phrase(
                "the new audit key must be at least %(count)s characters",
                count=MIN_AUDIT_KEY_CHARS,
            )
        )
    if AuditKey(secret.encode()).fingerprint == ring.current.fingerprint:
        raise Conflict("the new audit key is the current one")
    return secret


def prepare(ring: Keyring, secret: str) -> Keyring:
    """Step 1: keep the new key where a restart finds it (data-dir keys), before anything in
    the database depends on it. The returned ring holds both keys."""
    if ring.pending_file is not None:
        write_secret(ring.pending_file, secret)
    return Keyring(ring.current, AuditKey(secret.encode()), key_file=ring.key_file)


@dataclass(frozen=True)
class Rotated:
    old_fingerprint: str
    new_fingerprint: str
    resigned: int
    checkpoint_id: int


def resign(session: Session, *, ring: Keyring, actor: trail.Actor, now: datetime) -> Rotated:
    """Step 2, in the caller's transaction: re-sign every checkpoint under `ring.pending`,
    record the rotation, pin it with a checkpoint. Refuses if any checkpoint does not verify
    under the keys held (the caller verified the whole trail first; this re-checks what it
    signs, under the chain lock, so nothing slips in between)."""
    new = ring.pending
    if new is None:
        raise ValueError("resign needs the new key as the ring's pending key")
    trail.lock_chain(session)
    old = in_force(session) or ring.current.fingerprint
    resigned, last_id = 0, 0
    while batch := session.exec(
        select(AuditCheckpoint)
        .where(col(AuditCheckpoint.id) > last_id)
        .order_by(col(AuditCheckpoint.id))
        .limit(1000)
    ).all():
        for checkpoint in batch:
            if (problem := signature_problem(checkpoint, ring)) is not None:
                raise Conflict(
                    Phrase(
                        "checkpoint %(checkpoint)s: %(problem)s; nothing was re-signed",
                        checkpoint=checkpoint.id,
                        problem=problem,
                    )
                )
            checkpoint.key_fingerprint = new.fingerprint
            checkpoint.signature = sign(
                new, checkpoint.event_id, checkpoint.head_hash, checkpoint.taken_at,
                checkpoint.reason,
            )  # fmt: skip
            session.add(checkpoint)
            resigned += 1
        session.flush()
        last_id = batch[-1].id or last_id
    trail.record(
        session,
        actor=actor,
        action=ROTATED,
        entity_type="audit_key",
        entity_id=new.fingerprint,
        before={"fingerprint": old},
        after={"fingerprint": new.fingerprint, "checkpoints_resigned": resigned},
        now=now,
    )
    pinned = take_checkpoint(session, keys=ring, now=now, reason="rotation")
    return Rotated(old, new.fingerprint, resigned, pinned.id or 0)


def install(ring: Keyring) -> None:
    """Step 3: the pending key becomes the key file (atomic rename)."""
    if ring.pending is None or ring.key_file is None or ring.pending_file is None:
        return
    move_secret(ring.pending_file, ring.key_file)
