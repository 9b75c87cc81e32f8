"""Royalty terms: validation names the field at fault; the canonical form proves sameness."""

import json
from typing import Any

import pydantic
import pytest

from contracts import InvalidTerms, parse_terms


def base() -> dict[str, Any]:
    return {
        "terms_version": "2024-1",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [
            {
                "category": "TV",
                "tiers": [{"from_units": 0, "rate": "1.00"}, {"from_units": 1000, "rate": "0.60"}],
            },
            {
                "category": "set-top box",
                "bands": [
                    {
                        "lower_minor": 0,
                        "upper_minor": 10000,
                        "upper_inclusive": True,
                        "rate": "0.2",
                    },
                    {"lower_minor": 10000, "lower_inclusive": False, "rate": "0.5"},
                ],
            },
            {"category": "PC", "basis": "percent_of_net_sales", "percent": "3.5"},
        ],
        "discounts": {
            "order": ["region", "sme"],
            "sme": {"small": "0.8"},
            "regions": [{"country": "IN", "multiplier": "0.5"}],
        },
    }


def with_(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """The base terms with the value at `path` replaced."""
    data = base()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


BAND = ("categories", 1, "bands")
TIERS = ("categories", 0, "tiers")

INVALID = [
    pytest.param(
        with_((*TIERS, 1, "from_units"), 0),
        "$.categories[0].tiers[1].from_units",
        "greater",
        id="tiers-not-rising",
    ),
    pytest.param(
        with_((*TIERS, 0, "from_units"), 5),
        "$.categories[0].tiers[0].from_units",
        "start at 0",
        id="tiers-not-from-0",
    ),
    pytest.param(
        with_((*BAND, 1, "lower_minor"), 10001),
        "$.categories[1].bands[1].lower_minor",
        "gap",
        id="bands-gap",
    ),
    pytest.param(
        with_((*BAND, 1, "lower_minor"), 9999),
        "$.categories[1].bands[1].lower_minor",
        "overlaps",
        id="bands-overlap",
    ),
    pytest.param(
        with_((*BAND, 1, "lower_inclusive"), True),
        "$.categories[1].bands[1].lower_inclusive",
        "overlaps",
        id="edge-included-twice",
    ),
    pytest.param(
        with_((*BAND, 0, "upper_inclusive"), False),
        "$.categories[1].bands[1].lower_inclusive",
        "gap",
        id="edge-included-by-neither",
    ),
    pytest.param(
        with_((*BAND, 0, "lower_minor"), 1),
        "$.categories[1].bands[0].lower_minor",
        "start at 0",
        id="bands-not-from-0",
    ),
    pytest.param(
        with_((*BAND, 0, "lower_inclusive"), False),
        "$.categories[1].bands[0].lower_minor",
        "inclusive",
        id="bands-exclude-0",
    ),
    pytest.param(
        with_((*BAND, 1, "upper_minor"), 90000),
        "$.categories[1].bands[1].upper_minor",
        "last",
        id="bands-bounded-above",
    ),
    pytest.param(
        with_((*BAND, 0, "upper_minor"), None),
        "$.categories[1].bands[1].lower_minor",
        "overlaps",
        id="open-band-not-last",
    ),
    pytest.param(
        with_((*BAND, 0, "upper_minor"), 0),
        "$.categories[1].bands[0].upper_minor",
        "greater",
        id="empty-band",
    ),
    pytest.param(
        with_(("categories", 2, "percent"), None),
        "$.categories[2].percent",
        "required",
        id="percent-missing",
    ),
    pytest.param(
        with_(("categories", 2, "rate"), "1"),
        "$.categories[2].rate",
        "not used",
        id="percent-with-rate",
    ),
    pytest.param(
        with_(("categories", 0, "percent"), "1"),
        "$.categories[0].percent",
        "only used",
        id="per-unit-with-percent",
    ),
    pytest.param(
        with_(("categories", 0, "rate"), "1"),
        "$.categories[0].tiers",
        "exactly one",
        id="rate-and-tiers",
    ),
    pytest.param(
        with_(("categories", 0), {"category": "TV"}),
        "$.categories[0]",
        "exactly one",
        id="no-schedule",
    ),
    pytest.param(
        with_(("categories", 2, "category"), "TV"),
        "$.categories[2].category",
        "twice",
        id="duplicate-category",
    ),
    pytest.param(
        with_((*TIERS, 0, "rate"), 0.5),
        "$.categories[0].tiers[0].rate",
        "strings",
        id="float-rate",
    ),
    pytest.param(
        with_((*TIERS, 0, "rate"), "0.1234567890123"),
        "$.categories[0].tiers[0].rate",
        "12 decimal places",
        id="rate-too-precise",
    ),
    pytest.param(
        with_((*TIERS, 0, "rate"), "-0.1"),
        "$.categories[0].tiers[0].rate",
        "greater than",
        id="negative-rate",
    ),
    pytest.param(
        with_((*TIERS, 0, "rate"), "NaN"),
        "$.categories[0].tiers[0].rate",
        "finite",
        id="nan-rate",
    ),
    pytest.param(
        with_(("categories", 2, "percent"), "100.5"),
        "$.categories[2].percent",
        "less than",
        id="percent-above-100",
    ),
    pytest.param(with_(("currency",), "usd"), "$.currency", "pattern", id="lower-case-currency"),
    pytest.param(
        with_(("minor_unit_exponent",), 5), "$.minor_unit_exponent", "less than", id="exponent-5"
    ),
    pytest.param(
        with_(("minor_unit_exponent",), "2"),
        "$.minor_unit_exponent",
        "integer",
        id="exponent-as-string",
    ),
    pytest.param(
        with_(("free_units_per_year",), True),
        "$.free_units_per_year",
        "integer",
        id="bool-as-count",
    ),
    pytest.param(with_(("surprise",), 1), "$.surprise", "Extra", id="unknown-field"),
    pytest.param(
        with_(("discounts", "order"), ["region", "region"]),
        "$.discounts.order[1]",
        "twice",
        id="discount-listed-twice",
    ),
    pytest.param(
        with_(("discounts", "order"), ["early_signer", "region", "sme"]),
        "$.discounts.order[0]",
        "not configured",
        id="discount-not-configured",
    ),
    pytest.param(
        with_(("discounts", "order"), ["sme"]),
        "$.discounts.regions",
        "missing from order",
        id="discount-without-order",
    ),
    pytest.param(
        with_(
            ("discounts", "regions"),
            [{"country": "IN", "multiplier": "0.5"}, {"country": "IN", "multiplier": "0.6"}],
        ),
        "$.discounts.regions[1].country",
        "twice",
        id="region-twice",
    ),
    pytest.param(
        with_(("discounts", "sme", "small"), "1.2"),
        "$.discounts.sme.small",
        "less than",
        id="multiplier-above-1",
    ),
]


@pytest.mark.parametrize(("data", "path", "fragment"), INVALID)
def test_invalid_terms_name_the_field(data: dict[str, Any], path: str, fragment: str) -> None:
    with pytest.raises(InvalidTerms) as caught:
        parse_terms(data)
    assert (caught.value.path, fragment in caught.value.message) == (path, True)


def test_every_problem_is_reported() -> None:
    data = with_((*TIERS, 1, "from_units"), 0)
    data["currency"] = "dollars"
    with pytest.raises(InvalidTerms) as caught:
        parse_terms(data)
    assert [path for path, _ in caught.value.problems] == [
        "$.currency",
        "$.categories[0].tiers[1].from_units",
    ]


def test_json_text_is_validated_with_paths() -> None:
    text = json.dumps(base()).replace('"0.2"', "0.2")
    with pytest.raises(InvalidTerms) as caught:
        parse_terms(text)
    assert caught.value.path == "$.categories[1].bands[0].rate"


def test_canonical_form_ignores_spelling_and_key_order() -> None:
    spelled = base()
    spelled["categories"][0]["tiers"][0]["rate"] = "1"
    spelled["categories"][2]["percent"] = "3.50"
    reordered = dict(reversed(list(spelled.items())))
    first, second = parse_terms(base()), parse_terms(reordered)
    assert (first.canonical_json(), first.sha256()) == (second.canonical_json(), second.sha256())


def test_any_change_changes_the_hash() -> None:
    changed = with_(("categories", 2, "percent"), "3.6")
    assert parse_terms(base()).sha256() != parse_terms(changed).sha256()


def test_canonical_json_round_trips() -> None:
    terms = parse_terms(base())
    again = parse_terms(terms.canonical_json())
    assert (again, json.loads(terms.canonical_json())["categories"][2]["percent"]) == (terms, "3.5")


def test_terms_are_immutable() -> None:
    terms = parse_terms(base())
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        terms.currency = "EUR"  # type: ignore[misc]


def test_category_lookup() -> None:
    terms = parse_terms(base())
    assert (terms.category("PC") is terms.categories[2], terms.category("radio")) == (True, None)


def test_a_zero_fee_licence_is_valid_terms() -> None:
    terms = parse_terms({"terms_version": "free", "currency": "CNY", "minor_unit_exponent": 2})
    assert (terms.categories, terms.entry_fee_minor, terms.annual_fee_minor) == ((), 0, 0)
