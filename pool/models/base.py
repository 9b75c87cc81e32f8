"""Column helpers shared by every table."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, String
from sqlmodel import Field

from pool.db import UTCDateTime


def timestamp_field(**kwargs: Any) -> Any:
    """An aware-UTC timestamp column (naive datetimes are refused on write)."""
    return Field(sa_type=UTCDateTime, **kwargs)


def enum_field(length: int = 32, **kwargs: Any) -> Any:
    """Enumerations are stored as short strings: portable, and migrations stay simple."""
    return Field(sa_type=String(length), **kwargs)


def money_field(**kwargs: Any) -> Any:
    """Integer minor units (BigInteger): never floats, never NUMERIC on SQLite."""
    return Field(sa_type=BigInteger, **kwargs)


def json_field(**kwargs: Any) -> Any:
    return Field(sa_type=JSON, **kwargs)


__all__ = ["datetime", "enum_field", "json_field", "money_field", "timestamp_field"]
