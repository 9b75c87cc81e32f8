"""Exact money helpers: one half-even rounding, equal splits, calendar months."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.money import add_months, exact_product, normalized, round_half_even, split_equally


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (Decimal("2.5"), 1, 2),  # tie -> even
        (Decimal("3.5"), 1, 4),  # tie -> even
        (Decimal("2.5000001"), 1, 3),  # above the tie
        (Decimal("2.4999999"), 1, 2),  # below the tie
        (5, 2, 2),  # 2.5 as a ratio -> 2
        (7, 2, 4),  # 3.5 -> 4
        (10, 3, 3),  # 3.33.. -> 3
        (20, 3, 7),  # 6.66.. -> 7
        (Decimal("-2.5"), 1, -2),
        (Decimal("-2.6"), 1, -3),
        (Decimal("0.0000001"), 1, 0),
    ],
)
def test_round_half_even(numerator: Decimal | int, denominator: int, expected: int) -> None:
    assert round_half_even(numerator, denominator) == expected


def test_round_half_even_refuses_a_non_positive_denominator() -> None:
    with pytest.raises(ValueError, match="denominator"):
        round_half_even(1, 0)


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        (100, 3, (34, 33, 33)),  # the one leftover cent goes to the first part
        (10000, 3, (3334, 3333, 3333)),
        (2, 3, (1, 1, 0)),
        (0, 2, (0, 0)),
        (9, 1, (9,)),
        (11, 4, (3, 3, 3, 2)),
    ],
)
def test_split_equally(total: int, parts: int, expected: tuple[int, ...]) -> None:
    assert split_equally(total, parts) == expected


def test_split_equally_needs_a_part() -> None:
    with pytest.raises(ValueError, match="parts"):
        split_equally(10, 0)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # clamped to the leap-year month end
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 11, 30), 14, date(2026, 1, 30)),
        (date(2024, 4, 1), 0, date(2024, 4, 1)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_exact_product_does_not_round_at_28_digits() -> None:
    # 30 significant digits: the default context would round this
    factor = Decimal("0.123456789012345")
    product = exact_product(factor, factor)
    assert product == Decimal("0.015241578753238669120562399025")


def test_normalized_drops_trailing_zeros() -> None:
    assert str(normalized(Decimal("0.800"))) == "0.8"
