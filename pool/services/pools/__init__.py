"""Pools (`registry`: created and configured by administrators, re-exported here as
`pools.get(...)`, `pools.create(...)`), the payee licensees pay into (`payee`), contributor
memberships (`memberships`), every row kept as history, and the bounds of a date that moves
money (`money_dates`: not before the pool existed, not in the future). It calls `audit` and
`common`."""

from pool.services.pools.registry import (
    check_allocation,
    create,
    get,
    listing,
    update,
)

__all__ = [
    "check_allocation",
    "create",
    "get",
    "listing",
    "update",
]
