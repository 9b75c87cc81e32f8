"""Per-patent attribution: a contributor's line (one country bucket, one usage period) split
over the contributor's patents by the weights that made it.

A patent's weight in a bucket is what it added to its contributor's exact share
(:mod:`allocation.weights`):

- ``patent_count``: days in force within the usage period;
- ``grade_weighted``: days in force x the grade's points;
- ``tiered``: days in force x the tier's share / the days in force of all the bucket's
  patents of that tier (every contributor's), because each tier's money is split within the
  tier. The renormalisation over the tiers present in the bucket is common to every patent
  and cancels out.

Caps, floors and the controlled rounding of the contributor x country matrix change a
contributor's amount but not the proportions among its own patents, so the line is split by
these weights whatever its amount. The split is exact: largest remainder
(:func:`allocation.apportion.apportion`), leftover units to the largest remainders, ties by
patent id ascending; a negative line (a refund or a correction downwards) is the mirror of the
positive one, so taking back an amount takes back what paying it gave.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from math import lcm

from allocation.apportion import apportion
from allocation.errors import InvalidInput
from allocation.model import AllocationInput, Interval


@dataclass(frozen=True)
class PatentWeight:
    """One patent's part of its contributor's weight in one bucket (country, usage period)."""

    patent: str
    contributor: str
    days: int  # days in force (and in the pool) within the usage period
    factor: Fraction  # grade points (grade_weighted), the tier's share (tiered), else 1
    tier: str | None
    weight: Fraction  # see the module docstring


def days_in_force(in_force: tuple[Interval, ...] | None, start: date, end: date) -> int:
    """Days of ``[start, end)`` covered by the half-open intervals (``None``: all of them)."""
    if in_force is None:
        return (end - start).days
    days = 0
    for lo, hi in in_force:
        first = start if lo is None else max(lo, start)
        last = end if hi is None else min(hi, end)
        days += max((last - first).days, 0)
    return days


def patent_weights(
    inp: AllocationInput, country: str, start: date, end: date
) -> dict[str, tuple[PatentWeight, ...]]:
    """Every contributor's patents with a weight in the bucket ``country`` x ``[start, end)``,
    by contributor id, each contributor's patents in id order. Patents with no day in force
    in the period are left out."""
    tiered = inp.method == "tiered"
    days = {
        p.id: d
        for p in inp.patents
        if p.country == country and (d := days_in_force(p.in_force, start, end)) > 0
    }
    tier_days: dict[str, int] = defaultdict(int)
    for patent in inp.patents:
        if patent.id in days and tiered:
            tier_days[patent.tier or ""] += days[patent.id]
    out: dict[str, list[PatentWeight]] = defaultdict(list)
    for patent in sorted(inp.patents, key=lambda p: p.id):
        if patent.id not in days:
            continue
        factor, n = Fraction(1), days[patent.id]
        if inp.method == "grade_weighted":
            factor = Fraction(inp.grade_points[patent.grade or ""])
        weight = n * factor
        if tiered:
            tier = patent.tier or ""
            factor = Fraction(inp.tier_shares[tier])
            weight = n * factor / tier_days[tier]
        out[patent.contributor].append(
            PatentWeight(patent.id, patent.contributor, n, factor, patent.tier, weight)
        )
    return {contributor: tuple(patents) for contributor, patents in sorted(out.items())}


def split_line(amount_minor: int, weights: Sequence[PatentWeight]) -> list[int]:
    """``amount_minor`` split over ``weights`` (one contributor's patents in one bucket) in
    proportion to their weights, by largest remainder, ties by patent id: the parts sum
    exactly to the amount. A non-zero amount with no weight has nothing to be split by."""
    if not any(w.weight for w in weights):
        if amount_minor:
            raise InvalidInput("$.weights", "a non-zero line needs at least one patent weight")
        return [0 for _ in weights]
    common = lcm(*(w.weight.denominator for w in weights))
    integers = [int(w.weight * common) for w in weights]
    parts = apportion(abs(amount_minor), integers, [w.patent for w in weights])
    return parts if amount_minor >= 0 else [-part for part in parts]
