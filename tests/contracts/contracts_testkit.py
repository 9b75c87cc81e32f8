"""Builders shared by the contracts tests (a plain module: hypothesis needs functions)."""

from datetime import date
from typing import Any

from contracts import (
    LicenseeProfile,
    Period,
    RoyaltyResult,
    RoyaltyTerms,
    UsageReport,
    YearToDate,
    parse_report,
    parse_terms,
    royalty_due,
)

Q1 = (date(2024, 1, 1), date(2024, 4, 1))
Q2 = (date(2024, 4, 1), date(2024, 7, 1))
Q3 = (date(2024, 7, 1), date(2024, 10, 1))
Q4 = (date(2024, 10, 1), date(2025, 1, 1))
QUARTERS = (Q1, Q2, Q3, Q4)
YEAR = (date(2024, 1, 1), date(2025, 1, 1))


def make_terms(**fields: Any) -> RoyaltyTerms:
    """Terms in USD (cents) with one flat TV category unless `fields` say otherwise."""
    data: dict[str, Any] = {
        "terms_version": "2024-1",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [{"category": "TV", "rate": "0.50"}],
    }
    data.update(fields)
    return parse_terms(data)


def make_line(category: str = "TV", units: int = 0, **fields: Any) -> dict[str, Any]:
    """A report line made in CN and sold in US unless `fields` say otherwise."""
    line: dict[str, Any] = {
        "category": category,
        "country_of_manufacture": "CN",
        "country_of_sale": "US",
        "units": units,
        "net_sales_minor": 0,
    }
    line.update(fields)
    return line


def make_report(
    lines: list[dict[str, Any]], period: tuple[date, date] = Q1, currency: str = "USD"
) -> UsageReport:
    return parse_report(
        {
            "currency": currency,
            "period": {"start": period[0].isoformat(), "end": period[1].isoformat()},
            "lines": lines,
        }
    )


def everywhere(country: str, period: Period) -> bool:
    """A pool patent is in force in every country, always."""
    return True


LARGE = LicenseeProfile(size_class="large")


def charge(
    terms: RoyaltyTerms,
    report: UsageReport,
    state: YearToDate | None = None,
    profile: LicenseeProfile = LARGE,
) -> RoyaltyResult:
    """Charge `report` from `state` (the start of 2024 by default), patents in force everywhere."""
    return royalty_due(
        terms,
        report,
        state or YearToDate.start_of(2024),
        profile=profile,
        in_force=everywhere,
    )


def charged_amounts(result: RoyaltyResult) -> list[tuple[str, int, int]]:
    """(basis, units, amount) of every line, the shape the worked examples are written in."""
    return [(str(line.basis), line.units, line.amount_minor) for line in result.lines]
