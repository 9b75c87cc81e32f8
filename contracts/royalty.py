"""`royalty_due`: one period's usage report -> invoice lines and the new year-to-date state.

Order of application, per report line, in report order:

1. units already paid upstream are set aside (never charged, never counted towards tiers);
2. if no pool patent is in force in the country of manufacture nor of sale during the period,
   the rest is charged zero (shown, not rejected: a correct report is never refused);
3. percent-of-net-sales categories: percent x net sales x (charged units / units);
4. per-unit categories: the year's free allowance takes the first units, then the rest is
   priced by band (unit price) or by tier (year-to-date position), split at tier boundaries;
5. the discounts are applied (one combined multiplier, see `contracts.discounts`);
6. the exact amount is rounded once, half to even, to minor units;
7. the rounded amount is cut to what the annual caps (per category, per enterprise) still allow.

Reports may have 100,000 lines: within one call the profile and the period are fixed, so the
discount is computed once per country of sale and coverage once per pair of countries.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple, cast

from contracts.coverage import InForce
from contracts.discounts import AppliedDiscounts, LicenseeProfile
from contracts.errors import InvalidReport, Problem
from contracts.lines import (
    ZERO_REASONS,
    BindingCap,
    InvoiceLine,
    LineBasis,
    RoyaltyResult,
    describe_caps,
    describe_discounts,
    trusted_line,
)
from contracts.money import exact_product, round_half_even
from contracts.rates import Basis, CategoryTerms, RateSegment
from contracts.report import Running, UsageLine, UsageReport, YearToDate
from contracts.terms import RoyaltyTerms


@dataclass(frozen=True)
class _Context:
    terms: RoyaltyTerms
    report: UsageReport
    profile: LicenseeProfile
    in_force: InForce
    running: Running
    categories: dict[str, CategoryTerms]
    discounts: dict[str, "_Discount"] = field(default_factory=dict)  # by country of sale
    coverage: dict[tuple[str, str], bool] = field(default_factory=dict)  # by both countries


class _Discount(NamedTuple):
    multiplier: Decimal
    explanation: str
    applied: AppliedDiscounts


class _Priced(NamedTuple):
    units: int
    rate: Decimal
    tier: int | None
    band: int | None
    basis: LineBasis
    what: str


def royalty_due(
    terms: RoyaltyTerms,
    report: UsageReport,
    year_to_date: YearToDate,
    *,
    profile: LicenseeProfile,
    in_force: InForce,
) -> RoyaltyResult:
    """Charge one period's report against the terms, continuing from `year_to_date`.

    Raises `InvalidReport` (listing every problem) for a currency mismatch, a period outside
    the year or before `year_to_date.through`, an unknown category, or a missing unit price.
    """
    _check(terms, report, year_to_date)
    categories = {item.category: item for item in terms.categories}
    running = Running.of(year_to_date)
    context = _Context(terms, report, profile, in_force, running, categories)
    lines: list[InvoiceLine] = []
    for index, line in enumerate(report.lines):
        lines.extend(_charge_line(context, index, line))
    return RoyaltyResult(
        currency=terms.currency,
        lines=tuple(lines),
        year_to_date=running.state(year_to_date.year, report.period.end),
    )


def _check(terms: RoyaltyTerms, report: UsageReport, state: YearToDate) -> None:
    """Refuse a report that cannot be charged, naming every problem before anything is priced."""
    problems: list[Problem] = []
    if report.currency != terms.currency:
        problems.append(("$.currency", f"the terms are in {terms.currency}"))
    period = report.period
    if period.start.year != state.year or period.end > date(state.year + 1, 1, 1):
        problems.append(("$.period", f"must lie within the year {state.year}"))
    elif state.through is not None and period.start < state.through:
        problems.append(("$.period.start", f"periods up to {state.through} are already charged"))
    for index, line in enumerate(report.lines):
        category = terms.category(line.category)
        if category is None:
            problems.append((f"$.lines[{index}].category", "not a category of these terms"))
        elif category.needs_unit_price and line.unit_price_minor is None:
            problems.append((f"$.lines[{index}].unit_price_minor", "required to pick a band"))
    if problems:
        raise InvalidReport(*problems[0], problems=tuple(problems))


def _charge_line(context: _Context, index: int, line: UsageLine) -> list[InvoiceLine]:
    """Steps 1-4 of the module docstring for one report line; updates the running totals."""
    out: list[InvoiceLine] = []
    if line.upstream_paid_units:
        out.append(_zero(index, line, LineBasis.UPSTREAM_PAID, line.upstream_paid_units))
    units = line.units - line.upstream_paid_units
    if not units:
        return out
    if not _covered(context, line):
        out.append(_zero(index, line, LineBasis.NOT_IN_FORCE, units))
        return out
    discount = _discount(context, line.country_of_sale)
    category = context.categories[line.category]
    running = context.running
    start = running.units.get(line.category, 0)
    running.units[line.category] = start + units
    if category.basis is Basis.PERCENT_OF_NET_SALES:
        out.append(_percent_line(context, index, line, units, discount))
        return out
    free = min(units, max(0, context.terms.free_units_per_year - running.free_used))
    if free:
        running.free_used += free
        out.append(_zero(index, line, LineBasis.FREE_ALLOWANCE, free))
    for segment in category.segments(start + free, units - free, line.unit_price_minor):
        out.append(_per_unit_line(context, index, line, segment, discount))
    return out


def _covered(context: _Context, line: UsageLine) -> bool:
    """A pool patent in force in either country during the period (asked once per pair)."""
    key = (line.country_of_manufacture, line.country_of_sale)
    covered = context.coverage.get(key)
    if covered is None:
        period = context.report.period
        covered = context.in_force(key[0], period) or context.in_force(key[1], period)
        context.coverage[key] = covered
    return covered


def _discount(context: _Context, country_of_sale: str) -> _Discount:
    """The discounts on a line sold in `country_of_sale`, as one exact multiplier. Only the
    profile (fixed for the call) and the country decide it, so it is computed once a country."""
    discount = context.discounts.get(country_of_sale)
    if discount is None:
        discounts = context.terms.discounts
        applied = discounts.applicable(context.profile, country_of_sale)
        multiplier = discounts.combined(applied)
        explanation = describe_discounts(applied, discounts.stacking, multiplier)
        shown = AppliedDiscounts(items=tuple(applied), stacking=discounts.stacking)
        discount = context.discounts[country_of_sale] = _Discount(multiplier, explanation, shown)
    return discount


def _zero(index: int, line: UsageLine, basis: LineBasis, units: int) -> InvoiceLine:
    return trusted_line(
        report_line=index,
        category=line.category,
        country_of_manufacture=line.country_of_manufacture,
        country_of_sale=line.country_of_sale,
        basis=basis,
        units=units,
        explanation=f"{units} units: {ZERO_REASONS[basis]}",
    )


def _percent_line(
    context: _Context, index: int, line: UsageLine, units: int, discount: _Discount
) -> InvoiceLine:
    """Percent of the net sales of the charged units.

    Net sales are reported for all units of the line; the charged share is
    ``net_sales * units / line.units``, kept as an exact ratio and rounded only once, so a
    line with upstream-paid units is not rounded twice.
    """
    percent = cast(Decimal, context.categories[line.category].percent)
    factors = (line.net_sales_minor, units, percent, discount.multiplier, Decimal("0.01"))
    amount = round_half_even(exact_product(*factors), line.units)
    what = f"{percent:f} % of net sales {line.net_sales_minor} x {units}/{line.units} units"
    priced = _Priced(units, percent, None, None, LineBasis.PERCENT_OF_NET_SALES, what)
    return _priced(context, index, line, priced, discount, amount)


def _per_unit_line(
    context: _Context, index: int, line: UsageLine, segment: RateSegment, discount: _Discount
) -> InvoiceLine:
    """Units x rate (major units) x 10**exponent minor units x the discount multiplier."""
    scale = 10**context.terms.minor_unit_exponent
    amount = round_half_even(exact_product(segment.units, segment.rate, scale, discount.multiplier))
    if segment.tier is not None:
        where = f"tier {segment.tier}"
    elif segment.band is not None:
        where = f"band {segment.band} (unit price {line.unit_price_minor})"
    else:
        where = "flat rate"
    what = f"{segment.units} units x {segment.rate:f} per unit, {where}"
    priced = _Priced(
        segment.units, segment.rate, segment.tier, segment.band, LineBasis.PER_UNIT, what
    )
    return _priced(context, index, line, priced, discount, amount)


def _priced(
    context: _Context,
    index: int,
    line: UsageLine,
    priced: _Priced,
    discount: _Discount,
    amount: int,
) -> InvoiceLine:
    """Cut the rounded amount to the caps, record it in the running totals, explain it."""
    allowed, binding = _cap(context, line.category, amount)
    running = context.running
    running.charged += allowed
    running.charged_by_category[line.category] = (
        running.charged_by_category.get(line.category, 0) + allowed
    )
    explanation = "; ".join(
        (
            priced.what,
            discount.explanation,
            f"rounded half-even to {amount}",
            describe_caps(binding, amount - allowed),
        )
    )
    return trusted_line(
        report_line=index,
        category=line.category,
        country_of_manufacture=line.country_of_manufacture,
        country_of_sale=line.country_of_sale,
        basis=priced.basis,
        units=priced.units,
        rate=priced.rate,
        multiplier=discount.multiplier,
        tier=priced.tier,
        band=priced.band,
        amount_before_cap_minor=amount,
        cap_reduction_minor=amount - allowed,
        amount_minor=allowed,
        explanation=explanation,
        usage=line,
        discounts=discount.applied,
        caps=binding,
    )


def _cap(context: _Context, category: str, amount: int) -> tuple[int, tuple[BindingCap, ...]]:
    """What the caps still allow of `amount`, and the caps that bind.

    Caps count amounts actually charged (after discounts), across all periods of the year.
    """
    running = context.running
    rooms: list[tuple[BindingCap, int]] = []
    if context.terms.annual_cap_minor is not None:
        rooms.append((BindingCap(), context.terms.annual_cap_minor - running.charged))
    category_cap = context.categories[category].annual_cap_minor
    if category_cap is not None:
        used = running.charged_by_category.get(category, 0)
        rooms.append((BindingCap(category=category), category_cap - used))
    allowed = min([amount, *(max(0, room) for _, room in rooms)])
    return allowed, tuple(cap for cap, room in rooms if room < amount)
