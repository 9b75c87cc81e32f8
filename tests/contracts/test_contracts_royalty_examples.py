"""Worked royalty examples: inputs and the expected cents, derived by hand in the comments.

Each row gives (basis, units, amount in minor units) for every invoice line `royalty_due`
produces, in order. Rates are in major units per unit; USD amounts are in cents.
"""

from datetime import date
from typing import Any

import pydantic
import pytest
from contracts_testkit import (
    Q1,
    Q2,
    QUARTERS,
    YEAR,
    charge,
    charged_amounts,
    make_line,
    make_report,
    make_terms,
)

from contracts import Coverage, LicenseeProfile, YearToDate, royalty_due

FLAT = [
    {"category": "TV", "rate": "0.50"},
    {"category": "mobile", "rate": "0.25"},
]

BANDS = [
    {
        "category": "TV",
        "bands": [
            # [0, 100.00] -> 0.20; (100.00, 500.00) -> 0.50; [500.00, oo) -> 1.00
            {"lower_minor": 0, "upper_minor": 10000, "upper_inclusive": True, "rate": "0.20"},
            {"lower_minor": 10000, "lower_inclusive": False, "upper_minor": 50000, "rate": "0.50"},
            {"lower_minor": 50000, "rate": "1.00"},
        ],
    }
]

FALLING = [
    {
        "category": "TV",
        "tiers": [
            {"from_units": 0, "rate": "1.00"},
            {"from_units": 1000, "rate": "0.60"},
            {"from_units": 5000, "rate": "0.30"},
        ],
    }
]

RISING = [
    {
        "category": "TV",
        "tiers": [{"from_units": 0, "rate": "0.10"}, {"from_units": 1000, "rate": "0.25"}],
    }
]

PERCENT = [{"category": "PC", "basis": "percent_of_net_sales", "percent": "3.5"}]


def after_q1(**fields: Any) -> YearToDate:
    return YearToDate(year=2024, through=date(2024, 4, 1), **fields)


EXAMPLES = [
    pytest.param(
        {"categories": FLAT},
        [make_line("TV", 1000), make_line("mobile", 3)],
        None,
        # 1,000 x 0.50 USD = 500.00 USD; 3 x 0.25 USD = 0.75 USD
        [("per_unit", 1000, 50000), ("per_unit", 3, 75)],
        id="per-unit-by-category",
    ),
    pytest.param(
        {
            "currency": "JPY",
            "minor_unit_exponent": 0,
            "categories": [{"category": "TV", "rate": "2.5"}],
        },
        [make_line("TV", 3), make_line("TV", 5)],
        None,
        # yen have no minor unit: 3 x 2.5 = 7.5 -> 8 (half to even); 5 x 2.5 = 12.5 -> 12
        [("per_unit", 3, 8), ("per_unit", 5, 12)],
        id="jpy-exponent-0-half-even",
    ),
    pytest.param(
        {"categories": BANDS},
        [
            make_line("TV", 10, unit_price_minor=0),  # band 0: 10 x 0.20 = 2.00
            make_line("TV", 10, unit_price_minor=10000),  # 100.00 is inside band 0 (inclusive)
            make_line("TV", 10, unit_price_minor=10001),  # band 1: 10 x 0.50 = 5.00
            make_line("TV", 10, unit_price_minor=49999),  # still band 1
            make_line("TV", 10, unit_price_minor=50000),  # band 2 (inclusive): 10 x 1.00
        ],
        None,
        [
            ("per_unit", 10, 200),
            ("per_unit", 10, 200),
            ("per_unit", 10, 500),
            ("per_unit", 10, 500),
            ("per_unit", 10, 1000),
        ],
        id="price-bands-at-their-edges",
    ),
    pytest.param(
        {"categories": PERCENT},
        [
            # 3.5 % of 12,345.67 USD = 432.09845 USD -> 43209.845 cents -> 43210
            make_line("PC", 100, net_sales_minor=1234567),
            # 3.5 % of 0.30 USD = 1.05 cents -> 1
            make_line("PC", 1, net_sales_minor=30),
            # 3.5 % of 1.00 USD = 3.5 cents -> 4 (half to even)
            make_line("PC", 1, net_sales_minor=100),
            # 3.5 % of 0.10 USD x 750/1000 units = 0.2625 cents -> 0; the 250 units paid
            # upstream are shown at zero first
            make_line("PC", 1000, net_sales_minor=10, upstream_paid_units=250),
            # 3.5 % of 20,000.00 USD x 750/1000 = 525.00 USD
            make_line("PC", 1000, net_sales_minor=2000000, upstream_paid_units=250),
        ],
        None,
        [
            ("percent_of_net_sales", 100, 43210),
            ("percent_of_net_sales", 1, 1),
            ("percent_of_net_sales", 1, 4),
            ("upstream_paid", 250, 0),
            ("percent_of_net_sales", 750, 0),
            ("upstream_paid", 250, 0),
            ("percent_of_net_sales", 750, 52500),
        ],
        id="percent-of-net-sales",
    ),
    pytest.param(
        {"categories": FALLING},
        [make_line("TV", 500)],
        after_q1(units_by_category={"TV": 800}),
        # units 800..1299 of the year: 200 x 1.00 = 200.00, then 300 x 0.60 = 180.00
        [("per_unit", 200, 20000), ("per_unit", 300, 18000)],
        id="falling-tier-boundary-inside-period",
    ),
    pytest.param(
        {"categories": RISING},
        [make_line("TV", 300)],
        after_q1(units_by_category={"TV": 900}),
        # units 900..1199: 100 x 0.10 = 10.00, then 200 x 0.25 = 50.00 (the rate rises)
        [("per_unit", 100, 1000), ("per_unit", 200, 5000)],
        id="rising-tier-boundary-inside-period",
    ),
    pytest.param(
        {"categories": FALLING},
        [make_line("TV", 6000)],
        None,
        # 1,000 x 1.00 + 4,000 x 0.60 + 1,000 x 0.30 = 1,000 + 2,400 + 300 USD
        [("per_unit", 1000, 100000), ("per_unit", 4000, 240000), ("per_unit", 1000, 30000)],
        id="two-tier-boundaries-in-one-line",
    ),
    pytest.param(
        {"free_units_per_year": 100000, "categories": [{"category": "TV", "rate": "0.40"}]},
        [make_line("TV", 25000)],
        after_q1(units_by_category={"TV": 90000}, free_units_used=90000),
        # 10,000 free units remain: 10,000 at zero, then 15,000 x 0.40 = 6,000.00 USD
        [("free_allowance", 10000, 0), ("per_unit", 15000, 600000)],
        id="free-allowance-runs-out-inside-period",
    ),
    pytest.param(
        {"free_units_per_year": 1000, "categories": FALLING},
        [make_line("TV", 1500)],
        None,
        # free units take positions 0..999 of the tier scale, so the charged 500 units sit at
        # 1000..1499 and pay tier 1: 500 x 0.60 = 300.00
        [("free_allowance", 1000, 0), ("per_unit", 500, 30000)],
        id="free-units-count-towards-tiers",
    ),
    pytest.param(
        {"annual_cap_minor": 1000000, "categories": [{"category": "TV", "rate": "5.00"}]},
        [make_line("TV", 200), make_line("TV", 10)],
        after_q1(charged_minor=950000),
        # cap 10,000.00 USD, 9,500.00 already charged: 200 x 5.00 = 1,000.00 is cut to 500.00;
        # the next line has no room left
        [("per_unit", 200, 50000), ("per_unit", 10, 0)],
        id="annual-cap-reached-mid-year",
    ),
    pytest.param(
        {"categories": [{"category": "TV", "rate": "1.00", "annual_cap_minor": 30000}, *FLAT[1:]]},
        [make_line("TV", 200), make_line("mobile", 400)],
        after_q1(charged_minor=25000, charged_by_category_minor={"TV": 25000}),
        # TV cap 300.00 USD with 250.00 used: 200.00 is cut to 50.00; mobile has no cap:
        # 400 x 0.25 = 100.00
        [("per_unit", 200, 5000), ("per_unit", 400, 10000)],
        id="per-category-cap",
    ),
    pytest.param(
        {"categories": [{"category": "TV", "rate": "0.50"}]},
        [
            make_line("TV", 1000, upstream_paid_units=400),
            make_line("TV", 50, upstream_paid_units=50),
        ],
        None,
        # 400 units were licensed upstream: only 600 x 0.50 = 300.00 is charged
        [("upstream_paid", 400, 0), ("per_unit", 600, 30000), ("upstream_paid", 50, 0)],
        id="upstream-paid-units-excluded",
    ),
]


@pytest.mark.parametrize(("fields", "lines", "state", "expected"), EXAMPLES)
def test_worked_example(
    fields: dict[str, Any],
    lines: list[dict[str, Any]],
    state: YearToDate | None,
    expected: list[tuple[str, int, int]],
) -> None:
    terms = make_terms(**fields)
    period = Q2 if state is not None else Q1
    result = charge(terms, make_report(lines, period, terms.currency), state)
    assert charged_amounts(result) == expected
    assert result.total_minor == sum(amount for _, _, amount in expected)


SME_REGION: dict[str, Any] = {
    "categories": [{"category": "TV", "rate": "0.35"}],
    "discounts": {
        "order": ["sme", "region", "early_signer", "good_standing"],
        "sme": {"micro": "0.3", "small": "0.8"},
        "regions": [{"country": "IN", "multiplier": "0.5"}],
        "early_signer": "0.9",
        "good_standing": "0.95",
    },
}

# 1,001 TV units x 0.35 USD = 350.35 USD = 35035 cents before discounts.
DISCOUNTS = [
    # 0.8 x 0.5 x 0.9 x 0.95 = 0.342; 35035 x 0.342 = 11981.97 -> 11982
    pytest.param("compound", "small", True, True, "IN", 11982, "0.342", id="all-four-compound"),
    # 20 % + 50 % + 10 % + 5 % = 85 % off -> 0.15; 35035 x 0.15 = 5255.25 -> 5255
    pytest.param("additive", "small", True, True, "IN", 5255, "0.15", id="all-four-additive"),
    # not an early signer, not in good standing: 0.8 x 0.5 = 0.4; 35035 x 0.4 = 14014
    pytest.param("compound", "small", False, False, "IN", 14014, "0.4", id="sme-and-region"),
    # sold in US (made in IN): no region discount; 0.8 x 0.9 x 0.95 = 0.684 -> 23963.94
    pytest.param("compound", "small", True, True, "US", 23964, "0.684", id="region-by-sale"),
    # 70 % + 50 % off = 120 % -> never below zero
    pytest.param("additive", "micro", False, False, "IN", 0, "0", id="additive-floor-0"),
    # large enterprises have no SME discount configured: full price
    pytest.param("compound", "large", False, False, "US", 35035, "1", id="no-discount"),
]


@pytest.mark.parametrize(
    ("stacking", "size", "early", "good", "sold_in", "cents", "multiplier"), DISCOUNTS
)
def test_discounts_in_declared_order(
    stacking: str, size: str, early: bool, good: bool, sold_in: str, cents: int, multiplier: str
) -> None:
    terms = make_terms(
        **{**SME_REGION, "discounts": {**SME_REGION["discounts"], "stacking": stacking}}
    )
    profile = LicenseeProfile(size_class=size, early_signer=early, good_standing=good)
    line = make_line("TV", 1001, country_of_manufacture="IN", country_of_sale=sold_in)
    result = charge(terms, make_report([line]), profile=profile)
    (charged,) = result.lines
    assert (charged.amount_minor, str(charged.multiplier)) == (cents, multiplier)


def test_discount_explanation_lists_discounts_in_declared_order() -> None:
    profile = LicenseeProfile(size_class="small", early_signer=True, good_standing=True)
    line = make_line("TV", 1001, country_of_sale="IN")
    (charged,) = charge(make_terms(**SME_REGION), make_report([line]), profile=profile).lines
    assert (
        "sme small x0.8, region IN x0.5, early_signer yes x0.9, good_standing yes x0.95 "
        "(compound x0.342)" in charged.explanation
    )


def test_half_even_after_discount() -> None:
    # 0.25 USD x 0.5 (region) = 12.5 cents -> 12; 3 units: 37.5 -> 38
    terms = make_terms(
        categories=[{"category": "TV", "rate": "0.25"}],
        discounts={"order": ["region"], "regions": [{"country": "US", "multiplier": "0.5"}]},
    )
    result = charge(terms, make_report([make_line("TV", 1), make_line("TV", 3)]))
    assert [line.amount_minor for line in result.lines] == [12, 38]


COVERAGE = Coverage.model_validate(
    {
        "intervals": [
            {"country": "CN", "start": "2010-01-01"},
            {"country": "US", "start": "2010-01-01", "end": "2024-02-01"},
        ]
    }
)


@pytest.mark.parametrize(
    ("made_in", "sold_in", "period", "expected"),
    [
        # made in CN, where a patent is in force: 100 x 0.50 = 50.00
        pytest.param("CN", "TH", Q1, [("per_unit", 100, 5000)], id="manufacture-covers"),
        # sold in US during Q1, where the US patent is in force until 1 February
        pytest.param("VN", "US", Q1, [("per_unit", 100, 5000)], id="sale-covers"),
        # in Q2 the US patent has lapsed and neither VN nor US is covered: charged zero
        pytest.param("VN", "US", Q2, [("not_in_force", 100, 0)], id="lapsed-charged-zero"),
        pytest.param("VN", "TH", Q1, [("not_in_force", 100, 0)], id="neither-charged-zero"),
    ],
)
def test_royalty_only_where_a_patent_is_in_force(
    made_in: str, sold_in: str, period: tuple[date, date], expected: list[tuple[str, int, int]]
) -> None:
    line = make_line("TV", 100, country_of_manufacture=made_in, country_of_sale=sold_in)
    state = YearToDate(year=2024, through=period[0]) if period != Q1 else YearToDate(year=2024)
    result = royalty_due(
        make_terms(),
        make_report([line], period),
        state,
        profile=LicenseeProfile(size_class="large"),
        in_force=COVERAGE.in_force,
    )
    assert charged_amounts(result) == expected


def test_uncovered_units_do_not_count_towards_the_year() -> None:
    line = make_line("TV", 100, country_of_manufacture="VN", country_of_sale="TH")
    result = royalty_due(
        make_terms(free_units_per_year=10),
        make_report([line]),
        YearToDate.start_of(2024),
        profile=LicenseeProfile(size_class="large"),
        in_force=COVERAGE.in_force,
    )
    assert (result.year_to_date.units_by_category, result.year_to_date.free_units_used) == ({}, 0)


# The schedule: mobile phones, tiers 0.50 then 0.30 from the 200,000th unit of the
# year, the first 100,000 units free, an annual cap of 150,000.00 USD.
SCHEDULE = {
    "free_units_per_year": 100000,
    "annual_cap_minor": 15000000,
    "categories": [
        {
            "category": "mobile",
            "tiers": [{"from_units": 0, "rate": "0.50"}, {"from_units": 200000, "rate": "0.30"}],
        }
    ],
}
QUARTERLY_UNITS = (80000, 150000, 400000, 50000)
QUARTERLY_CENTS = (
    0,  # Q1: 80,000 units, all free
    # Q2: 20,000 free (80,000..99,999), 100,000 x 0.50 (to 199,999), 30,000 x 0.30
    #     = 50,000.00 + 9,000.00 USD = 5,900,000 cents
    5900000,
    # Q3: 400,000 x 0.30 = 120,000.00 USD, but only 150,000.00 - 59,000.00 = 91,000.00 is
    #     left under the cap
    9100000,
    0,  # Q4: the cap is reached
)


def test_tiers_free_allowance_and_cap_through_the_year() -> None:
    terms = make_terms(**SCHEDULE)
    state = YearToDate.start_of(2024)
    totals = []
    for period, units in zip(QUARTERS, QUARTERLY_UNITS, strict=True):
        result = charge(terms, make_report([make_line("mobile", units)], period), state)
        totals.append(result.total_minor)
        state = result.year_to_date
    assert tuple(totals) == QUARTERLY_CENTS
    assert (state.charged_minor, state.free_units_used, state.units_by_category) == (
        15000000,
        100000,
        {"mobile": 680000},
    )


def test_the_same_year_in_one_report_gives_the_same_total() -> None:
    lines = [make_line("mobile", units) for units in QUARTERLY_UNITS]
    result = charge(make_terms(**SCHEDULE), make_report(lines, YEAR))
    assert result.total_minor == sum(QUARTERLY_CENTS)


def test_an_amount_beyond_the_largest_minor_amount_is_refused() -> None:
    # 10**15 units x 10**9 per unit x 10**4 minor units = 10**28, above MinorAmount's 10**18:
    # the line is validated (not built unchecked) and refused, as it always was
    terms = make_terms(minor_unit_exponent=4, categories=[{"category": "TV", "rate": "1000000000"}])
    with pytest.raises(pydantic.ValidationError, match="amount_before_cap_minor"):
        charge(terms, make_report([make_line(units=10**15)]))
