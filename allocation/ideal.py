"""The exact (rational) ideal split: each contributor's share of each country's money.

Country amounts come first: the distributable amount is apportioned over countries by the
money received in each (largest remainder). Within a country, each slice's part of the
country amount is split by the contributors' shares of the slice. Everything stays exact:
a column (country) keeps one integer denominator, and row totals one common denominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd, lcm

from allocation.apportion import apportion
from allocation.weights import Slice


@dataclass(frozen=True)
class Column:
    """One country: its amount and each contributor's exact part ``cells[i] / denominator``."""

    country: str
    amount_minor: int
    received_minor: int
    denominator: int
    cells: dict[int, int]


@dataclass(frozen=True)
class IdealSplit:
    """The exact ideal matrix and row totals (``totals[i] / denominator``)."""

    columns: tuple[Column, ...]
    totals: tuple[int, ...]
    denominator: int


def ideal_split(slices: list[Slice], distributable: int, contributors: int) -> IdealSplit:
    """Build the exact contributor x country matrix of ideal amounts."""
    received: dict[str, int] = {}
    for piece in slices:
        received[piece.country] = received.get(piece.country, 0) + piece.amount_minor
    countries = sorted(received)
    amounts = apportion(distributable, [received[c] for c in countries], countries)
    columns = tuple(
        _column(c, amount, received[c], [s for s in slices if s.country == c])
        for c, amount in zip(countries, amounts, strict=True)
    )
    denominator = lcm(*(col.denominator for col in columns))
    totals = [0] * contributors
    for col in columns:
        scale = denominator // col.denominator
        for index, numerator in col.cells.items():
            totals[index] += numerator * scale
    return IdealSplit(columns, tuple(totals), denominator)


def _column(country: str, amount: int, received: int, slices: list[Slice]) -> Column:
    """Country ``amount`` split over slices by money received, then by contributor shares."""
    parts = [(s.amount_minor, *s.shares()) for s in slices if s.amount_minor and amount]
    span = lcm(*(den for _, _, den in parts))
    cells: dict[int, int] = {}
    for money, numerators, den in parts:
        factor = amount * money * (span // den)
        for index, numerator in numerators.items():
            cells[index] = cells.get(index, 0) + factor * numerator
    denominator = received * span if parts else 1
    common = gcd(denominator, *cells.values())
    return Column(
        country,
        amount,
        received,
        denominator // common,
        {i: n // common for i, n in cells.items()},
    )
