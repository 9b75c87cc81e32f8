"""A schema's refusal (pydantic) in the portal's own words, so pages can translate it.

Pydantic writes its messages in English ("String should have at least 1 character"); a page
shows our msgid for the error's `type`, with the limits from its `ctx` filled in (a `Phrase`,
translated by `| translate`). An error type not listed keeps pydantic's text, or, for our own
validators (`value_error`), the validator's message.
"""

from typing import Any

from pydantic import ValidationError

from pool.errors import FieldError, InvalidInput
from pool.rendering import Phrase
from pool.web.i18n import N_

REQUIRED = N_("required")
ENTER_A_DATE = N_("enter a date")
NOT_A_WHOLE_NUMBER = N_("not a whole number")
NOT_A_NUMBER = N_("not a number")
CHOOSE_ONE = N_("choose at least one")
PLAIN = {
    "missing": REQUIRED,
    "int_parsing": NOT_A_WHOLE_NUMBER,
    "int_type": NOT_A_WHOLE_NUMBER,
    "int_from_float": NOT_A_WHOLE_NUMBER,
    "decimal_parsing": NOT_A_NUMBER,
    "decimal_type": NOT_A_NUMBER,
    "float_parsing": NOT_A_NUMBER,
    "date_parsing": ENTER_A_DATE,
    "date_from_datetime_parsing": ENTER_A_DATE,
    "date_from_datetime_inexact": ENTER_A_DATE,
    "date_type": ENTER_A_DATE,
    "bool_parsing": N_("choose yes or no"),
    "string_pattern_mismatch": N_("not in the expected format"),
    "string_type": N_("enter text"),
    "list_type": CHOOSE_ONE,
}
WITH_LIMIT = {  # type -> (msgid, the ctx key it names)
    "string_too_short": (N_("must be at least %(limit)s characters"), "min_length"),
    "string_too_long": (N_("must be at most %(limit)s characters"), "max_length"),
    "too_long": (N_("at most %(limit)s items"), "max_length"),
    "greater_than": (N_("must be greater than %(limit)s"), "gt"),
    "greater_than_equal": (N_("must be at least %(limit)s"), "ge"),
    "less_than": (N_("must be less than %(limit)s"), "lt"),
    "less_than_equal": (N_("must be at most %(limit)s"), "le"),
}
CHOICES = N_("choose one of: %(choices)s")
VALUE_ERROR_PREFIX = "Value error, "


def message(error: Any) -> str:
    """One pydantic error (an `ErrorDetails`) as a msgid or a `Phrase`."""
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return REQUIRED  # an empty field: what a person understands
    if kind == "too_short":
        return CHOOSE_ONE
    if kind in PLAIN:
        return PLAIN[kind]
    if kind in WITH_LIMIT and WITH_LIMIT[kind][1] in ctx:
        msgid, key = WITH_LIMIT[kind]
        return Phrase(msgid, limit=ctx[key])
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return Phrase(CHOICES, choices=str(ctx["expected"]))
    text = str(error.get("msg", "invalid"))
    return text.removeprefix(VALUE_ERROR_PREFIX) if kind == "value_error" else text


def field_of(error: Any) -> str | None:
    """The top-level field an error is about (the form's field), if any."""
    location = error.get("loc") or ()
    return str(location[0]) if location else None


def by_field(errors: list[Any]) -> dict[str, list[str]]:
    """Every error's message under its top-level field ("" when it names none)."""
    found: dict[str, list[str]] = {}
    for error in errors:
        found.setdefault(field_of(error) or "", []).append(message(error))
    return found


def invalid_input(detail: str, error: ValidationError) -> InvalidInput:
    """The refusal as the domain error a form handler shows with `FormErrors.of`."""
    faults = [FieldError(message=message(e), field=field_of(e)) for e in error.errors()]
    return InvalidInput(detail, faults)
