"""The contributor x country matrix in minor units: rows sum to contributor totals,
columns to country amounts, every cell within one minor unit of its exact value.

Unconstrained pools (lambda = 1) need one controlled rounding of the exact ideal matrix;
its row totals are the largest-remainder amounts, except in the rare case (sub-unit
amounts) where that would make the country lines impossible, and then the leftover unit
goes to the next contributor in largest-remainder order.

When a cap or floor binds, money moves between contributors in a second, integer step.
Each contributor whose (largest-remainder) amount is below its unconstrained amount gives
the difference out of its countries in proportion to its unconstrained country amounts;
the money given, per country, is shared among the contributors whose amount is above
their unconstrained one, each in proportion to the given money's country mix. A cell's
exact value is then the rational amount before this last rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import compress, repeat
from operator import floordiv, mod, mul, sub

from allocation.apportion import apportion, remainder_order
from allocation.ideal import IdealSplit
from allocation.rounding import round_up_cells

_KEY_BITS = 64


@dataclass(frozen=True)
class Transfer:
    """What the second step moved (for exact cell values and explanations)."""

    unconstrained: list[dict[int, int]]
    pool: list[int]  # money given, per column
    gains: dict[int, int]  # receiver row -> units received


@dataclass(frozen=True)
class Matrix:
    """Integer amounts: row totals and the cells of each row (column index -> amount)."""

    totals: list[int]
    # row -> column -> amount, in column order, for cells with a non-zero exact value
    cells: list[dict[int, int]]
    transfer: Transfer | None = field(default=None)


def round_ideal(split: IdealSplit, ids: tuple[str, ...], distributable: int) -> Matrix:
    """Controlled rounding of the exact ideal matrix (lambda = 1)."""
    base: list[dict[int, int]] = [{} for _ in ids]
    keys: list[dict[int, int]] = [{} for _ in ids]  # fractional cells: column -> remainder key
    col_need = []
    for c, column in enumerate(split.columns):
        den = column.denominator
        parts = [divmod(n, den) for n in column.cells.values()]
        col_need.append(column.amount_minor - sum(whole for whole, _ in parts))
        for row, (whole, rest) in zip(column.cells, parts, strict=True):
            base[row][c] = whole
            if rest:  # remainders of different columns compare through a 64-bit key
                keys[row][c] = (rest << _KEY_BITS) // den
    floors = [t // split.denominator for t in split.totals]
    remainders = [t % split.denominator for t in split.totals]
    row_need = [f - sum(b.values()) for f, b in zip(floors, base, strict=True)]
    optional = [r for r in remainder_order(remainders, ids) if remainders[r]]
    ups, accepted = round_up_cells(
        [sorted(k, key=k.__getitem__, reverse=True) for k in keys],
        row_need,
        col_need,
        optional,
        distributable - sum(floors),
    )
    for row, cols in enumerate(ups):
        cells = base[row]
        for c in cols:
            cells[c] += 1
    return Matrix([f + (r in accepted) for r, f in enumerate(floors)], base)


def transfer(unconstrained: Matrix, totals: list[int], countries: tuple[str, ...]) -> Matrix:
    """Move whole units from contributors below their unconstrained amount to those above."""
    cells = [dict(row) for row in unconstrained.cells]
    pool = [0] * len(countries)
    gains: dict[int, int] = {}
    for row, (before, after) in enumerate(zip(unconstrained.totals, totals, strict=True)):
        if after < before:
            cols = sorted(c for c, v in cells[row].items() if v)
            given = apportion(
                before - after, [cells[row][c] for c in cols], [countries[c] for c in cols]
            )
            for c, units in zip(cols, given, strict=True):
                cells[row][c] -= units
                pool[c] += units
        elif after > before:
            gains[row] = after - before
    _share_pool(cells, pool, gains)
    return Matrix(totals, cells, Transfer(unconstrained.cells, pool, gains))


def _share_pool(cells: list[dict[int, int]], pool: list[int], gains: dict[int, int]) -> None:
    """Receivers get ``gain x pool_c / sum(pool)`` in each column, controlled-rounded.

    All these exact values share the denominator ``sum(pool)``, so remainders compare as
    plain integers. The gains add up to ``sum(pool)`` (the money given is the money
    received), so a column's remainders add up to exactly ``pool_c`` minus its whole units
    (times the denominator): the number of units the column still needs. Receivers with the
    same gain share one computed row (see :func:`_pool_row`).
    """
    total = sum(pool)
    rows: dict[int, tuple[tuple[int, ...], tuple[int, ...], int]] = {}
    for gain in gains.values():
        if gain not in rows:
            rows[gain] = _pool_row(pool, gain, total)
    receivers = sorted(gains)
    shared = [rows[gains[row]] for row in receivers]
    # whole units per column, summed over the receivers (a row of zeros keeps every column)
    wholes = zip([0] * len(pool), *(row_wholes for row_wholes, _, _ in shared), strict=True)
    ups, _ = round_up_cells(
        [preferred for _, preferred, _ in shared],
        [need for _, _, need in shared],
        list(map(sub, pool, map(sum, wholes))),
    )
    columns = range(len(pool))
    given = {c for c in columns if pool[c]}
    for row, (row_wholes, _, _), up in zip(receivers, shared, ups, strict=True):
        before = cells[row]
        amounts = list(row_wholes)
        for c, amount in before.items():
            amounts[c] += amount
        for c in up:
            amounts[c] += 1
        if before.keys() <= given:
            cells[row] = dict(compress(zip(columns, amounts, strict=True), pool))
        else:  # a cell in a country where nothing was given (its pool part is 0)
            cells[row] = {c: amounts[c] for c in columns if c in given or c in before}


def _pool_row(
    pool: list[int], gain: int, total: int
) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """One receiver's share ``gain x pool_c / total``: whole units per column (0 where
    nothing was given), the columns with a remainder by largest remainder (ties by column:
    a stable sort) and the units still needed; C-level ``map`` calls over the columns."""
    products = list(map(mul, pool, repeat(gain)))
    rests = list(map(mod, products, repeat(total)))
    preferred = sorted(compress(range(len(pool)), rests), key=rests.__getitem__, reverse=True)
    wholes = tuple(map(floordiv, products, repeat(total)))
    return wholes, tuple(preferred), gain - sum(wholes)


def exact_cell(split: IdealSplit, matrix: Matrix, row: int, col: int) -> Fraction:
    """The exact value a cell of ``matrix`` was rounded from (see the module docstring)."""
    column = split.columns[col]
    ideal = Fraction(column.cells.get(row, 0), column.denominator)
    moved = matrix.transfer
    if moved is None:
        return ideal
    before = moved.unconstrained[row].get(col, 0)
    before_total = sum(moved.unconstrained[row].values())
    after_total = matrix.totals[row]
    if after_total < before_total:
        return Fraction(after_total * before, before_total)
    pool_total = sum(moved.pool)
    gain = moved.gains.get(row, 0)
    return before + (Fraction(gain * moved.pool[col], pool_total) if gain else Fraction(0))
