"""Per-patent attribution (allocation.per_patent): worked examples to the cent, and the
invariants on random pools (every line splits exactly, deterministically, never below zero)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from alloc_strategies import pools
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation import AllocationInput, Contributor, InvalidInput, Patent, RoyaltyLine, allocate
from allocation.per_patent import PatentWeight, days_in_force, patent_weights, split_line

Q1 = (date(2025, 1, 1), date(2025, 4, 1))  # 90 days


def _pool(method: str, patents: list[Patent], country: str, amount: int) -> AllocationInput:
    return AllocationInput(
        "CNY",
        Decimal("0.10"),
        method,
        (Contributor("U"), Contributor("X")),
        tuple(patents),
        (RoyaltyLine("L1", *Q1, country, country, amount),),
        grade_points={"A": Decimal(3), "B": Decimal(2), "C": Decimal(1)},
        tier_shares={"1": Decimal("0.5"), "2": Decimal("0.35"), "3": Decimal("0.15")},
    )


def _split(inp: AllocationInput, contributor: str, country: str) -> dict[str, int]:
    result = allocate(inp)
    line = next(c for c in result.contributors if c.id == contributor).by_country[country]
    weights = patent_weights(inp, country, *Q1)[contributor]
    return dict(zip((w.patent for w in weights), split_line(line, weights), strict=True))


def test_grade_weighted_example_with_a_patent_expiring_mid_quarter() -> None:
    # CN, Q1 2025 (90 days), points A=3 B=2 C=1. U: P1 (A, 90 days) 270, P2 (B, expires
    # 15 Feb: 45 days) 90, P3 (C, 90 days) 90 = 450; X: P4 (A) 270. Received 10,000.03,
    # fee 10 % = 1,000.003 -> 1,000.00, distributable 9,000.03: U 900,003 x 450/720 =
    # 562,501.875, X 337,501.125 -> the leftover cent to U: 562,502.
    # U's line over its patents: P1 562,502 x 270/450 = 337,501.2, P2 and P3 x 90/450 =
    # 112,500.4 each; the leftover cent goes to the larger remainder, P2 and P3 tie, P2 has
    # the smaller id: 337,501 + 112,501 + 112,500 = 562,502.
    inp = _pool(
        "grade_weighted",
        [
            Patent("P1", "U", "CN", "A"),
            Patent("P2", "U", "CN", "B", in_force=((date(2020, 1, 1), date(2025, 2, 15)),)),
            Patent("P3", "U", "CN", "C"),
            Patent("P4", "X", "CN", "A"),
        ],
        "CN",
        1_000_003,
    )
    weights = patent_weights(inp, "CN", *Q1)["U"]
    assert [(w.days, w.factor, w.weight) for w in weights] == [
        (90, 3, 270),
        (45, 2, 90),
        (90, 1, 90),
    ]
    assert _split(inp, "U", "CN") == {"P1": 337_501, "P2": 112_501, "P3": 112_500}


def test_tiered_example_with_a_patent_expiring_mid_quarter() -> None:
    # DE, Q1 2025, tiers 1: 50 %, 2: 35 %, 3: 15 % (no tier-3 patent: the two others share
    # the money 50 : 35). Tier 1: U's T1 and X's X1, 90 days each; tier 2: U's T2 until
    # 2 March (60 days) and X's X2 (90). Received 10,000.00, fee 1,000.00, distributable
    # 900,000: U (0.5 x 90/180 + 0.35 x 60/150) / 0.85 = 0.39/0.85 -> 412,941.18,
    # X 0.46/0.85 -> 487,058.82; the leftover cent to X: U 412,941.
    # U's line: T1 weight 90 x 0.5/180 = 1/4, T2 60 x 0.35/150 = 7/50; T1 412,941 x 25/39 =
    # 264,705.77, T2 x 14/39 = 148,235.23 -> the leftover cent to T1: 264,706 + 148,235.
    inp = _pool(
        "tiered",
        [
            Patent("T1", "U", "DE", tier="1"),
            Patent("T2", "U", "DE", tier="2", in_force=((None, date(2025, 3, 2)),)),
            Patent("X1", "X", "DE", tier="1"),
            Patent("X2", "X", "DE", tier="2"),
        ],
        "DE",
        1_000_000,
    )
    weights = patent_weights(inp, "DE", *Q1)["U"]
    assert [(w.days, w.weight) for w in weights] == [(90, Fraction(1, 4)), (60, Fraction(7, 50))]
    assert _split(inp, "U", "DE") == {"T1": 264_706, "T2": 148_235}


def test_patent_count_weighs_days_only_and_leaves_out_patents_not_in_force() -> None:
    inp = _pool(
        "patent_count",
        [
            Patent("A", "U", "US", "A"),
            Patent("B", "U", "US", "C", in_force=((date(2025, 3, 1), None),)),  # 31 days
            Patent("C", "U", "US", in_force=((date(2024, 1, 1), date(2025, 1, 1)),)),  # none
            Patent("D", "U", "JP"),
        ],
        "US",
        100,
    )
    weights = patent_weights(inp, "US", *Q1)
    assert [(w.patent, w.weight) for w in weights["U"]] == [("A", 90), ("B", 31)]
    assert split_line(-1000, weights["U"]) == [-744, -256]  # 743.8 and 256.2, mirrored


def test_split_line_without_weight() -> None:
    nothing = [PatentWeight("A", "U", 0, Fraction(1), None, Fraction(0))]
    assert split_line(0, nothing) == [0]
    assert split_line(0, []) == []
    with pytest.raises(InvalidInput, match="needs at least one patent weight"):
        split_line(1, nothing)


def test_days_in_force_of_several_intervals() -> None:
    intervals = ((date(2024, 12, 1), date(2025, 1, 11)), (date(2025, 3, 22), None))
    assert days_in_force(intervals, *Q1) == 10 + 10
    assert days_in_force(None, *Q1) == 90


@settings(max_examples=150, deadline=None)
@given(pools(constrained=False), st.randoms(use_true_random=False))
def test_every_line_splits_exactly_deterministically_and_never_below_zero(
    inp: AllocationInput, rnd: random.Random
) -> None:
    for start, end in sorted({(r.usage_start, r.usage_end) for r in inp.royalties}):
        # the service allocates one usage period at a time
        one = replace(inp, royalties=tuple(r for r in inp.royalties if r.usage_end == end))
        for c in allocate(one).contributors:
            for country, amount in c.by_country.items():
                weights = patent_weights(inp, country, start, end).get(c.id, ())
                parts = split_line(amount, weights)
                assert sum(parts) == amount
                assert all(part >= 0 for part in parts)
                shuffled = list(inp.patents)
                rnd.shuffle(shuffled)
                again = patent_weights(replace(inp, patents=tuple(shuffled)), country, start, end)
                assert split_line(amount, again.get(c.id, ())) == parts
                assert split_line(-amount, weights) == [-p for p in parts]
