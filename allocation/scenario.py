"""The scenario file format (``docs/scenario.schema.json``): JSON -> :class:`AllocationInput`.

Errors name the JSON path at fault (``$.royalties[2].usage_end``). Decimal values must be
strings so that no binary float ever touches a rate; dates are ``YYYY-MM-DD``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from allocation.errors import InvalidInput
from allocation.model import (
    FORMAT_VERSION,
    AllocationInput,
    Contributor,
    Interval,
    Patent,
    RoyaltyLine,
)
from allocation.validate import check_minor, parse_decimal

_T = TypeVar("_T")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOP = {
    "format_version": False,
    "currency": True,
    "admin_fee_rate": True,
    "method": True,
    "grade_points": False,
    "tier_shares": False,
    "contributors": True,
    "patents": True,
    "royalties": True,
}


def loads_scenario(text: str) -> AllocationInput:
    """Parse scenario JSON text; raises :class:`InvalidInput`."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "$", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:
        raise InvalidInput("$", str(exc)) from None
    return parse_scenario(data)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r} in an object")
        result[key] = value
    return result


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def parse_scenario(data: object) -> AllocationInput:
    """Build the input from parsed JSON data, checking shapes and types on the way."""
    top = _object(data, "$", _TOP)
    version = top.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise InvalidInput("$.format_version", f'must be "{FORMAT_VERSION}"')
    return AllocationInput(
        currency=_string(top["currency"], "$.currency"),
        admin_fee_rate=parse_decimal(top["admin_fee_rate"], "$.admin_fee_rate"),
        method=_string(top["method"], "$.method"),
        contributors=_list(top["contributors"], "$.contributors", _contributor),
        patents=_list(top["patents"], "$.patents", _patent),
        royalties=_list(top["royalties"], "$.royalties", _royalty),
        grade_points=_table(top.get("grade_points"), "$.grade_points"),
        tier_shares=_table(top.get("tier_shares"), "$.tier_shares"),
    )


def _object(value: object, path: str, fields: dict[str, bool]) -> dict[str, Any]:
    """A JSON object with only the known ``fields`` (``True``: required)."""
    if not isinstance(value, dict):
        raise InvalidInput(path, "must be an object")
    for key in value:
        if key not in fields:
            raise InvalidInput(f"{path}.{key}", "unknown field")
    for key, required in fields.items():
        if required and key not in value:
            raise InvalidInput(f"{path}.{key}", "is required")
    return value


def _list(value: object, path: str, item: Callable[[object, str], _T]) -> tuple[_T, ...]:
    if not isinstance(value, list):
        raise InvalidInput(path, "must be an array")
    return tuple(item(entry, f"{path}[{index}]") for index, entry in enumerate(value))


def _string(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(path, "must be a string")
    return value


def _optional_string(value: object, path: str) -> str | None:
    return None if value is None else _string(value, path)


def _table(value: object, path: str) -> dict[str, Decimal]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(path, "must be an object")
    return {key: parse_decimal(entry, f"{path}.{key}") for key, entry in value.items()}


def _day(value: object, path: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise InvalidInput(path, 'must be a date like "2025-01-31"')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(path, f"{value!r} is not a valid date") from None


def _contributor(value: object, path: str) -> Contributor:
    fields = _object(value, path, {"id": True, "max_share": False, "min_amount_minor": False})
    share = fields.get("max_share")
    return Contributor(
        id=_string(fields["id"], f"{path}.id"),
        max_share=None if share is None else parse_decimal(share, f"{path}.max_share"),
        min_amount_minor=check_minor(fields.get("min_amount_minor", 0), f"{path}.min_amount_minor"),
    )


def _patent(value: object, path: str) -> Patent:
    known = {
        "id": True,
        "contributor": True,
        "country": True,
        "grade": False,
        "tier": False,
        "in_force": False,
    }
    fields = _object(value, path, known)
    in_force = fields.get("in_force")
    return Patent(
        id=_string(fields["id"], f"{path}.id"),
        contributor=_string(fields["contributor"], f"{path}.contributor"),
        country=_string(fields["country"], f"{path}.country"),
        grade=_optional_string(fields.get("grade"), f"{path}.grade"),
        tier=_optional_string(fields.get("tier"), f"{path}.tier"),
        in_force=None if in_force is None else _list(in_force, f"{path}.in_force", _interval),
    )


def _interval(value: object, path: str) -> Interval:
    if not isinstance(value, list) or len(value) != 2:
        raise InvalidInput(path, 'must be a pair ["start", "end"] (null for open-ended)')
    start, end = value
    return (
        None if start is None else _day(start, f"{path}[0]"),
        None if end is None else _day(end, f"{path}[1]"),
    )


def _royalty(value: object, path: str) -> RoyaltyLine:
    known = {
        "id": True,
        "usage_start": True,
        "usage_end": True,
        "country_of_sale": True,
        "country_of_manufacture": True,
        "amount_minor": True,
    }
    fields = _object(value, path, known)
    return RoyaltyLine(
        id=_string(fields["id"], f"{path}.id"),
        usage_start=_day(fields["usage_start"], f"{path}.usage_start"),
        usage_end=_day(fields["usage_end"], f"{path}.usage_end"),
        country_of_sale=_string(fields["country_of_sale"], f"{path}.country_of_sale"),
        country_of_manufacture=_string(
            fields["country_of_manufacture"], f"{path}.country_of_manufacture"
        ),
        amount_minor=check_minor(fields["amount_minor"], f"{path}.amount_minor"),
    )
