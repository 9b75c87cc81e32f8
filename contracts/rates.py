"""Rate schedules for one product category: flat per unit, price bands, volume tiers, percent.

A per-unit category has exactly one of `rate` (flat), `bands` (by selling price) or `tiers` (by
year-to-date units). Bands must tile all prices from 0 upwards with no gap and no overlap; each
edge says whether it is inclusive. Tiers start at 0 units and rise strictly.
"""

from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple, cast

from pydantic import model_validator

from contracts.base import Count, Label, MinorAmount, Model, Percent, Rate, fail


class Basis(StrEnum):
    """How a category is charged."""

    PER_UNIT = "per_unit"
    PERCENT_OF_NET_SALES = "percent_of_net_sales"


class PriceBand(Model):
    """Selling prices from `lower_minor` to `upper_minor` (None: no upper edge) pay `rate`."""

    lower_minor: MinorAmount
    lower_inclusive: bool = True
    upper_minor: MinorAmount | None = None
    upper_inclusive: bool = False
    rate: Rate

    @model_validator(mode="after")
    def _non_empty(self) -> "PriceBand":
        if self.upper_minor is not None and self.upper_minor <= self.lower_minor:
            raise fail("upper_minor must be greater than lower_minor", "upper_minor")
        return self

    def contains(self, price_minor: int) -> bool:
        """Whether a unit selling at `price_minor` falls in this band (edges as declared)."""
        above = price_minor > self.lower_minor or (
            self.lower_inclusive and price_minor == self.lower_minor
        )
        if self.upper_minor is None:
            return above
        below = price_minor < self.upper_minor or (
            self.upper_inclusive and price_minor == self.upper_minor
        )
        return above and below


class VolumeTier(Model):
    """From the `from_units`-th unit of the year (0-based) onwards, units pay `rate`."""

    from_units: Count
    rate: Rate


class RateSegment(NamedTuple):
    """A run of units priced at one rate; `tier`/`band` index the schedule entry used."""

    units: int
    rate: Decimal
    tier: int | None
    band: int | None


def _check_bands(bands: tuple[PriceBand, ...]) -> None:
    """Refuse gaps and overlaps: neighbours must share an edge that exactly one includes."""
    first, last = bands[0], bands[-1]
    if first.lower_minor != 0 or not first.lower_inclusive:
        raise fail("the first band must start at 0, inclusive", "bands", 0, "lower_minor")
    for index in range(1, len(bands)):
        before, band = bands[index - 1], bands[index]
        edge = before.upper_minor
        if edge is None or band.lower_minor < edge:
            raise fail(f"band overlaps band {index - 1}", "bands", index, "lower_minor")
        if band.lower_minor > edge:
            raise fail(f"gap after band {index - 1}", "bands", index, "lower_minor")
        if before.upper_inclusive == band.lower_inclusive:
            problem = "overlaps" if band.lower_inclusive else "leaves a gap after"
            raise fail(
                f"edge {edge} {problem} band {index - 1}: exactly one side must include it",
                "bands",
                index,
                "lower_inclusive",
            )
    if last.upper_minor is not None:
        raise fail("the last band must have no upper edge", "bands", len(bands) - 1, "upper_minor")


def _check_tiers(tiers: tuple[VolumeTier, ...]) -> None:
    if tiers[0].from_units != 0:
        raise fail("the first tier must start at 0 units", "tiers", 0, "from_units")
    for index in range(1, len(tiers)):
        if tiers[index].from_units <= tiers[index - 1].from_units:
            raise fail(
                f"must be greater than tier {index - 1}'s from_units", "tiers", index, "from_units"
            )


class CategoryTerms(Model):
    """The royalty schedule of one product category, with an optional per-category annual cap.

    `per_unit`: exactly one of `rate`, `bands`, `tiers` (rates in major units per unit).
    `percent_of_net_sales`: `percent` only.
    """

    category: Label
    basis: Basis = Basis.PER_UNIT
    rate: Rate | None = None
    bands: tuple[PriceBand, ...] = ()
    tiers: tuple[VolumeTier, ...] = ()
    percent: Percent | None = None
    annual_cap_minor: MinorAmount | None = None

    @model_validator(mode="after")
    def _one_schedule(self) -> "CategoryTerms":
        schedules = self._schedules()
        if self.basis is Basis.PERCENT_OF_NET_SALES:
            if self.percent is None:
                raise fail("required when basis is percent_of_net_sales", "percent")
            if schedules:
                raise fail("not used when basis is percent_of_net_sales", schedules[0])
            return self
        if self.percent is not None:
            raise fail("only used when basis is percent_of_net_sales", "percent")
        if len(schedules) != 1:
            raise fail("give exactly one of rate, bands or tiers", *schedules[1:2])
        if self.bands:
            _check_bands(self.bands)
        if self.tiers:
            _check_tiers(self.tiers)
        return self

    def _schedules(self) -> list[str]:
        present = {
            "rate": self.rate is not None,
            "bands": bool(self.bands),
            "tiers": bool(self.tiers),
        }
        return [name for name, is_set in present.items() if is_set]

    @property
    def needs_unit_price(self) -> bool:
        """Whether report lines of this category must give a unit price (to pick a band)."""
        return bool(self.bands)

    def segments(self, start: int, units: int, price_minor: int | None) -> list[RateSegment]:
        """Price `units` units that occupy year-to-date positions ``[start, start + units)``.

        Tiers split the run at every tier boundary it crosses, so a boundary inside a period
        charges each side at its own rate.
        """
        if self.tiers:
            return self._tier_segments(start, start + units)
        if self.bands:
            index = self.band_index(cast(int, price_minor))
            return [RateSegment(units, self.bands[index].rate, None, index)]
        return [RateSegment(units, cast(Decimal, self.rate), None, None)]

    def band_index(self, price_minor: int) -> int:
        """The band a price falls in (bands tile all prices, so there is exactly one)."""
        return next(i for i, band in enumerate(self.bands) if band.contains(price_minor))

    def _tier_segments(self, start: int, end: int) -> list[RateSegment]:
        segments = []
        for index, tier in enumerate(self.tiers):
            upper = self.tiers[index + 1].from_units if index + 1 < len(self.tiers) else end
            low, high = max(start, tier.from_units), min(end, upper)
            if high > low:
                segments.append(RateSegment(high - low, tier.rate, index, None))
        return segments
