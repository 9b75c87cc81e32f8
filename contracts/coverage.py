"""Where and when a pool patent is in force, as the royalty computation needs it.

The pool (not `contracts`) knows the patents; it passes either a `Coverage` built from its
in-force intervals or any function ``(country, period) -> bool``.
"""

from collections.abc import Callable
from datetime import date

from pydantic import model_validator

from contracts.base import Country, Model, fail
from contracts.report import Period

InForce = Callable[[str, Period], bool]
"""Whether at least one pool patent is in force in a country on some day of a period."""


class CoverageInterval(Model):
    """At least one pool patent is in force in `country` over ``[start, end)``."""

    country: Country
    start: date
    end: date | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> "CoverageInterval":
        if self.end is not None and self.end <= self.start:
            raise fail("end must be after start", "end")
        return self


class Coverage(Model):
    """A set of in-force intervals; use `coverage.in_force` as the `InForce` predicate."""

    intervals: tuple[CoverageInterval, ...] = ()

    def in_force(self, country: str, period: Period) -> bool:
        """True when an interval of `country` shares at least one day with `period`."""
        return any(
            interval.country == country and period.overlaps(interval.start, interval.end)
            for interval in self.intervals
        )
