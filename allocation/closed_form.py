"""The exact closed form for lambda: a sweep over the breakpoints of the clip rule.

``g(lambda) = sum_i clip(lambda * ideal_i, floor_i, cap_i)`` is continuous, piecewise linear
and non-decreasing, so the smallest lambda with ``g(lambda) = D`` is found by walking its
breakpoints in order. It is the reference the LP path is tested against, and the fallback
when no LP solver gives a usable answer.
"""

from __future__ import annotations

from fractions import Fraction

from allocation.constraints import Bounds
from allocation.ideal import IdealSplit

_LEAVES_FLOOR = 0
_HITS_CAP = 1


def closed_form_lambda(bounds: Bounds, split: IdealSplit, distributable: int) -> Fraction:
    """Smallest lambda with ``g(lambda) = distributable`` (feasibility checked beforehand)."""
    den = split.denominator
    events: list[tuple[Fraction, int, int]] = []
    for index, (floor, cap, total) in enumerate(
        zip(bounds.floors, bounds.caps, split.totals, strict=True)
    ):
        if total:
            events.append((Fraction(floor * den, total), _LEAVES_FLOOR, index))
            if cap is not None:
                events.append((Fraction(cap * den, total), _HITS_CAP, index))
    events.sort()
    constant = Fraction(sum(bounds.floors))  # at lambda = 0 everyone sits on its floor
    slope = Fraction(0)
    current = Fraction(0)
    if constant >= distributable:
        return current
    for point, kind, index in events:
        if constant + slope * point >= distributable:
            break
        ideal = Fraction(split.totals[index], den)
        if kind == _LEAVES_FLOOR:
            constant -= bounds.floors[index]
            slope += ideal
        else:
            slope -= ideal
            constant += bounds.caps[index] or 0
        current = point
    return (distributable - constant) / slope if slope else current
