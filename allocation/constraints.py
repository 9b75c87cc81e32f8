"""Policy constraints: ``x_i = clip(lambda * ideal_i, floor_i, cap_i)`` with one ``lambda``.

Everything here is exact. A contributor's ideal amount is ``totals[i] / denominator``;
``lambda`` is a ``Fraction``; targets are returned as numerators over one common
denominator so that they can be apportioned to minor units by largest remainder.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from allocation.errors import Constraint, InfeasibleConstraints
from allocation.ideal import IdealSplit
from allocation.model import AllocationInput

CAP = "cap"
FLOOR = "floor"


@dataclass(frozen=True)
class Bounds:
    """Per contributor (in id order): floor and cap in minor units (``None``: no cap)."""

    ids: tuple[str, ...]
    floors: tuple[int, ...]
    caps: tuple[int | None, ...]


def bounds_for(inp: AllocationInput, ids: tuple[str, ...], distributable: int) -> Bounds:
    """Floors as given; caps are ``floor(max_share * distributable)``.

    The cap is rounded down because an integer amount may not exceed the share: a cap of
    25 % of 1,001 cents allows 250 cents, not 251.
    """
    by_id = {c.id: c for c in inp.contributors}
    caps: list[int | None] = []
    for ident in ids:
        share = by_id[ident].max_share
        caps.append(None if share is None else int(Fraction(share) * distributable))
    return Bounds(ids, tuple(by_id[i].min_amount_minor for i in ids), tuple(caps))


def check_feasible(bounds: Bounds, split: IdealSplit, distributable: int) -> None:
    """Raise :class:`InfeasibleConstraints` naming the constraints that cannot all hold."""
    for ident, floor, cap in zip(bounds.ids, bounds.floors, bounds.caps, strict=True):
        if cap is not None and floor > cap:
            raise InfeasibleConstraints(
                f"the floor of {ident} is above its cap",
                (Constraint(ident, FLOOR, floor), Constraint(ident, CAP, cap)),
            )
    if sum(bounds.floors) > distributable:
        raise InfeasibleConstraints(
            f"the floors sum to {sum(bounds.floors)}, more than the distributable "
            f"amount {distributable}",
            tuple(
                Constraint(i, FLOOR, f) for i, f in zip(bounds.ids, bounds.floors, strict=True) if f
            ),
        )
    most = 0
    for floor, cap, total in zip(bounds.floors, bounds.caps, split.totals, strict=True):
        if total and cap is None:
            return
        most += cap if total and cap is not None else floor
    if most < distributable:
        raise InfeasibleConstraints(
            f"the caps allow at most {most} of the distributable amount {distributable}",
            tuple(
                Constraint(i, CAP, c)
                for i, c, t in zip(bounds.ids, bounds.caps, split.totals, strict=True)
                if c is not None and t
            ),
        )


def unconstrained(bounds: Bounds, split: IdealSplit) -> bool:
    """True when every ideal amount already lies within its floor and cap (lambda = 1)."""
    den = split.denominator
    for floor, cap, total in zip(bounds.floors, bounds.caps, split.totals, strict=True):
        if floor * den > total or (cap is not None and cap * den < total):
            return False
    return True


def classify(bounds: Bounds, split: IdealSplit, lam: Fraction) -> tuple[str | None, ...]:
    """Which constraint binds for each contributor at ``lam`` (strictly: it changes x_i)."""
    p, q, den = lam.numerator, lam.denominator, split.denominator
    result: list[str | None] = []
    for floor, cap, total in zip(bounds.floors, bounds.caps, split.totals, strict=True):
        scaled = p * total
        if cap is not None and cap * den * q < scaled:
            result.append(CAP)
        elif floor * den * q > scaled:
            result.append(FLOOR)
        else:
            result.append(None)
    return tuple(result)


def lambda_for(
    bounds: Bounds, split: IdealSplit, binding: tuple[str | None, ...], distributable: int
) -> Fraction:
    """The lambda implied by a binding pattern: the money left after the bound
    contributors, over the ideal amounts of the free ones. With no free contributor, the
    smallest lambda that keeps every capped contributor at its cap (0 if none is capped)."""
    left = Fraction(distributable)
    free = 0
    smallest = Fraction(0)
    for kind, floor, cap, total in zip(
        binding, bounds.floors, bounds.caps, split.totals, strict=True
    ):
        if kind == CAP and cap is not None:
            left -= cap
            smallest = max(smallest, Fraction(cap * split.denominator, total))
        elif kind == FLOOR or not total:
            left -= floor
        else:
            free += total
    return left * split.denominator / free if free else smallest


def solves(bounds: Bounds, split: IdealSplit, lam: Fraction, distributable: int) -> bool:
    """Exact check of a candidate: the clipped parts sum to the distributable amount."""
    numerators, denominator = targets(bounds, split, lam)
    return sum(numerators) == distributable * denominator


def canonical(bounds: Bounds, split: IdealSplit, lam: Fraction) -> Fraction:
    """The smallest lambda giving the same amounts as ``lam``.

    Lambda is unique while some contributor is strictly between its bounds; when every
    contributor sits on a bound, any lambda in an interval works, and the smallest one is
    reported so that every solver path explains the run with the same number.
    """
    p, q, den = lam.numerator, lam.denominator, split.denominator
    smallest = Fraction(0)
    for floor, cap, total in zip(bounds.floors, bounds.caps, split.totals, strict=True):
        if not total:
            continue
        scaled = p * total
        above_floor = floor * den * q < scaled
        if above_floor and (cap is None or scaled < cap * den * q):
            return lam
        if cap is not None and scaled >= cap * den * q:
            smallest = max(smallest, Fraction(cap * den, total))
    return smallest


def targets(bounds: Bounds, split: IdealSplit, lam: Fraction) -> tuple[list[int], int]:
    """``clip(lam * ideal_i, floor_i, cap_i)`` as numerators over one common denominator."""
    p, q = lam.numerator, lam.denominator
    common = split.denominator * q
    numerators = []
    for floor, cap, total in zip(bounds.floors, bounds.caps, split.totals, strict=True):
        value = max(p * total, floor * common)
        if cap is not None:
            value = min(value, cap * common)
        numerators.append(value)
    return numerators, common
