"""Text fields of a body or a form as people type them: runs of spaces made one, ends trimmed,
a blank optional field taken as no value, and an identifier's fault given as its reason alone
(one fixed sentence a page can translate)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pool.validation.errors import InvalidIdentifier


def spaced(value: Any) -> Any:
    """Text with its runs of spaces made one and the ends trimmed (a blank is empty)."""
    return " ".join(value.split()) if isinstance(value, str) else value


def optional(value: Any) -> Any:
    """As `spaced`, and an empty optional field is no value."""
    value = spaced(value)
    return None if value == "" else value


def checked(check: Callable[[str], str], value: str | None) -> str | None:
    """`check(value)`, its `InvalidIdentifier` as a `ValueError` with the reason alone."""
    if value is None:
        return None
    try:
        return check(value)
    except InvalidIdentifier as error:
        raise ValueError(error.reason) from None
