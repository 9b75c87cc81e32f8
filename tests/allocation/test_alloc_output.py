"""Output formats, explanations, the input fingerprint and currencies."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from alloc_kit import line, patents, pool

from allocation import (
    MINOR_UNIT_EXPONENTS,
    AllocationInput,
    Contributor,
    InvalidInput,
    Patent,
    allocate,
    canonical_json,
    explain,
    format_minor,
    input_sha256,
    is_currency,
    minor_unit_exponent,
    render_text,
    result_to_json,
)
from allocation.canonical import canonical_input
from allocation.outcome.render import approx, percent


@pytest.mark.parametrize(
    ("code", "exponent"),
    [
        ("USD", 2),
        ("CNY", 2),
        ("EUR", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("BHD", 3),
        ("KWD", 3),
        ("CLF", 4),
        ("XCG", 2),
        ("XOF", 0),
    ],
)
def test_minor_unit_exponents_follow_iso_4217(code: str, exponent: int) -> None:
    assert minor_unit_exponent(code) == exponent
    assert is_currency(code)


@pytest.mark.parametrize("code", ["XAU", "XDR", "XXX", "usd", "", "HRK"])
def test_codes_without_a_minor_unit_or_withdrawn_are_unknown(code: str) -> None:
    assert not is_currency(code)
    with pytest.raises(InvalidInput) as caught:
        minor_unit_exponent(code)
    assert caught.value.path == "$.currency"


def test_the_table_lists_every_active_currency_once() -> None:
    assert len(MINOR_UNIT_EXPONENTS) == 168
    assert set(MINOR_UNIT_EXPONENTS.values()) == {0, 2, 3, 4}


@pytest.mark.parametrize(
    ("amount", "code", "text"),
    [
        (123456, "USD", "1,234.56"),
        (5, "USD", "0.05"),
        (-5, "EUR", "-0.05"),
        (1234567, "JPY", "1,234,567"),
        (1000, "BHD", "1.000"),
        (0, "KRW", "0"),
    ],
)
def test_amounts_are_formatted_in_major_units(amount: int, code: str, text: str) -> None:
    assert format_minor(amount, code) == text


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(1, 3, "33.33%"), (2, 3, "66.67%"), (1, 8, "12.50%"), (5, 0, "0.00%"), (3, 3, "100.00%")],
)
def test_percentages_are_exact_and_rounded_half_to_even(part: int, whole: int, text: str) -> None:
    assert percent(part, whole) == text


def test_approximations_are_for_reading_only() -> None:
    assert approx(Fraction(2, 3)) == "0.6667"
    assert approx(Fraction(-1, 8), 2) == "-0.12"


def _sample() -> AllocationInput:
    return pool(
        [Contributor("B", max_share=Decimal("0.5")), Contributor("A")],
        [
            Patent("P2", "B", "CN", in_force=((date(2025, 2, 1), None), (None, date(2025, 1, 5)))),
            *patents("B", "CN", 3),
            *patents("A", "CN", 1),
        ],
        [line("L2", 70_000, "CN"), line("L1", 30_001, "US", "CN")],
        fee="0.10",
    )


def test_the_fingerprint_is_the_sha256_of_canonical_json() -> None:
    inp = _sample()
    text = canonical_json(inp)
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    data = json.loads(text)
    assert [c["id"] for c in data["contributors"]] == ["A", "B"]
    assert [r["id"] for r in data["royalties"]] == ["L1", "L2"]
    p2 = next(p for p in data["patents"] if p["id"] == "P2")
    assert p2["in_force"] == [[None, "2025-01-05"], ["2025-02-01", None]]
    assert data["admin_fee_rate"] == "0.1"
    assert input_sha256(inp) == hashlib.sha256(text.encode()).hexdigest()
    assert allocate(inp).run.input_sha256 == input_sha256(inp)


def test_canonical_json_is_json_dumps_of_the_canonical_input_byte_for_byte() -> None:
    # The patents' part is written column by column; it must match json.dumps exactly,
    # including escaped ids and values an unvalidated input may hold (1 and True compare
    # equal but are written differently; a list is not hashable).
    sample = _sample()
    odd = replace(
        sample,
        patents=(
            *sample.patents,
            Patent('q"\\é', "A", "CN", grade=1),  # type: ignore[arg-type]
            Patent("q2", "A", "CN", grade=True, in_force=[(date(2025, 1, 1), None)]),  # type: ignore[arg-type]
        ),
    )
    no_id = replace(sample, patents=(Patent(None, "A", "CN"),))  # type: ignore[arg-type]
    empty = replace(sample, patents=())
    for inp in (sample, odd, no_id, empty):
        expected = json.dumps(canonical_input(inp), separators=(",", ":"), ensure_ascii=True)
        assert canonical_json(inp) == expected
    assert '"grade":1,' in canonical_json(odd)
    assert '"grade":true,' in canonical_json(odd)


def test_equal_decimals_give_the_same_fingerprint_and_long_ones_are_kept_whole() -> None:
    inp = _sample()
    same = replace(inp, admin_fee_rate=Decimal("0.1000"))
    assert input_sha256(same) == input_sha256(inp)
    long_rate = Decimal("0.1000000000000000000000000000001")
    longer = replace(inp, admin_fee_rate=long_rate)
    assert input_sha256(longer) != input_sha256(inp)
    assert '"admin_fee_rate":"0.1000000000000000000000000000001"' in canonical_json(longer)
    assert '"admin_fee_rate":"1"' in canonical_json(replace(inp, admin_fee_rate=Decimal("1.00")))


def test_the_explanation_shows_weights_ideal_binding_and_rounding() -> None:
    # CN 70,000 + US (sold, no patent) made in CN 30,001 -> CN 100,001, fee 10,000.1 ->
    # 10,000; distributable 90,001. B: 3 patents throughout + P2 in force 4 of 90 days
    # (1-4 Jan) + 59 days (from 1 Feb): weight 3 + 63/90 = 37/10; A: 1. Ideal B 90,001 x 37/47
    # = 70,852.25..., A 19,148.74...; B's cap 50 % = 45,000 binds; A gets 45,001.
    result = allocate(_sample())
    data = explain(result)
    # A gets lambda x ideal A = 45,001 with ideal A = 90,001 x 10/47 = 900,010/47.
    assert Fraction(data["lambda"]) == Fraction(45_001 * 47, 900_010)
    b = data["contributors"][1]
    assert b["id"] == "B"
    assert b["buckets"] == [
        {
            "country": "CN",
            "usage_start": "2025-01-01",
            "usage_end": "2025-04-01",
            "received_minor": 100_001,
            "share": "37/47",
            "weights": [
                {"tier": None, "tier_share": "1", "weight": "37/10", "total_weight": "47/10"}
            ],
        }
    ]
    assert b["ideal_minor"] == str(Fraction(90_001 * 37, 47))
    assert b["ideal_share"] == "37/47"
    assert (b["target_minor"], b["binding"], b["cap_minor"], b["amount_minor"]) == (
        "45000",
        "cap",
        45_000,
        45_000,
    )
    a = data["contributors"][0]
    assert (a["binding"], a["amount_minor"], a["rounding_adjustment_minor"]) == (None, 45_001, "0")
    assert a["ideal_minor"] == "900010/47"
    document = result_to_json(result, explain=True)
    assert document["explain"] == data


def test_tiered_explanations_list_each_tier() -> None:
    inp = pool(
        ["A", "B"],
        patents("A", "US", 1, tier="1") + patents("B", "US", 2, tier="2"),
        [line("L", 1_000, "US")],
        method="tiered",
        tier_shares={"1": Decimal("0.6"), "2": Decimal("0.4")},
    )
    b = explain(allocate(inp))["contributors"][1]
    assert b["buckets"][0]["weights"] == [
        {"tier": "1", "tier_share": "3/5", "weight": "0", "total_weight": "1"},
        {"tier": "2", "tier_share": "2/5", "weight": "2", "total_weight": "2"},
    ]
    assert b["buckets"][0]["share"] == "2/5"


def test_grade_points_weigh_each_patent() -> None:
    inp = pool(
        ["A", "B"],
        patents("A", "DE", 1, grade="A") + patents("B", "DE", 2, grade="C"),
        [line("L", 1_000, "DE")],
        method="grade_weighted",
        grade_points={"A": Decimal("3"), "C": Decimal("1.5")},
    )
    result = allocate(inp)  # weights 3 and 2 x 1.5 = 3: an even split
    assert [c.amount_minor for c in result.contributors] == [500, 500]
    assert explain(result)["contributors"][1]["buckets"][0]["weights"][0]["weight"] == "3"


def test_nothing_received_means_nothing_to_split() -> None:
    inp = pool(["A"], patents("A", "JP", 1), [line("L", 0, "JP")], currency="JPY")
    result = allocate(inp)
    assert (result.distributable_minor, result.contributors[0].amount_minor) == (0, 0)
    text = render_text(result, explain=True)
    assert "A                                       0    0.00%" in text
    assert "Explanation (lambda = 1.000000)" in text


def test_an_empty_pool_allocates_nothing() -> None:
    result = allocate(pool([], [], []))
    assert (result.received_minor, result.contributors, dict(result.countries)) == (0, (), {})
    assert result.run.solver == "closed-form"
