"""Payment terms: when accrued royalties fall due, including "use first, pay later".

Royalties accrue when a usage period is invoiced (`Accrual.accrued_on`, normally the day after
the period). Without deferral they fall due `net_days` later. At most one deferral applies:

* `grace`: due `months` calendar months and `days` days after the accrual, instead of
  `net_days`;
* `revenue_threshold`: nothing falls due until the licensee's cumulative net sales (over the
  accruals, in date order) reach the threshold; every accrual up to then falls due `net_days`
  after the accrual that reached it, later ones `net_days` after their own date;
* `instalments`: each accrual is split into `count` parts (largest remainder, so they sum
  exactly), the first due `first_after_months` after the accrual, the next ones every
  `interval_months`.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from contracts.base import Canonical, Label, MinorAmount, Model, Percent, fail
from contracts.errors import InvalidTerms
from contracts.money import add_months, exact_product, round_half_even, split_equally
from contracts.validation import load

MonthCount = Annotated[int, Field(strict=True, ge=0, le=240)]
DayCount = Annotated[int, Field(strict=True, ge=0, le=3660)]


class GracePeriod(Model):
    """Accrued royalties fall due this long after the accrual date."""

    months: MonthCount = 0
    days: DayCount = 0


class RevenueThreshold(Model):
    """Royalties fall due once cumulative net sales reach `threshold_minor`."""

    threshold_minor: Annotated[int, Field(strict=True, ge=1, le=10**18)]


class Instalments(Model):
    """Each accrual is paid in `count` near-equal parts, `interval_months` apart."""

    count: int = Field(strict=True, ge=1, le=120)
    interval_months: int = Field(default=1, strict=True, ge=1, le=60)
    first_after_months: MonthCount = 0


class LateInterest(Model):
    """Simple interest per day late at `annual_percent` a year (actual days / basis)."""

    annual_percent: Percent
    day_count_basis: Literal[360, 365] = 365


class PaymentTerms(Canonical):
    """When invoices fall due and what lateness costs (see the module docstring)."""

    net_days: DayCount = 30
    grace: GracePeriod | None = None
    revenue_threshold: RevenueThreshold | None = None
    instalments: Instalments | None = None
    late_interest: LateInterest | None = None

    @model_validator(mode="after")
    def _one_deferral(self) -> "PaymentTerms":
        chosen = [
            name
            for name in ("grace", "revenue_threshold", "instalments")
            if getattr(self, name) is not None
        ]
        if len(chosen) > 1:
            raise fail("only one of grace, revenue_threshold, instalments may be set", chosen[1])
        return self


class Accrual(Model):
    """Royalties invoiced for one usage period (`net_sales_minor` feeds the threshold)."""

    reference: Label
    accrued_on: date
    amount_minor: MinorAmount
    net_sales_minor: MinorAmount = 0


class DueItem(Model):
    """An amount and the day it falls due; `due_on` None means still awaiting the threshold."""

    reference: str
    part: int
    parts: int
    amount_minor: MinorAmount
    due_on: date | None


def parse_payment_terms(data: object) -> PaymentTerms:
    """Validate payment terms from JSON text or a mapping; raise `InvalidTerms` with paths."""
    return load(PaymentTerms, data, InvalidTerms)


def payment_schedule(terms: PaymentTerms, accruals: Sequence[Accrual]) -> tuple[DueItem, ...]:
    """Due dates and amounts for `accruals`, in date order (then reference, then part).

    The amounts of each accrual's items always sum exactly to the accrual.
    """
    ordered = sorted(accruals, key=lambda item: (item.accrued_on, item.reference))
    if terms.revenue_threshold is not None:
        return _after_threshold(terms.net_days, terms.revenue_threshold, ordered)
    if terms.instalments is not None:
        return tuple(item for accrual in ordered for item in _split(terms.instalments, accrual))
    return tuple(_single(accrual, _due_date(terms, accrual.accrued_on)) for accrual in ordered)


def _due_date(terms: PaymentTerms, accrued_on: date) -> date:
    if terms.grace is None:
        return accrued_on + timedelta(days=terms.net_days)
    return add_months(accrued_on, terms.grace.months) + timedelta(days=terms.grace.days)


def _single(accrual: Accrual, due_on: date | None) -> DueItem:
    return DueItem(
        reference=accrual.reference,
        part=1,
        parts=1,
        amount_minor=accrual.amount_minor,
        due_on=due_on,
    )


def _after_threshold(
    net_days: int, threshold: RevenueThreshold, ordered: Sequence[Accrual]
) -> tuple[DueItem, ...]:
    """Hold everything until cumulative net sales reach the threshold, then release it."""
    items: list[DueItem] = []
    waiting: list[Accrual] = []
    cumulative = 0
    for accrual in ordered:
        cumulative += accrual.net_sales_minor
        if cumulative < threshold.threshold_minor:
            waiting.append(accrual)
            continue
        due_on = accrual.accrued_on + timedelta(days=net_days)
        items.extend(_single(held, due_on) for held in waiting)
        waiting.clear()
        items.append(_single(accrual, due_on))
    items.extend(_single(held, None) for held in waiting)
    return tuple(items)


def _split(instalments: Instalments, accrual: Accrual) -> list[DueItem]:
    parts = split_equally(accrual.amount_minor, instalments.count)
    return [
        DueItem(
            reference=accrual.reference,
            part=number + 1,
            parts=instalments.count,
            amount_minor=amount,
            due_on=add_months(
                accrual.accrued_on,
                instalments.first_after_months + number * instalments.interval_months,
            ),
        )
        for number, amount in enumerate(parts)
    ]


def split_due(schedule: Sequence[DueItem], as_of: date) -> tuple[int, int]:
    """(amount due on or before `as_of`, amount deferred beyond it or awaiting a threshold)."""
    due = sum(item.amount_minor for item in schedule if item.due_on and item.due_on <= as_of)
    total = sum(item.amount_minor for item in schedule)
    return due, total - due


def late_interest(principal_minor: int, *, due_on: date, paid_on: date, terms: LateInterest) -> int:
    """Simple interest for paying `principal_minor` on `paid_on` instead of `due_on`.

    ``principal x annual_percent / 100 x days late / basis``, computed exactly and rounded once,
    half to even; paying on or before the due date costs nothing.
    """
    if principal_minor < 0:
        raise ValueError("principal_minor must not be negative")
    days = max(0, (paid_on - due_on).days)
    exact = exact_product(principal_minor, terms.annual_percent, Decimal("0.01"), days)
    return round_half_even(exact, terms.day_count_basis)
