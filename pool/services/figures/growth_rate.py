"""Growth of a headline figure from one year to the next, against its target: 3 % a year for
deals and money, 10 % for the amount of pledge financing and 5 % for its projects (the
programme's targets)."""

from decimal import Decimal
from fractions import Fraction

from pool.models.figures import Growth, Headline

TARGET_GROWTH_PERCENT = Decimal(3)
PLEDGE_AMOUNT_TARGET_PERCENT = Decimal(10)
PLEDGE_PROJECTS_TARGET_PERCENT = Decimal(5)
PERCENT_PLACES = 4


def growth(figure: Headline, previous: int, current: int, target_percent: Decimal) -> Growth:
    """Growth in percent, rounded down to `PERCENT_PLACES`; the target test is exact.

    Without a positive base (a pool's first year) growth is not a number: neither the percent
    nor the target verdict exists, rather than a "not met" the pool could not have avoided."""
    if previous <= 0:
        return Growth(
            figure=figure,
            target_percent=target_percent,
            previous=previous,
            current=current,
            percent=None,
            meets_target=None,
        )
    scaled = (current - previous) * 100 * 10**PERCENT_PLACES // previous  # floor
    percent = Decimal(scaled).scaleb(-PERCENT_PLACES).quantize(Decimal(1).scaleb(-PERCENT_PLACES))
    meets = (current - previous) * 100 >= Fraction(target_percent) * previous
    return Growth(
        figure=figure,
        target_percent=target_percent,
        previous=previous,
        current=current,
        percent=percent,
        meets_target=meets,
    )
