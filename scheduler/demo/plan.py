"""The demo plan (`patentpool demo`): who is in the pool and what each of them does during
the year, from one `random.Random(seed)`, so one seed plans the same pool on every machine.
Organisations come from `organisations.py`, patents from `patents.py`; the licensees'
deals and habits are planned here. Pure and deterministic: no database, no services."""

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from pool.models.organisation import SizeClass
from scheduler.demo import organisations, patents
from scheduler.demo.records import LicenseePlan, Org, Plan, Size

CATEGORIES = ("mobile", "tv", "iot")
SCALE = {
    SizeClass.MICRO: 1_500,
    SizeClass.SMALL: 8_000,
    SizeClass.MEDIUM: 40_000,
    SizeClass.LARGE: 180_000,
}
LINES_OF_BUSINESS: dict[SizeClass, list[tuple[str, ...]]] = {
    SizeClass.MICRO: [("iot",), ("iot",), ("mobile",)],
    SizeClass.SMALL: [("iot",), ("mobile",), ("mobile", "iot")],
    SizeClass.MEDIUM: [("mobile", "tv"), ("tv",), ("mobile", "iot")],
    SizeClass.LARGE: [CATEGORIES, ("mobile", "tv")],
}


def plan(seed: int, size: Size, year: int) -> Plan:
    """Who is in the pool and what each does during `year`, from one seeded generator."""
    rng = random.Random(seed)
    contributors = organisations.contributors(rng, size.contributors)
    families = patents.patents(rng, contributors, size.patents, year)
    return Plan(seed, year, contributors, families, _licensees(rng, size.licensees, year))


def _licensees(rng: random.Random, count: int, year: int) -> list[LicenseePlan]:
    """Micro, small, medium and large makers, a seventh of them abroad."""
    shares = [(SizeClass.MICRO, 0.3), (SizeClass.SMALL, 0.35), (SizeClass.MEDIUM, 0.2)]
    sizes = [size for size, share in shares for _ in range(max(1, round(count * share)))]
    sizes = (sizes + [SizeClass.LARGE] * count)[:count]
    if count >= 4:
        sizes[-1] = SizeClass.LARGE
    rng.shuffle(sizes)
    used: set[str] = set()
    org = organisations.licensee_org
    made = [_behaviour(rng, org(rng, i, size, used), year) for i, size in enumerate(sizes)]
    return _special_roles(rng, made, year)


def _behaviour(rng: random.Random, org: Org, year: int) -> LicenseePlan:
    size = org.size or SizeClass.LARGE
    early = rng.random() < 0.8  # most sign in the first quarter, the others during the year
    nil_chance = 0.2 if size == SizeClass.MICRO else 0.04
    return LicenseePlan(
        org=org,
        deal="open",
        signs_on=date(year, 1, 2) + timedelta(days=rng.randint(0, 85 if early else 250)),
        categories=rng.choice(LINES_OF_BUSINESS[size]),
        payer=rng.choices(["prompt", "late", "partial"], weights=[80, 12, 8])[0],
        scale=int(SCALE[size] * rng.uniform(0.5, 1.5)),
        nil_quarters=frozenset(q for q in range(1, 5) if rng.random() < nil_chance),
        files=rng.random() < 0.93,
        by_csv=size == SizeClass.LARGE,
    )


def _special_roles(rng: random.Random, made: list[LicenseePlan], year: int) -> list[LicenseePlan]:
    """Negotiated licences (with an entry fee) for a quarter of the large makers, "use first,
    pay later" for one start-up, and one licensee each that reports a quarter late, corrects
    a report, or never pays an invoice."""
    large = [i for i, p in enumerate(made) if p.org.size == SizeClass.LARGE]
    for i in large[: max(1, len(large) // 4)]:
        made[i] = replace(made[i], deal="enterprise", signs_on=date(year, 1, 6))
        made[i] = replace(made[i], categories=CATEGORIES, nil_quarters=frozenset())
    small = [i for i, p in enumerate(made) if p.org.size in (SizeClass.MICRO, SizeClass.SMALL)]
    ufpl = small[0] if small else len(made) - 1
    made[ufpl] = replace(
        made[ufpl],
        deal="ufpl",
        signs_on=date(year, 1, 15),
        payer="prompt",
        nil_quarters=frozenset(),
    )
    others = [i for i in range(len(made)) if i != ufpl and made[i].deal == "open"]
    chosen = rng.sample(others, 3) if len(others) >= 3 else others
    roles: list[dict[str, Any]] = [{"late_quarter": 2}, {"payer": "never"}, {"corrects_quarter": 1}]
    for i, role in zip(chosen, roles, strict=False):
        signs_on = min(made[i].signs_on, date(year, 2, 28))
        made[i] = replace(made[i], signs_on=signs_on, nil_quarters=frozenset(), **role)
    return made
