"""Invoice lines produced by `royalty_due`, and the plain-language explanation of each."""

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from contracts.base import MAX_MINOR, Country, ExactDecimal, Label, MinorAmount, Model, Rate
from contracts.discounts import AppliedDiscount, AppliedDiscounts, Stacking
from contracts.report import UsageLine, YearToDate


class LineBasis(StrEnum):
    """Why a line is (or is not) charged."""

    PER_UNIT = "per_unit"
    PERCENT_OF_NET_SALES = "percent_of_net_sales"
    FREE_ALLOWANCE = "free_allowance"
    UPSTREAM_PAID = "upstream_paid"
    NOT_IN_FORCE = "not_in_force"


class BindingCap(Model):
    """An annual cap that cut a line: the one on all royalties (`category` None) or the one
    on a category."""

    category: Label | None = None

    @property
    def name(self) -> str:
        return "annual cap" if self.category is None else f"{self.category} annual cap"


class InvoiceLine(Model):
    """One priced run of units, with everything needed to explain its amount.

    `rate` is per unit in major units (`per_unit`) or a percentage (`percent_of_net_sales`),
    and 0 for lines that are not charged. `amount_before_cap_minor` is the exact amount after
    discounts, rounded once half to even; `amount_minor` is what remains after the caps.

    The facts behind the words, for priced lines: the report line charged (`usage`: its units,
    net sales and unit price; a percentage line charges the share `units/usage.units` of the
    net sales), the discounts that applied and how they stack (`discounts`; they make
    `multiplier`), and the caps that cut the line (`caps`). They are shared objects, not
    copies: a 100,000-line report builds them once per report line or country.
    """

    report_line: int
    category: Label
    country_of_manufacture: Country
    country_of_sale: Country
    basis: LineBasis
    units: int
    rate: Rate = Decimal(0)
    multiplier: ExactDecimal = Decimal(1)
    tier: int | None = None
    band: int | None = None
    amount_before_cap_minor: MinorAmount = 0
    cap_reduction_minor: MinorAmount = 0
    amount_minor: MinorAmount = 0
    explanation: str
    usage: UsageLine | None = None
    discounts: AppliedDiscounts | None = None
    caps: tuple[BindingCap, ...] = ()


def trusted_line(**fields: Any) -> InvoiceLine:
    """An invoice line from parts `royalty_due` has already validated, not validated again.

    Re-validating every line was a large share of the time of a 100,000-line report, and it
    cannot fail: categories, countries and rates come from the validated terms and report, and
    amounts are never negative. Only an amount above `MAX_MINOR` (a huge per-unit line) is
    refused, so such a line is still validated and raises the same `ValidationError` as before.
    """
    if fields.get("amount_before_cap_minor", 0) > MAX_MINOR:
        return InvoiceLine(**fields)
    return InvoiceLine.model_construct(**fields)


class RoyaltyResult(Model):
    """The invoice lines for one report and the year-to-date state after it."""

    currency: str
    lines: tuple[InvoiceLine, ...]
    year_to_date: YearToDate

    @property
    def total_minor(self) -> int:
        """The invoice total: the sum of the rounded lines (never rounded again)."""
        return sum(line.amount_minor for line in self.lines)


ZERO_REASONS = {
    LineBasis.FREE_ALLOWANCE: "within the free allowance for the year",
    LineBasis.UPSTREAM_PAID: "royalty already paid upstream",
    LineBasis.NOT_IN_FORCE: "no pool patent in force in the country of manufacture or of sale",
}


def describe_discounts(
    applied: Sequence[AppliedDiscount], stacking: Stacking, multiplier: Decimal
) -> str:
    """``"sme small x0.7, region IN x0.5 (compound x0.35)"``, in the declared order."""
    if not applied:
        return "no discount"
    items = ", ".join(f"{item.kind} {item.detail} x{item.multiplier:f}" for item in applied)
    return f"{items} ({stacking} x{multiplier:f})"


def describe_caps(binding: Sequence[BindingCap], reduction: int) -> str:
    """Name the caps that cut the line, if any."""
    if not binding:
        return "no cap reached"
    return f"{' and '.join(cap.name for cap in binding)} reached: reduced by {reduction}"
