"""The audit key: where it lives, its fingerprint, and which key signs now.

The key is `PATENTPOOL_AUDIT_KEY`, or else a random key generated once into
`<data dir>/audit_key` (mode 0600, first writer wins, like the cookie secret). It is never
logged and never stored in the database: checkpoints carry only its fingerprint, the first 16
hex digits of a domain-separated SHA-256 of it (which tells keys apart and reveals nothing
usable to sign).

A rotation (`rotation`) writes the new key to `<data dir>/audit_key.new` before it re-signs
the checkpoints, and renames it over `audit_key` after its transaction committed. So the
key ring holds the current key and, between those two steps, the pending one; the database
says which of them is in force: the newest `audit.key_rotated` event names the fingerprint
that signs from then on."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from pool.errors import Conflict
from pool.models.audit import AuditEvent
from pool.rendering import Phrase
from pool.settings import Settings, kept_secret

KEY_FILE = "audit_key"
PENDING_FILE = "audit_key.new"
ROTATED = "audit.key_rotated"


def fingerprint(secret: bytes) -> str:
    """Names a key without revealing it: 16 hex digits of SHA-256 over a fixed prefix and
    the key (the prefix keeps it apart from any other use of the same bytes)."""
    return hashlib.sha256(b"patentpool/audit-key-fingerprint/v1\0" + secret).hexdigest()[:16]


@dataclass(frozen=True)
class AuditKey:
    secret: bytes = field(repr=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.secret)


@dataclass(frozen=True)
class Keyring:
    """The keys this process holds: the configured one and, while a rotation is unfinished,
    the pending new one. `key_file` is None when the key comes from the environment."""

    current: AuditKey
    pending: AuditKey | None = None
    key_file: Path | None = None

    @classmethod
    def of(cls, secret: str | bytes) -> "Keyring":
        """A ring of one key (tests, a key given on the command line)."""
        return cls(AuditKey(secret.encode() if isinstance(secret, str) else secret))

    def find(self, key_fingerprint: str) -> AuditKey | None:
        for key in (self.current, self.pending):
            if key is not None and key.fingerprint == key_fingerprint:
                return key
        return None

    @property
    def pending_file(self) -> Path | None:
        return None if self.key_file is None else self.key_file.with_name(PENDING_FILE)


def keyring(settings: Settings) -> Keyring:
    """The audit key of this deployment (the setting, else the data-dir file, generated on
    first use) and a rotation's pending key if one was left half-way."""
    if settings.audit_key:
        return Keyring(AuditKey(settings.audit_key.encode()))
    path = settings.data_dir / KEY_FILE
    current = AuditKey(kept_secret(path).encode())
    pending_path = path.with_name(PENDING_FILE)
    pending = pending_path.read_text().strip() if pending_path.exists() else ""
    return Keyring(current, AuditKey(pending.encode()) if pending else None, key_file=path)


class KeyNotHeld(Conflict):
    """The database says another key signs now (a rotation this process did not see)."""


def in_force(session: Session) -> str | None:
    """The fingerprint the newest recorded rotation put in force, or None (never rotated)."""
    after = session.exec(
        select(AuditEvent.after)
        .where(AuditEvent.action == ROTATED)
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return None if not after else str(after.get("fingerprint"))


def signing_key(session: Session, ring: Keyring) -> AuditKey:
    """The key that signs a new checkpoint: the one the newest rotation put in force (the
    pending key if its rotation committed but the file was not renamed yet), else the
    current key. A process that holds neither refuses rather than sign with a stale key."""
    wanted = in_force(session)
    if wanted is None:
        return ring.current
    key = ring.find(wanted)
    if key is None:
        raise KeyNotHeld(
            Phrase(
                "the audit key was rotated to fingerprint %(wanted)s, "
                "but this process holds %(fingerprint)s: "
                "set PATENTPOOL_AUDIT_KEY to the new key and restart",
                wanted=wanted,
                fingerprint=ring.current.fingerprint,
            )
        )
    return key
