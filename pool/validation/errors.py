"""The one base class for identifier validation errors.

Every validator in this package raises a subclass of :class:`InvalidIdentifier`, so the service can
map all of them to one problem type in one place, and every error carries a ``reason`` a person can
act on (not just "invalid").
"""

from __future__ import annotations

from typing import ClassVar

_SHOWN_INPUT = 40  # long inputs are cut in messages so an error never echoes a whole upload


class InvalidIdentifier(ValueError):
    """An identifier that failed validation; ``reason`` says why, ``raw`` is what was given."""

    what: ClassVar[str] = "identifier"

    def __init__(self, reason: str, *, raw: str | None = None) -> None:
        self.reason = reason
        self.raw = raw
        super().__init__(self._message())

    def _message(self) -> str:
        if self.raw is None:
            return f"invalid {self.what}: {self.reason}"
        shown = self.raw if len(self.raw) <= _SHOWN_INPUT else self.raw[:_SHOWN_INPUT] + "..."
        return f"invalid {self.what} {shown!r}: {self.reason}"
