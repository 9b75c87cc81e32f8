"""The days of a year the figures count, and totals by licensee size."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pool.models.figures import BySize


@dataclass(frozen=True)
class Window:
    """The days of `year` counted: `[start, end)`, `end` at most the day after today."""

    year: int
    start: date
    end: date
    complete: bool

    @classmethod
    def of(cls, year: int, today: date) -> "Window":
        next_year = date(year + 1, 1, 1)
        end = min(next_year, today + timedelta(days=1))
        return cls(year, date(year, 1, 1), end, end == next_year)

    @property
    def as_of(self) -> date:
        return self.end - timedelta(days=1)


def by_size(pairs: Iterable[tuple[str | None, Any]]) -> BySize:
    totals: dict[str, int] = {}
    for size, amount in pairs:
        key = size or "unknown"
        totals[key] = totals.get(key, 0) + int(amount or 0)
    return BySize(**totals)
