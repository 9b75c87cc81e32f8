"""JSON-safe snapshots of rows, for the audit trail's before/after."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlmodel import SQLModel

_SECRET_FIELDS = frozenset({"password_hash", "token_hash"})


def json_safe(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    """Every column of a row except secrets, with dates/decimals as strings."""
    if row is None:
        return None
    data = row.model_dump()
    return {k: json_safe(v) for k, v in sorted(data.items()) if k not in _SECRET_FIELDS}
