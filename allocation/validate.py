"""Validation of allocation inputs, naming the path of the first value at fault.

Paths are JSON-path-like and follow the scenario file format, so the same message serves
the CLI (``$.royalties[2].usage_end``) and the service (``$.grade_points.A``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from allocation.currency import is_currency
from allocation.errors import InvalidInput
from allocation.model import METHODS, AllocationInput, Contributor, Patent, RoyaltyLine

_COUNTRY = re.compile(r"[A-Z]{2}")
_PARAMETERS = ("grade_points", "tier_shares")


def validate_method(method: str, parameters: Mapping[str, object]) -> None:
    """Check an allocation method and its parameters (``grade_points``, ``tier_shares``).

    Values may be ``Decimal`` or decimal strings. Paths are relative to ``parameters``.
    Tier shares must sum to exactly 1 so that no tier's money is created or lost.
    """
    if method not in METHODS:
        raise InvalidInput("$.method", f"must be one of {', '.join(METHODS)}")
    for key in parameters:
        if key not in _PARAMETERS:
            raise InvalidInput(f"$.{key}", "unknown parameter")
    tables = {key: _positive_table(key, parameters.get(key)) for key in _PARAMETERS}
    if method == "grade_weighted" and not tables["grade_points"]:
        raise InvalidInput("$.grade_points", "required by the grade_weighted method")
    if method == "tiered":
        if not tables["tier_shares"]:
            raise InvalidInput("$.tier_shares", "required by the tiered method")
        if sum(tables["tier_shares"].values()) != 1:
            raise InvalidInput("$.tier_shares", "tier shares must sum to exactly 1")


def _positive_table(key: str, table: object) -> dict[str, Decimal]:
    if table is None:
        return {}
    if not isinstance(table, Mapping):
        raise InvalidInput(f"$.{key}", "must be an object")
    parsed: dict[str, Decimal] = {}
    for name, value in table.items():
        path = f"$.{key}.{name}"
        if not isinstance(name, str) or not name:
            raise InvalidInput(path, "keys must be non-empty strings")
        parsed[name] = parse_decimal(value, path)
        if parsed[name] <= 0:
            raise InvalidInput(path, "must be greater than 0")
    return parsed


def parse_decimal(value: object, path: str) -> Decimal:
    """A finite ``Decimal`` from a ``Decimal`` or a plain decimal string (``"0.10"``)."""
    if isinstance(value, str):
        if not re.fullmatch(r"-?\d+(\.\d+)?", value):
            raise InvalidInput(path, f'must be a decimal string like "0.25", got {value!r}')
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    raise InvalidInput(path, 'must be a decimal string like "0.25" (not a JSON number)')


def _decimal_field(value: object, path: str) -> Decimal:
    """In-process inputs carry ``Decimal`` values (the scenario parser converts strings)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidInput(path, "must be a finite Decimal")
    return value


def validate_input(inp: AllocationInput) -> None:
    """Check a whole input; raises :class:`InvalidInput` naming the first fault.

    Paths are only formatted for the value at fault: inputs can hold 100,000 patents.
    """
    if not is_currency(inp.currency):
        raise InvalidInput("$.currency", f"unknown ISO 4217 currency code {inp.currency!r}")
    rate = _decimal_field(inp.admin_fee_rate, "$.admin_fee_rate")
    if not 0 <= rate <= 1:
        raise InvalidInput("$.admin_fee_rate", "must be between 0 and 1")
    params = {"grade_points": inp.grade_points, "tier_shares": inp.tier_shares}
    validate_method(inp.method, {k: v for k, v in params.items() if v})
    _unique_ids("contributors", [c.id for c in inp.contributors])
    _unique_ids("patents", [p.id for p in inp.patents])
    _unique_ids("royalties", [r.id for r in inp.royalties])
    for index, contributor in enumerate(inp.contributors):
        _check_contributor(f"$.contributors[{index}]", contributor)
    known = {c.id for c in inp.contributors}
    countries: set[str] = set()
    for index, patent in enumerate(inp.patents):
        _check_patent(index, patent, inp, known, countries)
    for index, line in enumerate(inp.royalties):
        _check_royalty(f"$.royalties[{index}]", line)


def _unique_ids(collection: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if not isinstance(ident, str) or not ident:
            raise InvalidInput(f"$.{collection}[{index}].id", "must be a non-empty string")
        if ident in seen:
            raise InvalidInput(f"$.{collection}[{index}].id", f"duplicate id {ident!r}")
        seen.add(ident)


def _check_contributor(path: str, contributor: Contributor) -> None:
    if contributor.max_share is not None:
        share = _decimal_field(contributor.max_share, f"{path}.max_share")
        if not 0 <= share <= 1:
            raise InvalidInput(f"{path}.max_share", "must be between 0 and 1")
    check_minor(contributor.min_amount_minor, f"{path}.min_amount_minor")


def check_minor(value: object, path: str) -> int:
    """An amount of minor units: a non-negative ``int`` (``bool`` is not an amount)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(path, "must be an integer number of minor units")
    if value < 0:
        raise InvalidInput(path, "must not be negative")
    return value


def _check_patent(
    index: int, patent: Patent, inp: AllocationInput, known: set[str], countries: set[str]
) -> None:
    if patent.contributor not in known:
        raise InvalidInput(
            f"$.patents[{index}].contributor", f"unknown contributor {patent.contributor!r}"
        )
    if patent.country not in countries:
        _check_country(patent.country, f"$.patents[{index}].country")
        countries.add(patent.country)
    if inp.method == "grade_weighted" and patent.grade not in inp.grade_points:
        raise InvalidInput(
            f"$.patents[{index}].grade",
            f"must be one of the grade_points keys, got {patent.grade!r}",
        )
    if inp.method == "tiered" and patent.tier not in inp.tier_shares:
        raise InvalidInput(
            f"$.patents[{index}].tier", f"must be one of the tier_shares keys, got {patent.tier!r}"
        )
    if patent.in_force is not None:
        _check_intervals(f"$.patents[{index}].in_force", patent.in_force)


def _check_intervals(path: str, intervals: tuple[tuple[date | None, date | None], ...]) -> None:
    """Intervals must be proper and disjoint: an overlap would count the same day twice."""
    for index, (start, end) in enumerate(intervals):
        for bound in (start, end):
            if bound is not None:
                _check_date(bound, f"{path}[{index}]")
        if start is not None and end is not None and end <= start:
            raise InvalidInput(f"{path}[{index}]", "end must be after start")
    for index, (start, end) in enumerate(intervals):
        for other in range(index):
            o_start, o_end = intervals[other]
            if (end is None or o_start is None or o_start < end) and (
                o_end is None or start is None or start < o_end
            ):
                raise InvalidInput(f"{path}[{index}]", f"overlaps interval [{other}]")


def _check_royalty(path: str, line: RoyaltyLine) -> None:
    _check_date(line.usage_start, f"{path}.usage_start")
    _check_date(line.usage_end, f"{path}.usage_end")
    if line.usage_end <= line.usage_start:
        raise InvalidInput(f"{path}.usage_end", "must be after usage_start")
    _check_country(line.country_of_sale, f"{path}.country_of_sale")
    _check_country(line.country_of_manufacture, f"{path}.country_of_manufacture")
    check_minor(line.amount_minor, f"{path}.amount_minor")


def _check_date(value: object, path: str) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput(path, "must be a date")


def _check_country(value: object, path: str) -> None:
    if not isinstance(value, str) or not _COUNTRY.fullmatch(value):
        raise InvalidInput(path, 'must be an ISO 3166 alpha-2 country code like "CN"')
