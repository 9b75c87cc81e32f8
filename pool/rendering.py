"""The one Jinja environment: every template under the top-level `templates/` package.

Autoescape is on (names come from users) and undefined variables are errors, so a template
never silently prints an empty field. Templates only format prepared view models; the filters
below are that formatting, done in Python and exactly (no floats):

- ``money(amount_minor, currency)``: integer minor units as a grouped decimal, ``1,234.56``;
- ``percent(rate)``: a decimal rate string as a percentage, ``"0.125"`` -> ``12.5%``;
- ``last_day(end)``: the last day (ISO) of a half-open period ending at ``end``.
"""

from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from allocation.currency import format_minor


def money(amount_minor: int, currency: str) -> str:
    """Minor units in major units with grouping, exactly: ``123456`` CNY -> ``1,234.56``."""
    return format_minor(amount_minor, currency)


def percent(rate: str) -> str:
    """A rate kept as a decimal string, shown as a percentage: ``"0.10"`` -> ``10%``."""
    return f"{Decimal(rate).scaleb(2).normalize():f}%"


def last_day(end: date) -> str:
    """Periods are half-open ``[start, end)``; people read the last day they cover."""
    return (end - timedelta(days=1)).isoformat()


@cache
def environment() -> Environment:
    """Built once per process, on first use (nothing is built at import)."""
    env = Environment(
        loader=PackageLoader("templates", ""),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(money=money, percent=percent, last_day=last_day)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
