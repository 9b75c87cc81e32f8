"""Inventor remuneration: the worked example to the cent, and properties on random inputs."""

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocation.remuneration import (
    STATUTORY_RATE,
    WHOLE_BP,
    RemunerationError,
    remunerate,
)


def test_three_inventors_at_50_30_20_of_the_statutory_ten_percent() -> None:
    """12,345.67 received: 10 % is 1,234.567, rounded half to even to 1,234.57; split 50/30/20
    the exact shares are 617.285, 370.371 and 246.914 (sum 1,234.57): floors 617.28, 370.37,
    246.91 leave one cent, which goes to the largest remainder (0.5 of a cent, the first)."""
    found = remunerate(1_234_567, STATUTORY_RATE, [5_000, 3_000, 2_000])
    assert found.total_minor == 123_457
    assert found.shares_minor == (61_729, 37_037, 24_691)


def test_half_a_cent_rounds_to_even() -> None:
    assert remunerate(25, Decimal("0.10"), [WHOLE_BP]).total_minor == 2  # 2.5 -> 2
    assert remunerate(35, Decimal("0.10"), [WHOLE_BP]).total_minor == 4  # 3.5 -> 4


def test_a_tie_goes_to_the_inventor_listed_first() -> None:
    assert remunerate(1_000, Decimal("0.001"), [5_000, 5_000]).shares_minor == (1, 0)


@pytest.mark.parametrize(
    ("received", "rate", "shares"),
    [
        (-1, STATUTORY_RATE, [WHOLE_BP]),
        (100, Decimal("1.5"), [WHOLE_BP]),
        (100, Decimal("-0.1"), [WHOLE_BP]),
        (100, STATUTORY_RATE, []),
        (100, STATUTORY_RATE, [5_000, 4_000]),
        (100, STATUTORY_RATE, [11_000, -1_000]),
    ],
)
def test_inputs_no_remuneration_comes_from_are_refused(
    received: int, rate: Decimal, shares: list[int]
) -> None:
    with pytest.raises(RemunerationError):
        remunerate(received, rate, shares)


@st.composite
def shares(draw: st.DrawFn) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(0, WHOLE_BP), max_size=7)))
    edges = [0, *cuts, WHOLE_BP]
    return [b - a for a, b in pairwise(edges)]


@given(
    received=st.integers(0, 10**13),
    rate=st.decimals(0, 1, places=4),
    split=shares(),
)
def test_the_inventors_amounts_add_up_to_the_rounded_total(
    received: int, rate: Decimal, split: list[int]
) -> None:
    found = remunerate(received, rate, split)
    assert sum(found.shares_minor) == found.total_minor
    assert abs(found.total_minor - received * rate) <= Decimal("0.5")
    for part, share in zip(found.shares_minor, split, strict=True):
        assert part >= 0
        assert abs(part - Decimal(found.total_minor * share) / WHOLE_BP) < 1
    assert found == remunerate(received, rate, split)  # deterministic
