"""A readable text report of a result (amounts in major units), optionally explained."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from allocation.currency import format_minor, minor_unit_exponent
from allocation.outcome.output import explanation
from allocation.result import AllocationResult


def percent(part: int, whole: int) -> str:
    """``part / whole`` as a percentage with two decimals, rounded half to even, exactly."""
    if not whole:
        return "0.00%"
    hundredths = round(Fraction(part * 10_000, whole))
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def approx(value: Fraction, places: int = 4) -> str:
    """An exact fraction shown as a decimal for reading (the JSON keeps it exact)."""
    scaled = round(value * 10**places)
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled), 10**places)
    return f"{sign}{whole}.{part:0{places}d}"


def render_text(result: AllocationResult, *, explain: bool = False) -> str:
    """Totals, country amounts, then one line per contributor (amount, share, countries)."""
    code = result.currency

    def money(amount: int) -> str:
        return format_minor(amount, code)

    lines = [
        f"Allocation in {code}",
        f"  received            {money(result.received_minor):>20}",
        f"  administrator fee   {money(result.admin_fee_minor):>20}",
        f"  distributable       {money(result.distributable_minor):>20}",
        "",
        "Countries",
    ]
    lines += [f"  {c}  {money(v):>20}" for c, v in result.countries.items()]
    lines += ["", f"  {'contributor':<20} {'amount':>20} {'share':>8}  by country"]
    for c in result.contributors:
        countries = ", ".join(f"{k} {money(v)}" for k, v in c.by_country.items())
        share = percent(c.amount_minor, result.distributable_minor)
        lines.append(f"  {c.id:<20} {money(c.amount_minor):>20} {share:>8}  {countries}")
    if explain:
        lines += _explain_lines(explanation(result), minor_unit_exponent(code))
    run = result.run
    lines += [
        "",
        f"Run: formula {run.formula_version}, solver {run.solver} ({run.status}), "
        f"input sha256 {run.input_sha256}",
    ]
    return "\n".join(lines)


def _explain_lines(data: dict[str, Any], exponent: int) -> list[str]:
    """Exact values shown rounded for reading: amounts in major units with four more
    decimals than the currency has, rounding adjustments in minor units."""

    def major(text: str) -> str:
        return approx(Fraction(text) / 10**exponent, exponent + 4)

    lines = ["", f"Explanation (lambda = {approx(Fraction(data['lambda']), 6)})"]
    for item in data["contributors"]:
        lines.append(
            f"  {item['id']}: ideal {major(item['ideal_minor'])}, "
            f"target {major(item['target_minor'])}, binding {item['binding'] or 'none'}, "
            f"rounding {approx(Fraction(item['rounding_adjustment_minor']))} minor units"
        )
        for bucket in item["buckets"]:
            weights = "; ".join(
                (f"tier {w['tier']} " if w["tier"] else "")
                + f"weight {approx(Fraction(w['weight']))} of {approx(Fraction(w['total_weight']))}"
                for w in bucket["weights"]
            )
            lines.append(
                f"    {bucket['country']} {bucket['usage_start']}..{bucket['usage_end']}: "
                f"{weights}; share {approx(Fraction(bucket['share']), 6)}"
            )
    return lines
