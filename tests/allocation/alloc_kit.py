"""Builders and independent checks shared by the allocation tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from allocation import (
    AllocationInput,
    AllocationResult,
    Contributor,
    Patent,
    RoyaltyLine,
)
from allocation.matrix import exact_cell

Q1 = (date(2025, 1, 1), date(2025, 4, 1))
JANUARY = (date(2025, 1, 1), date(2025, 2, 1))


def d(text: str) -> date:
    return date.fromisoformat(text)


def line(
    ident: str,
    amount: int,
    sale: str,
    made: str | None = None,
    period: tuple[date, date] = Q1,
) -> RoyaltyLine:
    return RoyaltyLine(ident, period[0], period[1], sale, made or sale, amount)


def patents(owner: str, country: str, count: int, **extra: object) -> list[Patent]:
    """``count`` patents of ``owner`` in ``country``, in force throughout."""
    return [
        Patent(f"{country}-{owner}-{k}", owner, country, **extra)  # type: ignore[arg-type]
        for k in range(count)
    ]


def pool(
    contributors: list[Contributor] | list[str],
    patent_list: list[Patent],
    royalties: list[RoyaltyLine],
    *,
    fee: str = "0",
    method: str = "patent_count",
    currency: str = "USD",
    **params: dict[str, Decimal],
) -> AllocationInput:
    people = tuple(c if isinstance(c, Contributor) else Contributor(c) for c in contributors)
    return AllocationInput(
        currency,
        Decimal(fee),
        method,
        people,
        tuple(patent_list),
        tuple(royalties),
        **params,
    )


def amounts(result: AllocationResult) -> dict[str, int]:
    return {c.id: c.amount_minor for c in result.contributors}


def check_invariants(result: AllocationResult) -> None:
    """The money invariants every result must satisfy, checked from the outside."""
    trace = result.trace
    assert result.received_minor == result.admin_fee_minor + result.distributable_minor
    assert sum(result.countries.values()) == result.distributable_minor
    assert sum(c.amount_minor for c in result.contributors) == result.distributable_minor
    column = {col.country: i for i, col in enumerate(trace.split.columns)}
    for country, amount in result.countries.items():
        assert sum(c.by_country.get(country, 0) for c in result.contributors) == amount
    for row, contributor in enumerate(result.contributors):
        detail = trace.contributor(row)
        assert contributor.amount_minor >= 0
        assert sum(contributor.by_country.values()) == contributor.amount_minor
        assert abs(contributor.amount_minor - detail.target_minor) < 1
        assert contributor.amount_minor >= detail.floor_minor
        if detail.cap_minor is not None:
            assert contributor.amount_minor <= detail.cap_minor
        for country, index in column.items():
            cell = contributor.by_country.get(country, 0)
            assert cell >= 0
            exact = exact_cell(trace.split, trace.matrix, row, index)
            assert abs(cell - exact) < 1
            if country not in contributor.by_country:
                assert exact == 0


def clip(value: Fraction, floor: int, cap: int | None) -> Fraction:
    high = value if cap is None else min(value, Fraction(cap))
    return max(high, Fraction(floor))


def reference_ideal(inp: AllocationInput) -> tuple[int, dict[str, Fraction]]:
    """Distributable amount and ideal amounts, computed independently of the package
    (straight from DOMAIN.md section 3, with dates and fractions, no shared code)."""
    received = sum(r.amount_minor for r in inp.royalties)
    distributable = received - round(Fraction(inp.admin_fee_rate) * received)
    buckets: dict[str, list[RoyaltyLine]] = {}
    for royalty in inp.royalties:
        country = royalty.country_of_sale
        if not _weights(inp, country, royalty):
            country = royalty.country_of_manufacture
        buckets.setdefault(country, []).append(royalty)
    per_country = {c: sum(r.amount_minor for r in lines) for c, lines in buckets.items()}
    country_amounts = _largest_remainder(distributable, per_country)
    ideal = {c.id: Fraction(0) for c in inp.contributors}
    for country, lines in buckets.items():
        if not per_country[country]:
            continue
        for royalty in lines:
            money = Fraction(country_amounts[country] * royalty.amount_minor, per_country[country])
            for ident, share in _shares(inp, _weights(inp, country, royalty)).items():
                ideal[ident] += money * share
    return distributable, ideal


def _weights(
    inp: AllocationInput, country: str, royalty: RoyaltyLine
) -> dict[str, dict[str, Fraction]]:
    """tier -> contributor -> weight (days in force / days in period x points)."""
    days = (royalty.usage_end - royalty.usage_start).days
    result: dict[str, dict[str, Fraction]] = {}
    for patent in inp.patents:
        if patent.country != country:
            continue
        intervals = patent.in_force or ((None, None),)
        in_force = 0
        for start, end in intervals:
            lo = max(start or royalty.usage_start, royalty.usage_start)
            hi = min(end or royalty.usage_end, royalty.usage_end)
            in_force += max((hi - lo).days, 0)
        if not in_force:
            continue
        graded = inp.method == "grade_weighted"
        points = Fraction(inp.grade_points[patent.grade or ""]) if graded else Fraction(1)
        tier = (patent.tier or "") if inp.method == "tiered" else ""
        weights = result.setdefault(tier, {})
        weights[patent.contributor] = (
            weights.get(patent.contributor, 0) + Fraction(in_force, days) * points
        )
    return result


def _shares(inp: AllocationInput, weights: dict[str, dict[str, Fraction]]) -> dict[str, Fraction]:
    tier_share = (
        {t: Fraction(s) for t, s in inp.tier_shares.items()}
        if inp.method == "tiered"
        else {"": Fraction(1)}
    )
    present = sum(tier_share[t] for t in weights)
    shares: dict[str, Fraction] = {}
    for tier, by_contributor in weights.items():
        total = sum(by_contributor.values())
        for ident, weight in by_contributor.items():
            shares[ident] = shares.get(ident, 0) + tier_share[tier] / present * weight / total
    return shares


def _largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    whole = sum(weights.values())
    if not whole:
        return dict.fromkeys(weights, 0)
    exact = {k: Fraction(total * w, whole) for k, w in weights.items()}
    parts = {k: int(v) for k, v in exact.items()}
    order = sorted(weights, key=lambda k: (-(exact[k] - parts[k]), k))
    for key in order[: total - sum(parts.values())]:
        parts[key] += 1
    return parts
