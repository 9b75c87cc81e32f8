"""The hash-chained audit trail (`trail`: append, verify, list; re-exported here, so callers write
`audit.record(...)`), the JSON-safe row snapshots it stores as before/after (`snapshot`), the
money tables checked against it (`money`: the state a money row's events carry, `verify_money`)
and the adoption of money rows written before they were audited (`adoption`). It calls only
`common` and the models; every context that changes data calls it."""

from pool.services.audit.adoption import adopt
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

__all__ = [
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "Actor",
    "EventSpec",
    "MoneyVerification",
    "adopt",
    "event_hash",
    "flush_pending",
    "listing",
    "money_children",
    "money_digest",
    "money_state",
    "record",
    "record_many",
    "verify",
    "verify_money",
]
