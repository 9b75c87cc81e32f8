"""The bounds of a date that moves money or reports use: not before the pool existed (its
`created_at` day, in UTC), not after today (the service clock's). A payment dated 0001-01-01 or
next year would be posted to the ledger on that day and counted in that period's cash, figures
and statements, so every service that takes such a date checks it here, for the API and the web
forms alike: payments received, payment notices, write-offs (`check`) and usage reports'
periods (`check_period`; a period that has not started is refused by the report checks)."""

from datetime import date

from pool.errors import FieldError, InvalidInput
from pool.models.pool import Pool

FUTURE = "{what} cannot be in the future"
BEFORE_POOL = "{what} cannot be before the pool existed"
PERIOD_BEFORE_POOL = "the period ended before the pool existed"


def check(pool: Pool, *, field: str, what: str, value: date, today: date) -> None:
    """422 naming `field` when `value` lies outside [the pool's first day, today]; `what` says
    what the date is ("the date paid"), so the message reads on a form as in a problem."""
    first = pool.created_at.date()
    if value > today:
        message, bound = FUTURE.format(what=what), f"today is {today}"
    elif value < first:
        message, bound = BEFORE_POOL.format(what=what), f"the pool was created on {first}"
    else:
        return
    raise InvalidInput(f"{field}: {message} ({bound})", [FieldError(message=message, field=field)])


def check_period(pool: Pool, *, field: str, start: date, end: date) -> None:
    """422 naming `field` when the period [start, end) ended before the pool's first day: the
    pool licensed nothing then. The period in which the pool was created is accepted."""
    first = pool.created_at.date()
    if end <= first:
        bound = f"[{start}, {end}); the pool was created on {first}"
        raise InvalidInput(
            f"{field}: {PERIOD_BEFORE_POOL} ({bound})",
            [FieldError(message=PERIOD_BEFORE_POOL, field=field)],
        )
