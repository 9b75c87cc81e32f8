"""Pools (`registry`: created and configured by administrators, re-exported here as
`pools.get(...)`, `pools.create(...)`) and contributor memberships (`memberships`), every row
kept as history. It calls `audit` and `common`."""

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
