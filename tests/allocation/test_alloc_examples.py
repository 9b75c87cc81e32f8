"""Worked examples of DOMAIN.md section 3, with the expected cents derived by hand.

Every expected amount is a literal; the comment above each case shows the arithmetic.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from alloc_kit import JANUARY, amounts, check_invariants, d, line, patents, pool

from allocation import (
    Contributor,
    InfeasibleConstraints,
    Patent,
    allocate,
)
from allocation.engine import admin_fee


@pytest.mark.parametrize(
    ("rate", "received", "fee"),
    [
        ("0.10", 12345, 1234),  # 1234.5 -> half to even -> 1234
        ("0.10", 12355, 1236),  # 1235.5 -> half to even -> 1236
        ("0.10", 12346, 1235),  # 1234.6 -> 1235
        ("0.125", 100, 12),  # 12.5 -> 12
        ("0.125", 300, 38),  # 37.5 -> 38
        ("0", 999, 0),
        ("1", 999, 999),
    ],
)
def test_admin_fee_is_rounded_once_half_to_even(rate: str, received: int, fee: int) -> None:
    assert admin_fee(Fraction(Decimal(rate)), received) == fee


def test_per_country_pro_rata_with_fallback_to_the_country_of_manufacture() -> None:
    # A: CN x2, US x1; B: CN x1, DE x1; C: US x1 (all in force for the quarter).
    # L1 CN 600,000 -> CN. L2 US 300,000 -> US. L3 sold in FR (no pool patent) made in DE
    # -> DE. L4 sold in JP (none) made in CN -> CN. Received 1,000,003.
    # Fee 10 %: 100,000.3 -> 100,000; distributable 900,003.
    # Countries by received (CN 600,003 / US 300,000 / DE 100,000) of 900,003:
    #   CN 540,002 + 880,003/1,000,003;  US 270,000 + 90,000/1,000,003;
    #   DE 90,000 + 30,000/1,000,003.  Floors 900,002; the leftover unit goes to CN.
    # CN 540,003: A 2/3 = 360,002, B 1/3 = 180,001. US 270,000: A, C 135,000 each.
    # DE 90,000: B. Totals A 495,002, B 270,001, C 135,000.
    inp = pool(
        ["A", "B", "C"],
        patents("A", "CN", 2)
        + patents("A", "US", 1)
        + patents("B", "CN", 1)
        + patents("B", "DE", 1)
        + patents("C", "US", 1),
        [
            line("L1", 600_000, "CN"),
            line("L2", 300_000, "US", "CN"),
            line("L3", 100_000, "FR", "DE"),
            line("L4", 3, "JP", "CN"),
        ],
        fee="0.10",
    )
    result = allocate(inp)
    assert (result.received_minor, result.admin_fee_minor) == (1_000_003, 100_000)
    assert dict(result.countries) == {"CN": 540_003, "DE": 90_000, "US": 270_000}
    assert amounts(result) == {"A": 495_002, "B": 270_001, "C": 135_000}
    by_country = {c.id: dict(c.by_country) for c in result.contributors}
    assert by_country == {
        "A": {"CN": 360_002, "US": 135_000},
        "B": {"CN": 180_001, "DE": 90_000},
        "C": {"US": 135_000},
    }
    check_invariants(result)


def test_monthly_weights_with_expiry_invalidation_and_new_admission() -> None:
    # January 2025 has 31 days. A: P1 in force throughout (31/31) and P2 expiring on
    # 16 January (15/31); B: P3 invalidated on 21 January (20/31) and P5 throughout (31/31);
    # C: P4 admitted on 11 January (21/31). Weights A 46/31, B 51/31, C 21/31 (total 118/31).
    # Received 1,000,000, fee 5 % = 50,000, distributable 950,000:
    #   A 43,700,000/118 = 370,338 + 116/118
    #   B 48,450,000/118 = 410,593 +  26/118
    #   C 19,950,000/118 = 169,067 +  94/118
    # Floors 949,998; two leftover units go to A (116) and C (94).
    inp = pool(
        ["A", "B", "C"],
        [
            Patent("P1", "A", "CN"),
            Patent("P2", "A", "CN", in_force=((d("2024-06-01"), d("2025-01-16")),)),
            Patent("P3", "B", "CN", in_force=((d("2020-01-01"), d("2025-01-21")),)),
            Patent("P4", "C", "CN", in_force=((d("2025-01-11"), None),)),
            Patent("P5", "B", "CN"),
        ],
        [line("JAN", 1_000_000, "CN", period=JANUARY)],
        fee="0.05",
    )
    result = allocate(inp)
    assert result.distributable_minor == 950_000
    assert amounts(result) == {"A": 370_339, "B": 410_593, "C": 169_068}
    check_invariants(result)


def test_tiered_50_35_15_with_a_tier_missing_in_one_country() -> None:
    # Received US 1,000,000 + DE 130,000; fee 10 % = 113,000; US 900,000, DE 117,000.
    # US: tier 1 gets 450,000 (A 1 patent, B 2) -> A 150,000, B 300,000;
    #     tier 2 gets 315,000 (B 1, C 2) -> B 105,000, C 210,000;
    #     tier 3 gets 135,000 (A 1, C 3) -> A 33,750, C 101,250.
    # DE has no tier-2 patent: tiers 1 and 3 share 50:15 -> A 90,000, C 27,000.
    # Totals A 273,750, B 405,000, C 338,250.
    tiered = [
        *patents("A", "US", 1, tier="1"),
        *patents("B", "US", 2, tier="1"),
        *[Patent(f"US-B-t2-{k}", "B", "US", tier="2") for k in range(1)],
        *[Patent(f"US-C-t2-{k}", "C", "US", tier="2") for k in range(2)],
        *[Patent(f"US-A-t3-{k}", "A", "US", tier="3") for k in range(1)],
        *[Patent(f"US-C-t3-{k}", "C", "US", tier="3") for k in range(3)],
        *patents("A", "DE", 1, tier="1"),
        *patents("C", "DE", 1, tier="3"),
    ]
    shares = {"1": Decimal("0.50"), "2": Decimal("0.35"), "3": Decimal("0.15")}
    inp = pool(
        ["A", "B", "C"],
        tiered,
        [line("US", 1_000_000, "US"), line("DE", 130_000, "DE")],
        fee="0.10",
        method="tiered",
        tier_shares=shares,
    )
    result = allocate(inp)
    assert dict(result.countries) == {"DE": 117_000, "US": 900_000}
    assert amounts(result) == {"A": 273_750, "B": 405_000, "C": 338_250}
    check_invariants(result)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # 100 / 3 = 33 + 1/3 each; one leftover unit, remainders tie -> lowest id (alice).
        (100, {"alice": 34, "bob": 33, "carol": 33}),
        # 101 / 3 = 33 + 2/3 each; two leftover units -> alice, then bob.
        (101, {"alice": 34, "bob": 34, "carol": 33}),
        # 102 / 3 = 34 exactly: nothing to break.
        (102, {"alice": 34, "bob": 34, "carol": 34}),
    ],
)
def test_a_three_way_tie_is_broken_by_contributor_id(
    received: int, expected: dict[str, int]
) -> None:
    people = ["carol", "alice", "bob"]  # input order must not matter
    inp = pool(
        people, [p for who in people for p in patents(who, "CN", 1)], [line("L", received, "CN")]
    )
    result = allocate(inp)
    assert amounts(result) == expected
    check_invariants(result)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Ideal A 600,000 (weight 6), B 300,000 (3), C 100,000 (1). A's cap 25 % = 250,000.
        # B and C share the remaining 750,000 as 3:1 -> 562,500 and 187,500 (lambda 15/8).
        (1_000_000, {"A": 250_000, "B": 562_500, "C": 187_500}),
        # 1,000,001: cap floor(250,000.25) = 250,000; B and C share 750,001 as 3:1 ->
        # 562,500.75 and 187,500.25; the leftover unit goes to B.
        (1_000_001, {"A": 250_000, "B": 562_501, "C": 187_500}),
    ],
)
def test_a_binding_cap_frees_money_for_the_others(received: int, expected: dict[str, int]) -> None:
    inp = pool(
        [Contributor("A", max_share=Decimal("0.25")), Contributor("B"), Contributor("C")],
        patents("A", "CN", 6) + patents("B", "CN", 3) + patents("C", "CN", 1),
        [line("L", received, "CN")],
    )
    result = allocate(inp)
    assert amounts(result) == expected
    assert result.trace.contributor(0).binding == "cap"
    assert result.run.solver in {"HiGHS", "CBC"}
    check_invariants(result)


def test_a_capped_contributors_money_leaves_its_own_countries() -> None:
    # CN 600,000: A 2 patents, B 1 -> A 400,000, B 200,000. US 400,000: B 1, C 1 ->
    # 200,000 each. Ideal A 400,000 (40 %); cap 25 % -> 250,000. The 150,000 freed come
    # out of A's only country, CN, and go to B and C in proportion to their ideal amounts
    # (400,000 : 200,000): B +100,000, C +50,000, both in CN.
    inp = pool(
        [Contributor("A", max_share=Decimal("0.25")), Contributor("B"), Contributor("C")],
        patents("A", "CN", 2)
        + patents("B", "CN", 1)
        + patents("B", "US", 1)
        + patents("C", "US", 1),
        [line("CN", 600_000, "CN"), line("US", 400_000, "US")],
    )
    result = allocate(inp)
    assert {c.id: dict(c.by_country) for c in result.contributors} == {
        "A": {"CN": 250_000},
        "B": {"CN": 300_000, "US": 200_000},
        "C": {"CN": 50_000, "US": 200_000},
    }
    assert result.trace.lam == Fraction(5, 4)
    check_invariants(result)


def test_a_binding_floor_is_paid_by_the_others() -> None:
    # Ideal A 500,000 (weight 5), B 400,000 (4), C 100,000 (1); C's floor is 200,000.
    # A and B share 800,000 as 5:4 -> 444,444.44 and 355,555.56 (lambda 8/9);
    # the leftover unit goes to B (.56 > .44).
    inp = pool(
        [Contributor("A"), Contributor("B"), Contributor("C", min_amount_minor=200_000)],
        patents("A", "CN", 5) + patents("B", "CN", 4) + patents("C", "CN", 1),
        [line("L", 1_000_000, "CN")],
    )
    result = allocate(inp)
    assert amounts(result) == {"A": 444_444, "B": 355_556, "C": 200_000}
    assert result.trace.lam == Fraction(8, 9)
    assert [result.trace.contributor(i).binding for i in range(3)] == [None, None, "floor"]
    check_invariants(result)


def test_an_infeasible_set_of_floors_names_them() -> None:
    # Floors 600,000 + 500,000 = 1,100,000 > distributable 1,000,000.
    inp = pool(
        [
            Contributor("A", min_amount_minor=600_000),
            Contributor("B", min_amount_minor=500_000),
            Contributor("C"),
        ],
        patents("A", "CN", 1) + patents("B", "CN", 1) + patents("C", "CN", 1),
        [line("L", 1_000_000, "CN")],
    )
    with pytest.raises(InfeasibleConstraints) as caught:
        allocate(inp)
    named = [(c.contributor_id, c.kind, c.amount_minor) for c in caught.value.constraints]
    assert named == [("A", "floor", 600_000), ("B", "floor", 500_000)]
    assert "1100000" in str(caught.value)
