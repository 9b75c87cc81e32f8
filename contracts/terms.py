"""Royalty terms: the versioned, immutable "fee standard" every licensee of a pool signs.

Running royalties come from `categories`; the free allowance, annual cap and discounts apply to
them. The entry fee and the annual fee are fixed amounts (see `contracts.fees`) and are neither
discounted nor counted against the cap.
"""

from pydantic import Field, model_validator

from contracts.base import Canonical, Count, Currency, Label, MinorAmount, fail
from contracts.discounts import Discounts
from contracts.errors import InvalidTerms
from contracts.rates import CategoryTerms
from contracts.validation import load


class RoyaltyTerms(Canonical):
    """One version of a pool's royalty terms.

    `minor_unit_exponent` is given by the caller (2 for USD and CNY, 0 for JPY): a per-unit rate
    of ``"0.35"`` is ``0.35 * 10**exponent`` minor units per unit.
    """

    terms_version: Label
    currency: Currency
    minor_unit_exponent: int = Field(strict=True, ge=0, le=4)
    categories: tuple[CategoryTerms, ...] = ()
    free_units_per_year: Count = 0
    annual_cap_minor: MinorAmount | None = None
    discounts: Discounts = Discounts()
    entry_fee_minor: MinorAmount = 0
    annual_fee_minor: MinorAmount = 0

    @model_validator(mode="after")
    def _unique_categories(self) -> "RoyaltyTerms":
        names = [item.category for item in self.categories]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise fail(f"category {name!r} is listed twice", "categories", index, "category")
        return self

    def category(self, name: str) -> CategoryTerms | None:
        """The schedule of category `name`, or None when the terms do not license it."""
        return next((item for item in self.categories if item.category == name), None)


def parse_terms(data: object) -> RoyaltyTerms:
    """Validate terms from JSON text or a mapping; raise `InvalidTerms` naming every bad field."""
    return load(RoyaltyTerms, data, InvalidTerms)
