"""One usage period's money split among its contributors by `allocation`, within the
members' caps and floors: caps and floors that cannot all hold fail the period close (409)."""

from hashlib import sha256

import allocation
from pool.errors import Conflict
from pool.models.pool import Pool
from pool.rendering import Phrase
from pool.services.distribution.cash import UsagePeriod
from pool.services.distribution.inputs import PoolPatent, allocation_input, organisation_of
from pool.services.distribution.periods import LineKey
from pool.services.pools import member_bounds


def split_period(
    pool: Pool,
    patents: list[PoolPatent],
    period: UsagePeriod,
    buckets: dict[tuple[str, str], int],
    bounds: dict[int, member_bounds.Bound],
) -> tuple[dict[LineKey, int], int, dict[str, int], tuple[str, str, str], dict[str, str]]:
    """The cumulative split of one usage period: lines, fee, country totals, run info, and
    the caps and floors that bound (organisation id -> "cap" or "floor")."""
    if not buckets:  # everything received for it was given back
        return {}, 0, {}, (sha256(b"").hexdigest(), "none", "nothing to allocate"), {}
    try:
        result = allocation.allocate(allocation_input(pool, patents, period, buckets, bounds))
    except allocation.InfeasibleConstraints as error:
        raise Conflict(
            Phrase(
                "the usage period %(first)s..%(last)s cannot be split within the members' caps "
                "and floors: %(error)s",
                first=period[0],
                last=period[1],
                error=error,
            )
        ) from error
    lines = {
        (period, organisation_of(c.id), country): amount
        for c in result.contributors
        for country, amount in c.by_country.items()
    }
    info = (result.run.input_sha256, result.run.solver, result.run.status)
    binding = {
        str(organisation_of(ident)): kind
        for ident, kind in zip(result.trace.bounds.ids, result.trace.binding, strict=True)
        if kind is not None
    }
    return lines, result.admin_fee_minor, dict(result.countries), info, binding
