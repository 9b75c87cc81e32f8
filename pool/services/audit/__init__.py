"""The hash-chained audit trail (`trail`: append, verify, list; re-exported here, so callers write
`audit.record(...)`), the JSON-safe row snapshots it stores as before/after (`snapshot`), its
anchors: the audit key (`keys`), signed checkpoints and verification against them (`anchor`),
copies kept outside the database (`outside`) and key rotation (`rotation`); the money tables
checked against it (`money`: the state a money row's events carry, `verify_money`) and the
adoption of money rows written before they were audited (`adoption`); the administrator's
filtered, paged list of events (`trail_lists`). It calls only `common`, `mail` and the models;
every context that changes data calls it."""

from pool.services.audit.adoption import adopt
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
from pool.services.audit.money import MoneyVerification, verify_money
from pool.services.audit.money_tables import children_state as money_children
from pool.services.audit.money_tables import digest as money_digest
from pool.services.audit.money_tables import state as money_state
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
from pool.services.audit.verification import verify_everything

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
    "MoneyVerification",
    "OutsideCopy",
    "adopt",
    "current_head",
    "event_hash",
    "flush_pending",
    "head_line",
    "keyring",
    "listing",
    "money_children",
    "money_digest",
    "money_state",
    "record",
    "record_many",
    "take_checkpoint",
    "verify",
    "verify_everything",
    "verify_money",
]
