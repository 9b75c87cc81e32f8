"""Property tests for the money invariants of `contracts`."""

from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from contracts_testkit import QUARTERS, YEAR, make_report
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import (
    Accrual,
    LateInterest,
    LicenseeProfile,
    Period,
    RoyaltyResult,
    RoyaltyTerms,
    UsageReport,
    YearToDate,
    late_interest,
    parse_payment_terms,
    parse_terms,
    payment_schedule,
    round_half_even,
    royalty_due,
    split_equally,
)

PROPERTY = settings(max_examples=60, deadline=None)
COUNTRIES = ("CN", "US", "IN", "VN")
COVERED = frozenset({"CN", "US", "IN"})  # VN has no pool patent


def in_force(country: str, period: Period) -> bool:
    """Coverage that does not depend on the period, so a year equals its four quarters."""
    return country in COVERED


def rates(places: int = 4) -> st.SearchStrategy[str]:
    return st.decimals(min_value=0, max_value=5, places=places).map(str)


@st.composite
def per_unit_schedule(draw: st.DrawFn, places: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["rate", "tiers", "bands"]))
    if kind == "rate":
        return {"rate": draw(rates(places))}
    if kind == "tiers":
        starts = draw(st.lists(st.integers(1, 3000), max_size=3, unique=True))
        return {
            "tiers": [{"from_units": s, "rate": draw(rates(places))} for s in [0, *sorted(starts)]]
        }
    edge = draw(st.integers(1, 50000))
    upper_inclusive = draw(st.booleans())
    return {
        "bands": [
            {
                "lower_minor": 0,
                "upper_minor": edge,
                "upper_inclusive": upper_inclusive,
                "rate": draw(rates(places)),
            },
            {
                "lower_minor": edge,
                "lower_inclusive": not upper_inclusive,
                "rate": draw(rates(places)),
            },
        ]
    }


@st.composite
def discounts(draw: st.DrawFn) -> dict[str, Any]:
    multiplier = st.decimals(min_value=0, max_value=1, places=3).map(str)
    offered = {
        "sme": {"micro": draw(multiplier), "small": draw(multiplier), "medium": draw(multiplier)},
        "region": [{"country": "IN", "multiplier": draw(multiplier)}],
        "early_signer": draw(multiplier),
        "good_standing": draw(multiplier),
    }
    kinds = draw(st.permutations(list(offered)))[: draw(st.integers(0, 4))]
    data: dict[str, Any] = {
        "order": kinds,
        "stacking": draw(st.sampled_from(["compound", "additive"])),
    }
    for kind in kinds:
        data["regions" if kind == "region" else kind] = offered[kind]
    return data


@st.composite
def royalty_terms(draw: st.DrawFn, whole_minor_rates: bool = False) -> RoyaltyTerms:
    """Random terms; with `whole_minor_rates`, every per-unit rate is a whole number of cents
    and there are no discounts or percent categories, so no line ever needs rounding."""
    places = 2 if whole_minor_rates else 4
    caps = st.none() | st.integers(0, 400000)
    categories = [
        {"category": "TV", **draw(per_unit_schedule(places)), "annual_cap_minor": draw(caps)},
        {"category": "mobile", **draw(per_unit_schedule(places))},
    ]
    if not whole_minor_rates:
        percent = draw(st.decimals(min_value=0, max_value=30, places=2))
        categories.append(
            {"category": "PC", "basis": "percent_of_net_sales", "percent": str(percent)}
        )
    return parse_terms(
        {
            "terms_version": "property",
            "currency": "USD",
            "minor_unit_exponent": 2,
            "categories": categories,
            "free_units_per_year": draw(st.integers(0, 3000)),
            "annual_cap_minor": draw(caps),
            "discounts": {} if whole_minor_rates else draw(discounts()),
        }
    )


@st.composite
def usage_line(draw: st.DrawFn, categories: list[str]) -> dict[str, Any]:
    units = draw(st.integers(0, 2500))
    return {
        "category": draw(st.sampled_from(categories)),
        "country_of_manufacture": draw(st.sampled_from(COUNTRIES)),
        "country_of_sale": draw(st.sampled_from(COUNTRIES)),
        "units": units,
        "net_sales_minor": draw(st.integers(0, 10**7)),
        "upstream_paid_units": draw(st.integers(0, units)),
        "unit_price_minor": draw(st.integers(0, 100000)),
    }


@st.composite
def quarters(draw: st.DrawFn, terms: RoyaltyTerms) -> list[list[dict[str, Any]]]:
    names = [item.category for item in terms.categories]
    return [draw(st.lists(usage_line(names), max_size=4)) for _ in QUARTERS]


profiles = st.builds(
    LicenseeProfile,
    size_class=st.sampled_from(["micro", "small", "medium", "large"]),
    early_signer=st.booleans(),
    good_standing=st.booleans(),
)


def run_quarters(
    terms: RoyaltyTerms, lines: list[list[dict[str, Any]]], profile: LicenseeProfile
) -> list[RoyaltyResult]:
    state = YearToDate.start_of(2024)
    results = []
    for period, quarter in zip(QUARTERS, lines, strict=True):
        result = royalty_due(
            terms, make_report(quarter, period), state, profile=profile, in_force=in_force
        )
        results.append(result)
        state = result.year_to_date
    return results


def charge_year(
    terms: RoyaltyTerms, report: UsageReport, profile: LicenseeProfile
) -> RoyaltyResult:
    return royalty_due(terms, report, YearToDate.start_of(2024), profile=profile, in_force=in_force)


@PROPERTY
@given(st.data(), royalty_terms(), profiles)
def test_four_quarters_equal_the_year_reported_line_by_line(
    data: st.DataObject, terms: RoyaltyTerms, profile: LicenseeProfile
) -> None:
    lines = data.draw(quarters(terms))
    results = run_quarters(terms, lines, profile)
    year = charge_year(
        terms, make_report([line for quarter in lines for line in quarter], YEAR), profile
    )
    quarterly = [line.amount_minor for result in results for line in result.lines]
    assert quarterly == [line.amount_minor for line in year.lines]
    assert results[-1].year_to_date == year.year_to_date


@PROPERTY
@given(st.data(), royalty_terms(whole_minor_rates=True))
def test_aggregated_year_equals_quarters_when_no_line_needs_rounding(
    data: st.DataObject, terms: RoyaltyTerms
) -> None:
    # one line per quarter, same category, countries and price; the year reports their sums
    line = data.draw(usage_line([item.category for item in terms.categories]))
    splits = data.draw(st.lists(st.integers(0, 2500), min_size=4, max_size=4))
    upstream = [data.draw(st.integers(0, units)) for units in splits]
    lines = [
        [{**line, "units": u, "upstream_paid_units": p}]
        for u, p in zip(splits, upstream, strict=True)
    ]
    large = LicenseeProfile(size_class="large")
    results = run_quarters(terms, lines, large)
    summed = {**line, "units": sum(splits), "upstream_paid_units": sum(upstream)}
    year = charge_year(terms, make_report([summed], YEAR), large)
    assert sum(result.total_minor for result in results) == year.total_minor
    assert results[-1].year_to_date.charged_minor == year.year_to_date.charged_minor


@PROPERTY
@given(st.data(), royalty_terms(), profiles)
def test_amounts_are_non_negative_ints_within_the_caps(
    data: st.DataObject, terms: RoyaltyTerms, profile: LicenseeProfile
) -> None:
    lines = data.draw(quarters(terms))
    charged = 0
    for result in run_quarters(terms, lines, profile):
        for line in result.lines:
            amounts = (line.amount_minor, line.amount_before_cap_minor, line.cap_reduction_minor)
            assert all(type(amount) is int and amount >= 0 for amount in amounts)
            assert line.amount_minor + line.cap_reduction_minor == line.amount_before_cap_minor
        charged += result.total_minor
        state = result.year_to_date
        assert state.charged_minor == charged == sum(state.charged_by_category_minor.values())
        if terms.annual_cap_minor is not None:
            assert state.charged_minor <= terms.annual_cap_minor
        tv_cap = terms.categories[0].annual_cap_minor
        if tv_cap is not None:
            assert state.charged_by_category_minor.get("TV", 0) <= tv_cap
        assert state.free_units_used <= terms.free_units_per_year


@PROPERTY
@given(st.data(), royalty_terms(), profiles)
def test_every_reported_unit_is_accounted_for_once(
    data: st.DataObject, terms: RoyaltyTerms, profile: LicenseeProfile
) -> None:
    lines = data.draw(quarters(terms))[0]
    result = charge_year(terms, make_report(lines), profile)
    for index, line in enumerate(lines):
        produced = [item for item in result.lines if item.report_line == index]
        assert sum(item.units for item in produced) == line["units"]


@PROPERTY
@given(st.data(), royalty_terms(), profiles)
def test_the_result_is_deterministic(
    data: st.DataObject, terms: RoyaltyTerms, profile: LicenseeProfile
) -> None:
    report = make_report(data.draw(quarters(terms))[0])
    again = parse_terms(terms.canonical_json())
    first, second = charge_year(terms, report, profile), charge_year(again, report, profile)
    assert first.model_dump_json() == second.model_dump_json()
    assert again.sha256() == terms.sha256()


@PROPERTY
@given(
    st.lists(st.integers(0, 10**12), min_size=1, max_size=5),
    st.integers(1, 24),
    st.integers(1, 12),
)
def test_instalments_sum_exactly(amounts: list[int], count: int, interval: int) -> None:
    terms = parse_payment_terms({"instalments": {"count": count, "interval_months": interval}})
    accruals = [
        Accrual(reference=f"A{index}", accrued_on=date(2024, 1, 31), amount_minor=amount)
        for index, amount in enumerate(amounts)
    ]
    schedule = payment_schedule(terms, accruals)
    for accrual in accruals:
        parts = [item.amount_minor for item in schedule if item.reference == accrual.reference]
        assert (sum(parts), len(parts)) == (accrual.amount_minor, count)
        assert max(parts) - min(parts) <= 1


@PROPERTY
@given(
    st.sampled_from(
        [{}, {"grace": {"months": 3}}, {"revenue_threshold": {"threshold_minor": 10**6}}]
    ),
    st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10**6), st.dates()), max_size=6),
)
def test_every_schedule_keeps_each_accrual_whole(
    fields: dict[str, Any], rows: list[tuple[int, int, date]]
) -> None:
    accruals = [
        Accrual(
            reference=f"A{i}",
            accrued_on=min(day, date(9000, 1, 1)),
            amount_minor=a,
            net_sales_minor=s,
        )
        for i, (a, s, day) in enumerate(rows)
    ]
    schedule = payment_schedule(parse_payment_terms(fields), accruals)
    assert sorted((item.reference, item.amount_minor) for item in schedule) == sorted(
        (item.reference, item.amount_minor) for item in accruals
    )


@PROPERTY
@given(st.integers(0, 10**15), st.integers(1, 10**4))
def test_round_half_even_agrees_with_decimal_quantize(numerator: int, denominator: int) -> None:
    exact = Context(prec=60).divide(Decimal(numerator), Decimal(denominator))
    expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    # the 60-digit quotient is exact enough: a ratio with denominator <= 10**4 is never within
    # 10**-40 of a half without being one
    assert round_half_even(numerator, denominator) == expected


@PROPERTY
@given(st.integers(0, 10**15), st.integers(1, 1000))
def test_split_equally_sums_exactly(total: int, parts: int) -> None:
    split = split_equally(total, parts)
    assert (sum(split), len(split), max(split) - min(split) <= 1) == (total, parts, True)


@PROPERTY
@given(
    st.integers(0, 10**12),
    st.integers(0, 2000),
    st.decimals(min_value=0, max_value=30, places=3),
)
def test_late_interest_grows_with_days_late(principal: int, days: int, percent: Decimal) -> None:
    terms = LateInterest(annual_percent=percent)
    due = date(2024, 1, 1)
    paid = date.fromordinal(due.toordinal() + days)
    later = date.fromordinal(paid.toordinal() + 1)
    now = late_interest(principal, due_on=due, paid_on=paid, terms=terms)
    assert 0 <= now <= late_interest(principal, due_on=due, paid_on=later, terms=terms)
