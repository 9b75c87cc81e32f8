"""Property (issue 19): cutting a patent into grade segments that all carry the same grade
and tier changes nothing. Every contributor x country amount, the fee, and every patent's part
of every line (its segments' parts summed) are exactly what the unsegmented patent gives, for
each allocation method, wherever the cuts fall (before, inside or after the usage period)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pool.models.pool import Pool
from pool.services.distribution import patent_lines
from pool.services.distribution.inputs import PoolPatent
from pool.services.distribution.splitting import split_period
from pool.services.patents.grades import Segment

Q1 = (date(2025, 1, 1), date(2025, 4, 1))
COUNTRIES = ("CN", "US", "DE")
PARAMETERS = {
    "patent_count": {},
    "grade_weighted": {"grade_points": {"A": "3", "B": "2", "C": "1", "D": "0.5"}},
    "tiered": {"tier_shares": {"1": "0.5", "2": "0.35", "3": "0.15"}},
}
days = st.integers(-120, 180).map(lambda n: Q1[0] + timedelta(days=n))
patents = st.lists(
    st.tuples(
        st.integers(1, 3),  # owner organisation id
        st.sampled_from(COUNTRIES),
        st.sampled_from("ABCD"),
        st.sampled_from("123"),
        st.none() | st.integers(1, 89),  # leaves the pool on day N of Q1
        st.lists(days, max_size=3, unique=True),  # where its grade history is cut
    ),
    min_size=1,
    max_size=6,
)


def pool_of(method: str) -> Pool:
    return Pool(
        name="Segments",
        technology_field="ict_manufacturing",
        currency="USD",
        admin_fee_rate="0.1",
        allocation_method=method,
        allocation_parameters=PARAMETERS[method],
        reporting_cadence="quarterly",
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
    )


def outcome(pool: Pool, found: list[PoolPatent], buckets: dict[tuple[str, str], int]) -> Any:
    lines, fee, countries, _, binding = split_period(pool, found, Q1, buckets, {})
    rows = [
        {"contributor_organisation_id": org, "country": country, "amount_minor": amount}
        for (_, org, country), amount in sorted(lines.items())
    ]
    parts: dict[tuple[int, str, int], int] = {}
    for row in patent_lines.split(pool, found, Q1, rows):
        key = (row["contributor_organisation_id"], row["country"], row["patent_id"])
        parts[key] = parts.get(key, 0) + row["amount_minor"]
        assert (row["grade"], row["tier"]) == grades_of[row["patent_id"]]
    return lines, fee, countries, binding, parts


grades_of: dict[int, tuple[str, str]] = {}


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(sorted(PARAMETERS)),
    held=patents,
    amounts=st.lists(st.integers(1, 10_000_000), min_size=1, max_size=3),
)
def test_segments_of_one_grade_split_like_the_whole_patent(
    method: str, held: list[Any], amounts: list[int]
) -> None:
    pool = pool_of(method)
    whole, cut = [], []
    grades_of.clear()
    for index, (owner, country, grade, tier, leaves, cuts) in enumerate(held, start=1):
        end = None if leaves is None else Q1[0] + timedelta(days=leaves)
        in_pool = ((date(2020, 1, 1), end),)
        grades_of[index] = (grade, tier)
        whole.append(PoolPatent(index, owner, country, grade, tier, in_pool))
        history = (Segment(None, grade, tier), *(Segment(d, grade, tier) for d in sorted(cuts)))
        cut.append(PoolPatent(index, owner, country, grade, tier, in_pool, history))
    countries = sorted({p.country for p in whole})
    buckets = {(countries[i % len(countries)], countries[0]): 0 for i in range(len(amounts))}
    for i, amount in enumerate(amounts):
        buckets[(countries[i % len(countries)], countries[0])] += amount
    assert outcome(pool, cut, buckets) == outcome(pool, whole, buckets)
