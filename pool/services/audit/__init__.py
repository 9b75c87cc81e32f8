"""The hash-chained audit trail (`trail`: append, verify, list; re-exported here, so callers write
`audit.record(...)`), the JSON-safe row snapshots it stores as before/after (`snapshot`), and its
anchors: the audit key (`keys`), signed checkpoints and verification against them (`anchor`),
copies kept outside the database (`outside`) and key rotation (`rotation`). It calls only
`common`; every context that changes data calls it."""

from pool.services.audit.anchor import (
    HEAD_LINE,
    AnchorReport,
    Head,
    OutsideCopy,
    current_head,
    head_line,
    take_checkpoint,
)
from pool.services.audit.keys import KeyNotHeld, Keyring, keyring
from pool.services.audit.trail import (
    GENESIS_HASH,
    HASHED_FIELDS,
    Actor,
    EventSpec,
    event_hash,
    flush_pending,
    listing,
    record,
    record_many,
    verify,
)

__all__ = [
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "HEAD_LINE",
    "Actor",
    "AnchorReport",
    "EventSpec",
    "Head",
    "KeyNotHeld",
    "Keyring",
    "OutsideCopy",
    "current_head",
    "event_hash",
    "flush_pending",
    "head_line",
    "keyring",
    "listing",
    "record",
    "record_many",
    "take_checkpoint",
    "verify",
]
