"""The integers a request body may carry, bounded once, by type, to what the database holds.

A body integer was validated only as `int`, so an id of 2^63 raised `OverflowError` in the
SQLite driver and one of 2^31 "integer out of range" on PostgreSQL: 500s (issue 13). Every
integer field of a JSON body (and so of the web forms and CSV lines parsed into the same
schemas) is one of these types: out of range is a 422 naming the field, before any query.

The bounds are `annotated_types` constraints, which pydantic enforces and Litestar writes onto
the integer's own schema in the OpenAPI document, also inside `| None` and `list[...]` (a
pydantic `Field(ge=0)` there is dropped from the document, or written without its 0).
"""

from typing import Annotated, Any

from annotated_types import Interval
from pydantic import BeforeValidator


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
