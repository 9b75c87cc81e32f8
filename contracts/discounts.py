"""Discounts and the licensee profile they depend on.

Every discount is a multiplier between 0 and 1 (``"0.7"`` = 30 % off). The terms declare the
order in which discounts apply and how they stack:

* ``compound``: multiply the multipliers (0.7 then 0.5 -> 0.35, i.e. 65 % off);
* ``additive``: add the percentages off and subtract from 1, never below 0
  (30 % + 50 % -> 80 % off -> 0.2).

Both rules are computed exactly and the line is rounded once afterwards, so the declared order
does not change the amount; it fixes the order in which discounts are listed in explanations
and is part of the terms (and of their hash), so no one has to guess.
"""

from decimal import Decimal
from enum import StrEnum

from pydantic import model_validator

from contracts.base import Country, Model, Multiplier, fail
from contracts.money import exact_product, normalized


class SizeClass(StrEnum):
    """Enterprise size class (the Beijing programme's micro/small/medium/large)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class DiscountKind(StrEnum):
    """The discounts terms can offer."""

    SME = "sme"
    REGION = "region"
    EARLY_SIGNER = "early_signer"
    GOOD_STANDING = "good_standing"


class Stacking(StrEnum):
    """How several discounts combine (see the module docstring)."""

    COMPOUND = "compound"
    ADDITIVE = "additive"


class LicenseeProfile(Model):
    """What the discounts need to know about a licensee for one period."""

    size_class: SizeClass
    early_signer: bool = False
    good_standing: bool = False


class SmeMultipliers(Model):
    """Multiplier per size class; a class left out pays full price."""

    micro: Multiplier = Decimal(1)
    small: Multiplier = Decimal(1)
    medium: Multiplier = Decimal(1)
    large: Multiplier = Decimal(1)


class RegionMultiplier(Model):
    """Multiplier for units sold in `country` (the country of sale decides)."""

    country: Country
    multiplier: Multiplier


class AppliedDiscount(Model):
    """One discount that applied to a line, for the explanation."""

    kind: DiscountKind
    detail: str
    multiplier: Multiplier


class AppliedDiscounts(Model):
    """The discounts that applied to a line, in the declared order, and how they stack (one
    object for every line sold in the same country)."""

    items: tuple[AppliedDiscount, ...] = ()
    stacking: Stacking = Stacking.COMPOUND


class Discounts(Model):
    """The discounts on offer, their declared order and stacking rule."""

    order: tuple[DiscountKind, ...] = ()
    stacking: Stacking = Stacking.COMPOUND
    sme: SmeMultipliers | None = None
    regions: tuple[RegionMultiplier, ...] = ()
    early_signer: Multiplier | None = None
    good_standing: Multiplier | None = None

    @model_validator(mode="after")
    def _order_names_every_discount(self) -> "Discounts":
        configured = self._configured()
        for index, kind in enumerate(self.order):
            if kind in self.order[:index]:
                raise fail(f"{kind} is listed twice", "order", index)
            if kind not in configured:
                raise fail(f"{kind} is not configured", "order", index)
        for kind, field in configured.items():
            if kind not in self.order:
                raise fail(f"{kind} is configured but missing from order", field)
        countries = [region.country for region in self.regions]
        for index, country in enumerate(countries):
            if country in countries[:index]:
                raise fail(f"{country} is listed twice", "regions", index, "country")
        return self

    def _configured(self) -> dict[DiscountKind, str]:
        """The discounts that are set, each with the name of its field."""
        fields = {
            DiscountKind.SME: ("sme", self.sme is not None),
            DiscountKind.REGION: ("regions", bool(self.regions)),
            DiscountKind.EARLY_SIGNER: ("early_signer", self.early_signer is not None),
            DiscountKind.GOOD_STANDING: ("good_standing", self.good_standing is not None),
        }
        return {kind: name for kind, (name, is_set) in fields.items() if is_set}

    def applicable(self, profile: LicenseeProfile, country_of_sale: str) -> list[AppliedDiscount]:
        """The discounts that apply to a line, in the declared order."""
        found = {
            DiscountKind.SME: self._sme(profile),
            DiscountKind.REGION: self._region(country_of_sale),
            DiscountKind.EARLY_SIGNER: self._flag(profile.early_signer, self.early_signer),
            DiscountKind.GOOD_STANDING: self._flag(profile.good_standing, self.good_standing),
        }
        applied = []
        for kind in self.order:
            hit = found[kind]
            if hit is not None:
                applied.append(AppliedDiscount(kind=kind, detail=hit[0], multiplier=hit[1]))
        return applied

    def _sme(self, profile: LicenseeProfile) -> tuple[str, Decimal] | None:
        if self.sme is None:
            return None
        return profile.size_class.value, getattr(self.sme, profile.size_class.value)

    def _region(self, country: str) -> tuple[str, Decimal] | None:
        for region in self.regions:
            if region.country == country:
                return country, region.multiplier
        return None

    @staticmethod
    def _flag(holds: bool, multiplier: Decimal | None) -> tuple[str, Decimal] | None:
        if not holds or multiplier is None:
            return None
        return "yes", multiplier

    def combined(self, applied: list[AppliedDiscount]) -> Decimal:
        """The single multiplier for a line: exact product, or 1 minus the summed discounts."""
        multipliers = [item.multiplier for item in applied]
        if self.stacking is Stacking.COMPOUND:
            return exact_product(*multipliers)
        off = sum((1 - multiplier for multiplier in multipliers), Decimal(0))
        return normalized(max(Decimal(0), 1 - off))
