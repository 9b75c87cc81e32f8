"""Charts drawn on the server as inline SVG: the geometry is computed here, in whole pixels
from exact fractions of the amounts, so templates only place what they are given.

No JavaScript and no chart library: the page's CSP allows neither, and the figures stay
readable without scripts (each bar carries its amount in a `<title>`, and the page lists the
same figures in a table).
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

WIDTH = 640
HEIGHT = 260
LEFT = 110  # room for the amounts on the axis
RIGHT = 10
TOP = 24  # room for the amount above the highest bar
BOTTOM = 44  # room for the period labels: two rows when the bars are narrow
VALUE_ABOVE = 6  # gap between a bar's top and its amount
BAR_SHARE = Fraction(3, 5)  # of each period's slot; the rest is the gap
ROW = 15  # between the two rows of period labels
PERIOD_LABEL_PX = 64  # the widest period label at 12px ("2025 Q1", "2025年Q1", "2025-01")
DIGIT_PX = Fraction(7)  # a digit or a sign of an amount at 12px (tabular figures)


def text_width(text: str, size: int) -> Fraction:
    """A generous estimate of `text`'s width at `size` px: wide (CJK) characters take the full
    size, others 0.62 of it (no font metrics on the server; better too wide than clipped)."""
    units = sum(
        (Fraction(1) if unicodedata.east_asian_width(ch) in "WF" else Fraction(62, 100)
         for ch in text),
        Fraction(0),
    )  # fmt: skip
    return units * size


def fit(text: str, width: int, size: int) -> str:
    """`text`, cut with "…" to fit `width` px at `size` px (the whole text goes in a title)."""
    if text_width(text, size) <= width:
        return text
    cut = text
    while cut and text_width(cut + "…", size) > width:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def quarter_of(start: date, last_day: date) -> int | None:
    """1 to 4 when `[start, last_day]` is a calendar quarter, else None."""
    if start.day != 1 or start.month % 3 != 1 or last_day.year != start.year:
        return None
    return (start.month + 2) // 3 if last_day.month == start.month + 2 else None


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
    quarter: int | None  # the period is this calendar quarter: labelled "2025 Q1"
    period_y: int  # the period label's baseline (alternate rows when the bars are narrow)
    show_value: bool  # the amount fits above the bar without touching its neighbours'


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
    two_rows = slot < PERIOD_LABEL_PX
    widest = max((len(f"{abs(p.amount_minor):,}") + 5 for p in points), default=0)
    values_fit = DIGIT_PX * widest <= slot - 4
    label_y = HEIGHT - BOTTOM + 18
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
                quarter=quarter_of(point.period_start, point.period_last_day),
                period_y=label_y + (ROW if two_rows and index % 2 else 0),
                show_value=values_fit,
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
        label_y=label_y,
        tick_label_x=LEFT - 6,
        bars=bars,
        ticks=[Tick(y_of(amount), amount) for amount in amounts],
    )
