"""Invalid inputs are rejected with the path of the value at fault."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from alloc_kit import line, pool

from allocation import (
    AllocationInput,
    Contributor,
    InvalidInput,
    Patent,
    UnbucketableRoyalty,
    allocate,
    explain,
    validate_input,
    validate_method,
)

BASE = pool(
    [Contributor("A"), Contributor("B")],
    [Patent("P1", "A", "CN", "A", "1"), Patent("P2", "B", "US", "B", "1")],
    [line("L1", 1000, "CN"), line("L2", 500, "US", "CN")],
    fee="0.10",
)


def _with_patent(**changes: Any) -> AllocationInput:
    return replace(BASE, patents=(BASE.patents[0], replace(BASE.patents[1], **changes)))


def _with_royalty(**changes: Any) -> AllocationInput:
    return replace(BASE, royalties=(BASE.royalties[0], replace(BASE.royalties[1], **changes)))


def _with_contributor(**changes: Any) -> AllocationInput:
    return replace(
        BASE, contributors=(BASE.contributors[0], replace(BASE.contributors[1], **changes))
    )


D = Decimal
CASES = [
    (replace(BASE, currency="XYZ"), "$.currency"),
    (replace(BASE, currency="XAU"), "$.currency"),  # gold has no minor unit
    (replace(BASE, admin_fee_rate=D("1.5")), "$.admin_fee_rate"),
    (replace(BASE, admin_fee_rate=D("-0.1")), "$.admin_fee_rate"),
    (replace(BASE, admin_fee_rate=D("NaN")), "$.admin_fee_rate"),
    (replace(BASE, admin_fee_rate=0.1), "$.admin_fee_rate"),  # a float, not a Decimal
    (replace(BASE, method="shares"), "$.method"),
    (replace(BASE, method="grade_weighted"), "$.grade_points"),
    (replace(BASE, method="tiered"), "$.tier_shares"),
    (replace(BASE, method="grade_weighted", grade_points={"A": D("3")}), "$.patents[1].grade"),
    (replace(BASE, method="tiered", tier_shares={"2": D("1")}), "$.patents[0].tier"),
    (replace(BASE, contributors=(Contributor("A"), Contributor("A"))), "$.contributors[1].id"),
    (replace(BASE, contributors=(Contributor(""), Contributor("B"))), "$.contributors[0].id"),
    (replace(BASE, patents=(BASE.patents[0], BASE.patents[0])), "$.patents[1].id"),
    (replace(BASE, royalties=(BASE.royalties[0], BASE.royalties[0])), "$.royalties[1].id"),
    (_with_contributor(max_share=D("1.01")), "$.contributors[1].max_share"),
    (_with_contributor(max_share="0.5"), "$.contributors[1].max_share"),
    (_with_contributor(min_amount_minor=-1), "$.contributors[1].min_amount_minor"),
    (_with_contributor(min_amount_minor=True), "$.contributors[1].min_amount_minor"),
    (_with_patent(contributor="Z"), "$.patents[1].contributor"),
    (_with_patent(country="usa"), "$.patents[1].country"),
    (_with_patent(in_force=((date(2025, 2, 1), date(2025, 2, 1)),)), "$.patents[1].in_force[0]"),
    (_with_patent(in_force=((datetime(2025, 1, 1), None),)), "$.patents[1].in_force[0]"),
    (
        _with_patent(in_force=((date(2025, 1, 1), date(2025, 3, 1)), (date(2025, 2, 1), None))),
        "$.patents[1].in_force[1]",
    ),
    (
        _with_patent(in_force=((None, date(2025, 3, 1)), (date(2024, 1, 1), date(2024, 2, 1)))),
        "$.patents[1].in_force[1]",
    ),
    (_with_royalty(usage_end=date(2024, 12, 31)), "$.royalties[1].usage_end"),
    (_with_royalty(usage_start="2025-01-01"), "$.royalties[1].usage_start"),
    (_with_royalty(country_of_sale="U"), "$.royalties[1].country_of_sale"),
    (_with_royalty(country_of_manufacture=None), "$.royalties[1].country_of_manufacture"),
    (_with_royalty(amount_minor=12.5), "$.royalties[1].amount_minor"),
    (_with_royalty(amount_minor=-5), "$.royalties[1].amount_minor"),
]


@pytest.mark.parametrize(("inp", "path"), CASES, ids=[p for _, p in CASES])
def test_invalid_inputs_name_the_path_at_fault(inp: AllocationInput, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        allocate(inp)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")


def test_disjoint_intervals_and_open_ends_are_accepted() -> None:
    inp = _with_patent(
        in_force=(
            (None, date(2025, 1, 10)),
            (date(2025, 2, 1), date(2025, 2, 5)),
            (date(2025, 3, 1), None),
        )
    )
    validate_input(inp)
    # In force 1-9 January (9 days), 1-4 February (4) and from 1 March (31): 44 of 90 days.
    bucket = explain(allocate(inp))["contributors"][1]["buckets"][0]
    assert (bucket["country"], bucket["weights"][0]["weight"]) == ("US", "22/45")


def test_a_royalty_line_with_no_pool_patent_is_rejected_by_id() -> None:
    inp = _with_royalty(country_of_sale="FR", country_of_manufacture="JP")
    with pytest.raises(UnbucketableRoyalty) as caught:
        allocate(inp)
    assert (caught.value.royalty_id, caught.value.country_of_sale) == ("L2", "FR")
    assert "'L2'" in str(caught.value)


def test_a_patent_not_yet_in_force_does_not_make_a_bucket() -> None:
    inp = _with_patent(in_force=((date(2026, 1, 1), None),))  # B's US patent: next year
    with pytest.raises(UnbucketableRoyalty):  # L2 sold in the US, now made in JP
        allocate(replace(inp, royalties=(replace(inp.royalties[1], country_of_manufacture="JP"),)))
    moved = allocate(inp)  # L2 is made in CN: it falls back to CN, where A holds P1
    assert dict(moved.countries) == {"CN": 1350}


@pytest.mark.parametrize(
    ("method", "parameters", "path"),
    [
        ("grade_weighted", {"grade_points": {"A": "3", "B": "0"}}, "$.grade_points.B"),
        ("grade_weighted", {"grade_points": {"A": 3}}, "$.grade_points.A"),
        ("grade_weighted", {"grade_points": {"A": "three"}}, "$.grade_points.A"),
        ("grade_weighted", {"grade_points": {"": "1"}}, "$.grade_points."),
        ("grade_weighted", {"grade_points": ["A"]}, "$.grade_points"),
        ("grade_weighted", {}, "$.grade_points"),
        ("tiered", {"tier_shares": {"1": "0.5", "2": "0.4"}}, "$.tier_shares"),
        ("tiered", {"tier_shares": {}}, "$.tier_shares"),
        ("tiered", {"tier_shares": {"1": "-1", "2": "2"}}, "$.tier_shares.1"),
        ("patent_count", {"weights": {}}, "$.weights"),
        ("lottery", {}, "$.method"),
    ],
)
def test_validate_method_names_the_parameter_at_fault(
    method: str, parameters: dict[str, object], path: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_method(method, parameters)
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("method", "parameters"),
    [
        ("patent_count", {}),
        ("patent_count", {"grade_points": {"A": "2"}}),
        ("grade_weighted", {"grade_points": {"A": "3", "B": Decimal("1.5")}}),
        ("tiered", {"tier_shares": {"1": "0.50", "2": "0.35", "3": "0.15"}}),
    ],
)
def test_validate_method_accepts_valid_parameters(
    method: str, parameters: dict[str, object]
) -> None:
    assert validate_method(method, parameters) is None
