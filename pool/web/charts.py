"""Charts drawn on the server as inline SVG: the geometry is computed here, in whole pixels
from exact fractions of the amounts, so templates only place what they are given.

No JavaScript and no chart library: the page's CSP allows neither, and the figures stay
readable without scripts (each bar carries its amount in a `<title>`, and the page lists the
same figures in a table).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

WIDTH = 640
HEIGHT = 260
LEFT = 110  # room for the amounts on the axis
RIGHT = 10
TOP = 24  # room for the amount above the highest bar
BOTTOM = 30  # room for the period labels
VALUE_ABOVE = 6  # gap between a bar's top and its amount
BAR_SHARE = Fraction(3, 5)  # of each period's slot; the rest is the gap


@dataclass(frozen=True)
class Point:
    """One value to draw: a period and its amount in minor units."""

    period_start: date
    period_last_day: date
    amount_minor: int


@dataclass(frozen=True)
class Bar:
    period_start: date
    period_last_day: date
    amount_minor: int
    x: int
    y: int
    width: int
    height: int
    label_x: int  # the middle of the bar, for its period label and its amount
    value_y: int  # the amount's baseline: above the bar (above the zero line if negative)
    negative: bool


@dataclass(frozen=True)
class Tick:
    """A horizontal guide line at `y`, labelled with its amount."""

    y: int
    amount_minor: int


@dataclass(frozen=True)
class BarChart:
    """A bar per period, in the currency given; `baseline_y` is the zero line."""

    currency: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline_y: int
    label_y: int
    tick_label_x: int
    bars: list[Bar]
    ticks: list[Tick]


def _px(value: Fraction) -> int:
    return round(value)


def bar_chart(points: Sequence[Point], currency: str) -> BarChart:
    """Bars for `points` in the order given; the scale runs from the smallest amount (or 0)
    to the largest (or 0), so a negative period (a refund) hangs below the zero line."""
    top = max([0, *(p.amount_minor for p in points)])
    bottom = min([0, *(p.amount_minor for p in points)])
    span = (top - bottom) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT

    def y_of(amount: int) -> int:
        return _px(TOP + Fraction((top - amount) * plot_height, span))

    baseline = y_of(0)
    slot = Fraction(plot_width, max(len(points), 1))
    bar_width = max(_px(slot * BAR_SHARE), 1)
    bars = []
    for index, point in enumerate(points):
        left = LEFT + slot * index + (slot - bar_width) / 2
        end = y_of(point.amount_minor)
        bars.append(
            Bar(
                period_start=point.period_start,
                period_last_day=point.period_last_day,
                amount_minor=point.amount_minor,
                x=_px(left),
                y=min(end, baseline),
                width=bar_width,
                height=abs(end - baseline),
                label_x=_px(left + Fraction(bar_width, 2)),
                value_y=min(end, baseline) - VALUE_ABOVE,
                negative=point.amount_minor < 0,
            )
        )
    amounts = sorted({top, 0, bottom}, reverse=True)
    return BarChart(
        currency=currency,
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        baseline_y=baseline,
        label_y=HEIGHT - BOTTOM + 18,
        tick_label_x=LEFT - 6,
        bars=bars,
        ticks=[Tick(y_of(amount), amount) for amount in amounts],
    )
