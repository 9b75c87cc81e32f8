"""Exact money arithmetic: Decimal products, one half-even rounding, equal splits, month steps.

A royalty line is computed exactly and rounded once, to the minor unit, half to even. Rounding
intermediate results (per unit, per discount) would let the same report give different cents
depending on how it was split, so nothing here rounds until the very end.
"""

import calendar
from datetime import date
from decimal import Context, Decimal, Inexact, InvalidOperation

_EXACT = Context(prec=400, traps=[Inexact, InvalidOperation])
"""Inputs are bounded (see `contracts.base`), so 400 digits always hold a product exactly;
`Inexact` is trapped so that, if that ever stopped being true, we would fail, not round."""


def exact_product(*factors: Decimal | int) -> Decimal:
    """Multiply exactly (no silent rounding by the default 28-digit context), normalized.

    The operations are asked of `_EXACT` directly rather than inside ``localcontext``: the
    result is the same, without entering a context for each of the 100,000 products of a large
    report. Only the traps matter here (no flag is ever read), so sharing the context is safe.
    """
    result = Decimal(1)
    for factor in factors:
        result = _EXACT.multiply(result, factor)
    return result.normalize(_EXACT)


def normalized(value: Decimal) -> Decimal:
    """`value` without trailing zeros ("0.80" -> "0.8"), exactly."""
    return value.normalize(_EXACT)


def round_half_even(numerator: Decimal | int, denominator: int = 1) -> int:
    """Round ``numerator / denominator`` to an integer, half to even, exactly.

    The division is done on integers (the exact ratio of the Decimal), so a quotient such as
    ``net_sales * units_charged / units`` is rounded once, from its exact value.
    """
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    top, bottom = Decimal(numerator).as_integer_ratio()
    bottom *= denominator
    quotient, remainder = divmod(top, bottom)
    twice = 2 * remainder
    if twice > bottom or (twice == bottom and quotient % 2 == 1):
        quotient += 1
    return quotient


def split_equally(total: int, parts: int) -> tuple[int, ...]:
    """Split `total` minor units into `parts` integers that sum exactly to `total`.

    Largest remainder: every part gets ``total // parts``; the ``total % parts`` leftover units
    all have the same remainder, so the tie is broken by order: the earliest parts get one more.
    """
    if parts < 1:
        raise ValueError("parts must be at least 1")
    base, leftover = divmod(total, parts)
    return tuple(base + 1 if index < leftover else base for index in range(parts))


def add_months(day: date, months: int) -> date:
    """Move `day` by `months` calendar months, clamping to the month's last day (Jan 31 + 1 =
    Feb 28 or 29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
