"""Yearly performance figures of a pool as the Beijing programme counts them (`summary`, re-exported
here as `figures.yearly(...)`): deals (`deals`), money (`money`), growth against the target
(`growth_rate`), the counted days and totals by licensee size (`window`), the plain-text table
(`table`) and the years with data (`years`: `figures.years_with_data(...)`). It only reads, and
calls `licensing` (review flags) and `pools`."""

from pool.services.figures.summary import (
    FIRST_YEAR,
    LAST_YEAR,
    PERCENT_PLACES,
    TARGET_GROWTH_PERCENT,
    Window,
    defers,
    growth,
    yearly,
)
from pool.services.figures.years import Years
from pool.services.figures.years import with_data as years_with_data

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "PERCENT_PLACES",
    "TARGET_GROWTH_PERCENT",
    "Window",
    "Years",
    "defers",
    "growth",
    "yearly",
    "years_with_data",
]
