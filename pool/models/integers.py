"""The integers a request body may carry, bounded once, by type, to what the database holds;
and its dates, which are ISO text only (`Day`).

A body integer was validated only as `int`, so an id of 2^63 raised `OverflowError` in the
SQLite driver and one of 2^31 "integer out of range" on PostgreSQL: 500s (issue 13). Every
integer field of a JSON body (and so of the web forms and CSV lines parsed into the same
schemas) is one of these types: out of range is a 422 naming the field, before any query.

The bounds are `annotated_types` constraints, which pydantic enforces and Litestar writes onto
the integer's own schema in the OpenAPI document, also inside `| None` and `list[...]` (a
pydantic `Field(ge=0)` there is dropped from the document, or written without its 0).
"""

import re
from datetime import date, datetime
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def _refuse_bool(value: Any) -> Any:
    """JSON's true and false are not numbers: pydantic would read them as 1 and 0 (a token
    for `true` days was issued for one). Digit strings still pass: the web forms send them."""
    if isinstance(value, bool):
        raise ValueError("must be an integer, not true or false")
    return value


NotBool = BeforeValidator(_refuse_bool)

MAX_ID = 2**31 - 1  # ids are `integer` keys from 1 (PostgreSQL: 32 bits, the smaller)
# Other integers (amounts, counts): the largest a JSON number, and the OpenAPI bound Litestar
# writes as a float, state exactly; well inside the 64 bits of a BigInteger column.
MAX_EXACT = 2**53 - 1
MAX_UNITS = 10**12  # units on one report line (BigInteger columns)
MAX_MINOR = 10**15  # an amount in minor units on one line, payment or notice (BigInteger)

BodyId = Annotated[int, Interval(ge=1, le=MAX_ID), NotBool]
"""An id in a body: a row's `integer` key, or a foreign key to one."""
Units = Annotated[int, Interval(ge=0, le=MAX_UNITS), NotBool]
Minor = Annotated[int, Interval(ge=0, le=MAX_MINOR), NotBool]
PositiveMinor = Annotated[int, Interval(ge=1, le=MAX_MINOR), NotBool]
"""Money that moves: at least one minor unit."""

_ID_DIGITS = len(str(MAX_ID))


def id_from_text(text: str) -> int | None:
    """An id typed in a form, or None when it can name no row (not digits, or out of range):
    its page refuses it as it refuses any missing id, and `int()` never sees 5,000 digits."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > _ID_DIGITS:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day_only(value: Any) -> Any:
    """A day is written YYYY-MM-DD. Pydantic would also read a number, or digits in a string,
    as Unix time: `"effective_from": 0` was stored as 1970-01-01 (found by the API fuzzing
    step). A date passes as itself (the pages build bodies from parsed forms)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    # pydantic's own type for an unreadable date, so the pages' words for it apply
    raise PydanticCustomError("date_parsing", "must be a date written YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day_only)]
"""A date in a body: YYYY-MM-DD text, never a number read as a timestamp."""
