"""Largest-remainder apportionment: integer parts that sum exactly to a whole.

Rounding every exact share half-up can over- or under-pay by a unit; flooring every share
and handing the leftover units to the largest remainders cannot. Ties are broken by the
stable key (contributor id, country code) in ascending order, so the result never depends
on input order.
"""

from __future__ import annotations

from collections.abc import Sequence


def remainder_order(remainders: Sequence[int], keys: Sequence[str]) -> list[int]:
    """Indices by descending remainder, ties by ascending key: who gets a leftover unit first."""
    return sorted(range(len(keys)), key=lambda i: (-remainders[i], keys[i]))


def apportion_exact(numerators: Sequence[int], denominator: int, keys: Sequence[str]) -> list[int]:
    """Round exact parts ``numerators[i] / denominator`` whose sum is an integer.

    Only parts with a positive remainder can receive a leftover unit, so a part that is
    exactly an integer (in particular zero) is never changed.
    """
    floors = [n // denominator for n in numerators]
    remainders = [n % denominator for n in numerators]
    leftover = sum(numerators) // denominator - sum(floors)
    for index in remainder_order(remainders, keys)[:leftover]:
        floors[index] += 1
    return floors


def apportion(total: int, weights: Sequence[int], keys: Sequence[str]) -> list[int]:
    """Split ``total`` minor units in proportion to non-negative integer ``weights``.

    With no weight at all there is nothing to split by, so every part is zero (callers only
    do this when ``total`` is zero too).
    """
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [0 for _ in weights]
    return apportion_exact([total * w for w in weights], weight_sum, keys)
