"""How a long service reports how far it got, without knowing who listens.

A service takes an optional `progress` callable and calls it with a step name (one of the
constants below), the units done and the units in all (0 = not known yet). The background
task runner (`pool.services.tasks`) keeps the latest call in memory for the page that polls;
the web portal turns the step names into translated text."""

from collections.abc import Callable

Progress = Callable[[str, int, int], None]

STARTING = "starting"
ALLOCATING = "allocating"  # usage periods re-apportioned by a distribution run
CHECKING_LINES = "checking_lines"  # CSV data lines validated
CHARGING = "charging"  # the validated lines charged, stored and invoiced
IMPORTING = "importing"  # rows of a patent import stored


def no_progress(step: str, done: int, total: int) -> None:
    """The default: nobody is listening."""


def every(count: int, progress: Progress) -> Callable[[str, int, int], None]:
    """Pass on one call in `count` (and the last one): a loop over 100,000 lines reports a
    hundred times, not a hundred thousand."""

    def report(step: str, done: int, total: int) -> None:
        if done % count == 0 or done == total:
            progress(step, done, total)

    return report
