"""A licensee's usage report for one period, and the year-to-date state it is charged against."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from pydantic import Field, model_validator

from contracts.base import Count, Country, Currency, Label, MinorAmount, Model, fail
from contracts.errors import InvalidReport
from contracts.validation import load


class Period(Model):
    """A half-open range of days ``[start, end)``."""

    start: date
    end: date

    @model_validator(mode="after")
    def _not_empty(self) -> "Period":
        if self.end <= self.start:
            raise fail("end must be after start (periods are [start, end))", "end")
        return self

    def overlaps(self, start: date, end: date | None) -> bool:
        """Whether this period shares a day with ``[start, end)`` (None: open-ended)."""
        return start < self.end and (end is None or self.start < end)


class UsageLine(Model):
    """Units of one category made in one country and sold in another.

    `upstream_paid_units` were already licensed further up the supply chain and are never
    charged again. `unit_price_minor` is needed only for categories priced by band.
    """

    category: Label
    country_of_manufacture: Country
    country_of_sale: Country
    units: Count
    net_sales_minor: MinorAmount
    upstream_paid_units: Count = 0
    unit_price_minor: MinorAmount | None = None

    @model_validator(mode="after")
    def _upstream_within_units(self) -> "UsageLine":
        if self.upstream_paid_units > self.units:
            raise fail("cannot exceed units", "upstream_paid_units")
        return self


class UsageReport(Model):
    """One period's report; no lines is a nil report (still a report)."""

    currency: Currency
    period: Period
    lines: tuple[UsageLine, ...] = ()


class YearToDate(Model):
    """A licensee's running totals for one calendar year, carried from period to period.

    `through` is the end of the last period applied; the next report must not start before it,
    so tiers, the free allowance and caps are consumed in chronological order.
    """

    year: int = Field(strict=True, ge=1900, le=9998)
    through: date | None = None
    units_by_category: Mapping[Label, Count] = Field(default_factory=dict)
    free_units_used: Count = 0
    charged_minor: MinorAmount = 0
    charged_by_category_minor: Mapping[Label, MinorAmount] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _through_in_year(self) -> "YearToDate":
        if self.through is not None and not (
            date(self.year, 1, 1) < self.through <= date(self.year + 1, 1, 1)
        ):
            raise fail(f"must fall after the start of {self.year} and by its end", "through")
        return self

    @classmethod
    def start_of(cls, year: int) -> "YearToDate":
        """The state before any period of `year` has been charged."""
        return cls(year=year)


@dataclass
class Running:
    """Mutable year-to-date totals while one report is charged."""

    units: dict[str, int]
    free_used: int
    charged: int
    charged_by_category: dict[str, int]

    @classmethod
    def of(cls, state: YearToDate) -> "Running":
        return cls(
            dict(state.units_by_category),
            state.free_units_used,
            state.charged_minor,
            dict(state.charged_by_category_minor),
        )

    def state(self, year: int, through: date) -> YearToDate:
        return YearToDate(
            year=year,
            through=through,
            units_by_category=dict(sorted(self.units.items())),
            free_units_used=self.free_used,
            charged_minor=self.charged,
            charged_by_category_minor=dict(sorted(self.charged_by_category.items())),
        )


def parse_report(data: object) -> UsageReport:
    """Validate a usage report from JSON text or a mapping; raise `InvalidReport` with paths."""
    return load(UsageReport, data, InvalidReport)
