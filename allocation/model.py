"""The allocation input: frozen dataclasses keyed by stable string ids.

The service builds these in-process; the CLI builds them from a scenario file
(:mod:`allocation.scenario`). Money is always an ``int`` of minor units and rates/shares are
``Decimal``: no floats anywhere, because a float cannot hold 0.10 exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

FORMULA_VERSION = "alloc-1"
"""Changes whenever a rule changes in a way that can change an amount."""

FORMAT_VERSION = "1"
"""Version of the scenario file format (``format_version`` in the file)."""

METHODS = ("patent_count", "grade_weighted", "tiered")

Interval = tuple[date | None, date | None]
"""A half-open ``[start, end)`` interval; ``None`` means unbounded on that side."""


@dataclass(frozen=True)
class Contributor:
    """A patent holder sharing in the pool's money.

    ``max_share`` caps its part of the distributable amount (e.g. ``Decimal("0.25")``);
    ``min_amount_minor`` guarantees a floor in minor units.
    """

    id: str
    max_share: Decimal | None = None
    min_amount_minor: int = 0


@dataclass(frozen=True)
class Patent:
    """An accepted pool patent in one country.

    ``in_force`` lists the half-open intervals during which it is in force *and* in the
    pool; ``None`` means throughout. ``grade`` and ``tier`` are needed only by the
    ``grade_weighted`` and ``tiered`` methods.
    """

    id: str
    contributor: str
    country: str
    grade: str | None = None
    tier: str | None = None
    in_force: tuple[Interval, ...] | None = None


@dataclass(frozen=True)
class RoyaltyLine:
    """Money received for one usage period, with the countries it relates to."""

    id: str
    usage_start: date
    usage_end: date
    country_of_sale: str
    country_of_manufacture: str
    amount_minor: int


@dataclass(frozen=True)
class AllocationInput:
    """Everything an allocation run depends on, and nothing else."""

    currency: str
    admin_fee_rate: Decimal
    method: str
    contributors: tuple[Contributor, ...]
    patents: tuple[Patent, ...]
    royalties: tuple[RoyaltyLine, ...]
    grade_points: Mapping[str, Decimal] = field(default_factory=dict)
    tier_shares: Mapping[str, Decimal] = field(default_factory=dict)
