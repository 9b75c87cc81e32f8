"""Buckets and weights: which country a royalty line belongs to, and who shares in it.

A *slice* is the money of one country bucket for one usage period. Within a slice, a
patent's weight is ``days in force within the period / days in the period`` times the
method's factor; weights are kept as exact integers (``days x factor numerator``) because the
common denominator ``days x factor denominator`` cancels out of every share.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from allocation.errors import UnbucketableRoyalty
from allocation.model import AllocationInput, Interval

_NO_TIER = ""
_FAR_PAST = -(10**9)
_FAR_FUTURE = 10**9


@dataclass(frozen=True)
class TierWeights:
    """Weights of one tier in one slice (one pseudo-tier ``""`` when the method has none)."""

    tier: str
    share: Fraction
    weights: dict[int, int]  # contributor index -> days x factor numerator
    total: int


@dataclass(frozen=True)
class Slice:
    """Money received for one country and one usage period, and the weights that split it."""

    country: str
    start_ordinal: int
    end_ordinal: int
    amount_minor: int
    tiers: tuple[TierWeights, ...]
    factor_denominator: int

    @property
    def days(self) -> int:
        return self.end_ordinal - self.start_ordinal

    def shares(self) -> tuple[dict[int, int], int]:
        """Each contributor's exact share of the slice as ``numerator / denominator``.

        Tiers with no weight in this slice drop out and the remaining tier shares are
        renormalised, so the slice's money is always fully distributed.
        """
        present = [t for t in self.tiers if t.total > 0]
        common = lcm(*(t.share.denominator for t in present))
        scaled = [(t, t.share.numerator * (common // t.share.denominator)) for t in present]
        span = lcm(*(t.total for t in present))
        numerators: dict[int, int] = defaultdict(int)
        for tier, share in scaled:
            factor = share * (span // tier.total)
            for index, weight in tier.weights.items():
                numerators[index] += factor * weight
        return dict(numerators), sum(s for _, s in scaled) * span


@dataclass(frozen=True)
class _Holdings:
    """The patents of one country, field by field: contributor index, tier, factor
    numerator and in-force intervals as day ordinals (``None``: throughout).

    One list per field rather than one tuple per patent: an input can hold 100,000
    patents, and as many tuples make Python's cyclic garbage collector run far more often
    (full collections included) while the weights are computed."""

    contributors: list[int]
    tiers: list[str]
    factors: list[int]
    intervals: list[tuple[tuple[int, int], ...] | None]


class WeightBook:
    """Computes and caches the weights of every (country, usage period) asked for."""

    def __init__(self, inp: AllocationInput, index_of: dict[str, int]) -> None:
        factors, self.factor_denominator = _factor_numerators(inp)
        self._tier_shares = _tier_shares(inp)
        graded, tiered = inp.method == "grade_weighted", inp.method == "tiered"
        by_country: dict[str, _Holdings] = {}
        for patent in inp.patents:
            held = by_country.get(patent.country)
            if held is None:
                held = by_country[patent.country] = _Holdings([], [], [], [])
            held.contributors.append(index_of[patent.contributor])
            held.tiers.append((patent.tier or "") if tiered else _NO_TIER)
            held.factors.append(factors[(patent.grade or "") if graded else ""])
            held.intervals.append(None if patent.in_force is None else _ordinals(patent.in_force))
        self._by_country = by_country
        self._cache: dict[tuple[str, int, int], tuple[TierWeights, ...]] = {}

    def weights(self, country: str, start: int, end: int) -> tuple[TierWeights, ...]:
        """Per-tier weights of every contributor in ``country`` during ``[start, end)``."""
        key = (country, start, end)
        if key not in self._cache:
            per_tier: dict[str, dict[int, int]] = {t: {} for t in self._tier_shares}
            held = self._by_country.get(country, _NOTHING)
            for contributor, tier, factor, intervals in zip(
                held.contributors, held.tiers, held.factors, held.intervals, strict=True
            ):
                days = end - start if intervals is None else _days_in_force(intervals, start, end)
                if days:
                    bucket = per_tier[tier]
                    bucket[contributor] = bucket.get(contributor, 0) + days * factor
            self._cache[key] = tuple(
                TierWeights(
                    tier, share, dict(sorted(per_tier[tier].items())), sum(per_tier[tier].values())
                )
                for tier, share in sorted(self._tier_shares.items())
            )
        return self._cache[key]


_NOTHING = _Holdings([], [], [], [])


def _ordinals(in_force: tuple[Interval, ...]) -> tuple[tuple[int, int], ...]:
    return tuple(
        (
            _FAR_PAST if start is None else start.toordinal(),
            _FAR_FUTURE if end is None else end.toordinal(),
        )
        for start, end in in_force
    )


def _days_in_force(intervals: tuple[tuple[int, int], ...], start: int, end: int) -> int:
    days = 0
    for lo, hi in intervals:
        overlap = min(hi, end) - max(lo, start)
        if overlap > 0:
            days += overlap
    return days


def _factor_numerators(inp: AllocationInput) -> tuple[dict[str, int], int]:
    """Grade points as integers over one common denominator (points "1.5" and "1" -> 3, 2)."""
    if inp.method != "grade_weighted":
        return {"": 1}, 1
    points = {grade: Fraction(value) for grade, value in inp.grade_points.items()}
    denominator = lcm(*(p.denominator for p in points.values()))
    return {g: int(p * denominator) for g, p in points.items()}, denominator


def _tier_shares(inp: AllocationInput) -> dict[str, Fraction]:
    if inp.method != "tiered":
        return {_NO_TIER: Fraction(1)}
    return {tier: Fraction(share) for tier, share in inp.tier_shares.items()}


def build_slices(inp: AllocationInput, book: WeightBook) -> list[Slice]:
    """Attribute every royalty line to a country bucket and group lines into slices.

    The country of sale wins when a pool patent is in force there at some time in the usage
    period; otherwise the country of manufacture; otherwise the line is rejected.
    """
    amounts: dict[tuple[str, int, int], int] = defaultdict(int)
    for line in sorted(inp.royalties, key=lambda r: r.id):
        start, end = line.usage_start.toordinal(), line.usage_end.toordinal()
        for country in (line.country_of_sale, line.country_of_manufacture):
            if any(t.total for t in book.weights(country, start, end)):
                amounts[(country, start, end)] += line.amount_minor
                break
        else:
            raise UnbucketableRoyalty(line.id, line.country_of_sale, line.country_of_manufacture)
    return [
        Slice(
            country, start, end, amount, book.weights(country, start, end), book.factor_denominator
        )
        for (country, start, end), amount in sorted(amounts.items())
    ]
