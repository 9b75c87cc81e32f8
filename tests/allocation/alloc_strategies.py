"""Hypothesis strategies: small random pools that can always be bucketed.

Rows are drawn in bulk (tuples of small integers mapped onto ids and countries) because
drawing field by field makes data generation, not allocation, dominate the test time.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from allocation import AllocationInput, Contributor, Patent, RoyaltyLine

COUNTRIES = ("CN", "DE", "JP", "US")
PERIODS = ((date(2025, 1, 1), date(2025, 4, 1)), (date(2025, 1, 1), date(2025, 2, 1)))
GRADES = {"A": Decimal("3"), "B": Decimal("2"), "C": Decimal("1.5")}
TIERS = {"1": Decimal("0.50"), "2": Decimal("0.35"), "3": Decimal("0.15")}
FEES = (Decimal("0"), Decimal("0.10"), Decimal("0.125"), Decimal("0.3333"))
SHARES = (None, None, Decimal("0.2"), Decimal("0.35"), Decimal("0.6"))
_SMALL = st.integers(0, 99)
_INTERVAL = st.tuples(st.integers(0, 2), st.integers(0, 100), st.integers(1, 120))
_PATENT = st.tuples(_SMALL, _SMALL, _SMALL, _INTERVAL)
_ROYALTY = st.tuples(_SMALL, _SMALL, _SMALL, st.integers(0, 10**7))
_PERSON = st.tuples(st.integers(0, 4), st.integers(0, 4))
_IDS = st.lists(
    st.text(alphabet="abcxyz", min_size=1, max_size=3), min_size=1, max_size=7, unique=True
)


def _in_force(
    kind: int, offset: int, length: int
) -> tuple[tuple[date | None, date | None], ...] | None:
    """kind 0: throughout; 1: a closed interval; 2: admitted, still in force."""
    if kind == 0:
        return None
    start = date(2024, 12, 1) + timedelta(days=offset)
    return ((start, None if kind == 2 else start + timedelta(days=length)),)


def _patents(draw: st.DrawFn, ids: list[str], countries: tuple[str, ...]) -> list[Patent]:
    grades, tiers = sorted(GRADES), sorted(TIERS)
    patents = [  # one anchor patent in force throughout per country: always bucketable
        Patent(f"{country}-anchor", ids[draw(_SMALL) % len(ids)], country, "A", "1")
        for country in countries
    ]
    for index, (owner, where, level, interval) in enumerate(draw(st.lists(_PATENT, max_size=12))):
        patents.append(
            Patent(
                f"P{index}",
                ids[owner % len(ids)],
                countries[where % len(countries)],
                grades[level % 3],
                tiers[level % 3],
                _in_force(*interval),
            )
        )
    return patents


def _royalties(draw: st.DrawFn, countries: tuple[str, ...]) -> list[RoyaltyLine]:
    rows = draw(st.lists(_ROYALTY, min_size=1, max_size=5))
    return [
        RoyaltyLine(
            f"L{index}",
            *PERIODS[period % 2],
            (*countries, "FR")[sale % (len(countries) + 1)],  # FR: never has a patent
            countries[made % len(countries)],
            amount,
        )
        for index, (period, sale, made, amount) in enumerate(rows)
    ]


@st.composite
def pools(draw: st.DrawFn, *, constrained: bool = True) -> AllocationInput:
    """A pool; with ``constrained`` some contributors get caps or floors."""
    ids = draw(_IDS)
    countries = COUNTRIES[: draw(st.integers(1, len(COUNTRIES)))]
    method = ("patent_count", "grade_weighted", "tiered")[draw(st.integers(0, 2))]
    royalties = _royalties(draw, countries)
    received = sum(r.amount_minor for r in royalties)
    floors = (0, 0, 0, received // (3 * len(ids)), 7)
    people = draw(st.lists(_PERSON, min_size=len(ids), max_size=len(ids)))
    contributors = [
        Contributor(
            ident, SHARES[share] if constrained else None, floors[floor] if constrained else 0
        )
        for ident, (share, floor) in zip(ids, people, strict=True)
    ]
    return AllocationInput(
        "USD",
        FEES[draw(st.integers(0, len(FEES) - 1))],
        method,
        tuple(contributors),
        tuple(_patents(draw, ids, countries)),
        tuple(royalties),
        grade_points=GRADES if method == "grade_weighted" else {},
        tier_shares=TIERS if method == "tiered" else {},
    )
