"""The hash-chained audit trail (`trail`: append, verify, list; re-exported here, so callers write
`audit.record(...)`) and the JSON-safe row snapshots it stores as before/after (`snapshot`). It
calls only `common`; every context that changes data calls it."""

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
    "Actor",
    "EventSpec",
    "event_hash",
    "flush_pending",
    "listing",
    "record",
    "record_many",
    "verify",
]
