"""The one place the service reads the wall clock; everything else is handed `now`/`today`."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Aware UTC now; tests and the demo inject their own clock instead."""
    return datetime.now(UTC)
