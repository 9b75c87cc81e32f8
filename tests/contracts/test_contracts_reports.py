"""Usage reports, the year-to-date state and coverage: bad input names the field at fault."""

from datetime import date
from typing import Any

import pydantic
import pytest
from contracts_testkit import Q1, Q2, charge, make_line, make_report, make_terms

from contracts import (
    Coverage,
    CoverageInterval,
    InvalidReport,
    Period,
    YearToDate,
    parse_report,
)
from contracts.validation import json_path

BANDED = [
    {"category": "TV", "rate": "0.5"},
    {"category": "box", "bands": [{"lower_minor": 0, "rate": "0.2"}]},
]


def report_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "currency": "USD",
        "period": {"start": "2024-01-01", "end": "2024-04-01"},
        "lines": [make_line("TV", 10)],
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (
            report_data(lines=[make_line("TV", 10, upstream_paid_units=11)]),
            "$.lines[0].upstream_paid_units",
        ),
        (report_data(lines=[make_line("TV", -1)]), "$.lines[0].units"),
        (report_data(lines=[make_line("TV", 1, net_sales_minor=-5)]), "$.lines[0].net_sales_minor"),
        (
            report_data(lines=[make_line("TV", 1, country_of_sale="USA")]),
            "$.lines[0].country_of_sale",
        ),
        (report_data(period={"start": "2024-04-01", "end": "2024-04-01"}), "$.period.end"),
        (report_data(currency="US$"), "$.currency"),
    ],
)
def test_malformed_reports_name_the_field(data: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidReport) as caught:
        parse_report(data)
    assert caught.value.path == path


def test_a_nil_report_charges_nothing_and_moves_the_year_on() -> None:
    result = charge(make_terms(), make_report([]))
    assert (result.lines, result.total_minor, result.year_to_date.through) == (
        (),
        0,
        date(2024, 4, 1),
    )


def test_every_problem_of_a_report_is_listed() -> None:
    lines = [make_line("radio", 1), make_line("box", 1), make_line("box", 1, unit_price_minor=5)]
    report = make_report(lines, currency="EUR")
    with pytest.raises(InvalidReport) as caught:
        charge(make_terms(categories=BANDED), report)
    assert caught.value.problems == (
        ("$.currency", "the terms are in USD"),
        ("$.lines[0].category", "not a category of these terms"),
        ("$.lines[1].unit_price_minor", "required to pick a band"),
    )


@pytest.mark.parametrize(
    ("period", "state", "path"),
    [
        # the state is for 2023
        (Q1, YearToDate.start_of(2023), "$.period"),
        # a period running into the next year
        ((date(2024, 12, 1), date(2025, 2, 1)), YearToDate.start_of(2024), "$.period"),
        # Q1 again after Q2 was charged
        (Q1, YearToDate(year=2024, through=Q2[1]), "$.period.start"),
    ],
)
def test_periods_are_charged_in_order_within_the_year(
    period: tuple[date, date], state: YearToDate, path: str
) -> None:
    with pytest.raises(InvalidReport) as caught:
        charge(make_terms(), make_report([], period), state)
    assert caught.value.path == path


@pytest.mark.parametrize("through", [date(2024, 1, 1), date(2025, 1, 2), date(2023, 6, 1)], ids=str)
def test_year_to_date_must_end_within_its_year(through: date) -> None:
    with pytest.raises(pydantic.ValidationError, match="through"):
        YearToDate(year=2024, through=through)


def test_year_to_date_may_end_on_new_year() -> None:
    state = YearToDate(year=2024, through=date(2025, 1, 1))
    assert state.through == date(2025, 1, 1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2023, 1, 1), None, True),  # open-ended, started before
        (date(2024, 3, 31), date(2024, 4, 1), True),  # the last day of Q1
        (date(2024, 4, 1), None, False),  # starts when Q1 ends (half-open)
        (date(2020, 1, 1), date(2024, 1, 1), False),  # ended when Q1 began
        (date(2020, 1, 1), date(2024, 1, 2), True),  # in force on 1 January
    ],
)
def test_period_overlap_is_half_open(start: date, end: date | None, expected: bool) -> None:
    assert Period(start=Q1[0], end=Q1[1]).overlaps(start, end) is expected


def test_coverage_checks_the_country() -> None:
    coverage = Coverage(intervals=(CoverageInterval(country="CN", start=date(2020, 1, 1)),))
    period = Period(start=Q1[0], end=Q1[1])
    assert (coverage.in_force("CN", period), coverage.in_force("US", period)) == (True, False)


def test_coverage_interval_must_not_be_empty() -> None:
    with pytest.raises(pydantic.ValidationError, match="after start"):
        CoverageInterval(country="CN", start=date(2024, 1, 1), end=date(2024, 1, 1))


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (("lines", 2, "units"), "$.lines[2].units"),
        (("units_by_category", "TV set"), "$.units_by_category['TV set']"),
        ((), "$"),
    ],
)
def test_json_path(location: tuple[str | int, ...], expected: str) -> None:
    assert json_path(location) == expected
