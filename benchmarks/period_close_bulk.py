"""period_close.py's pool, not timed: the administrator and the pool through the services, then
organisations, memberships, patents and their in-pool intervals, terms, agreements and products
as bulk Core inserts (the same rows the test kits write; no audit events for them)."""

import random
from datetime import date
from typing import Any

from argon2 import PasswordHasher
from period_close_scenario import (
    ACTOR,
    COUNTRIES,
    COUNTRY_WEIGHTS,
    PER_UNIT,
    PERCENT,
    SETUP_NOW,
    SURNAMES,
)
from sqlalchemy import Engine, insert
from sqlmodel import Session

from pool.auth import Principal
from pool.db import session_scope
from pool.models.licensing import LicenceAgreement, LicenceTerms, Product
from pool.models.membership import Membership
from pool.models.organisation import Organisation
from pool.models.patent import Patent, PatentInclusion
from pool.models.pool import (
    AllocationMethod,
    PoolCreate,
    PoolStatus,
    PoolUpdate,
    TechnologyField,
)
from pool.models.user import Role, UserCreate
from pool.services import accounts, pools


def admin(engine: Engine) -> Principal:
    with session_scope(engine) as s:
        user = accounts.create_user(
            s,
            data=UserCreate(
                email="admin@bench.example",
                display_name="admin",
                password="benchmark pass",
                role=Role.ADMIN,
                organisation_id=None,
            ),
            hasher=PasswordHasher(time_cost=1, memory_cost=1024),
            actor=ACTOR,
            now=SETUP_NOW,
        )
        return Principal(
            user_id=user.id or 0,
            email=user.email,
            role=Role.ADMIN,
            organisation_id=None,
            token_id=0,
        )


def open_pool(engine: Engine, boss: Principal) -> int:
    with session_scope(engine) as s:
        data = PoolCreate(
            name="Bench video codec pool",
            technology_field=TechnologyField.ICT_MANUFACTURING,
            standard="GB/T 00000-2025",
            currency="USD",
            allocation_method=AllocationMethod.GRADE_WEIGHTED,
            allocation_parameters={"grade_points": {"A": "3", "B": "2", "C": "1"}},
        )
        pool_id = pools.create(s, principal=boss, data=data, now=SETUP_NOW).id or 0
        pools.update(
            s,
            principal=boss,
            pool_id=pool_id,
            data=PoolUpdate(status=PoolStatus.OPEN),
            now=SETUP_NOW,
        )
    return pool_id


def _insert(s: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Multi-row INSERT ... RETURNING id, in chunks; ids in the order of `rows`."""
    ids: list[int] = []
    for start in range(0, len(rows), 5000):
        result = s.execute(
            insert(table).returning(table.id, sort_by_parameter_order=True),
            rows[start : start + 5000],
        )
        ids += [row[0] for row in result]
    return ids


def organisations(
    s: Session, pool_id: int, n_contributors: int, n_licensees: int
) -> tuple[list[int], list[int]]:
    rng = random.Random(1)
    contributors = []
    for i in range(n_contributors):
        zh = i % 5 < 2
        name = f"{SURNAMES[i % len(SURNAMES)]}{'大学' if i % 3 else '研究院'}{i:04d}"
        contributors.append(
            {
                "name": name if zh else f"Contributor {i:04d} Ltd",
                "kind": ("university", "research_institute", "private_company")[i % 3],
                "country": "CN" if zh else rng.choice(COUNTRIES),
                "withholding_rate": "0.1" if i % 10 else "0",
                "language": "zh-CN" if zh else "en",
                "created_at": SETUP_NOW,
            }
        )
    licensees = [
        {
            "name": f"Licensee {i:04d} Inc",
            "kind": "private_company",
            "size_class": ("small", "medium", "large")[i % 3],
            "country": rng.choice(COUNTRIES),
            "created_at": SETUP_NOW,
        }
        for i in range(n_licensees)
    ]
    contributor_ids = _insert(s, Organisation, contributors)
    licensee_ids = _insert(s, Organisation, licensees)
    s.execute(
        insert(Membership),
        [
            {
                "pool_id": pool_id,
                "organisation_id": org,
                "joined_on": date(2024, 1, 1),
                "agreement_version": "v1",
                # a few leave during the statement period: they still get a statement
                "withdrawn_on": date(2025, 8, 15) if i % 100 == 99 else None,
                "created_at": SETUP_NOW,
            }
            for i, org in enumerate(contributor_ids)
        ],
    )
    return contributor_ids, licensee_ids


Patents = list[tuple[dict[str, Any], tuple[str, date, date | None]]]


def patents(pool_id: int, owners: list[int], total: int) -> tuple[Patents, Patents]:
    """Skewed holdings (weight 1/rank^0.8, at least one patent each), random countries and
    grades; 1 % leave mid-usage-quarter, 1 % mid-statement-period, 1 % join mid-quarter.

    Returned in two parts: the first patent of each distinct (country, in-pool interval),
    written before the reports, and the rest, written after them. Charging a report reads
    the pool's coverage, which is the set of distinct (country, start, end) intervals
    (`charging.coverage_of`), so it is the same with either part; but it reads every
    inclusion row to find it: with all 50,000 written first, each report took 0.24 s of
    0.26 s there, and the 2,000 reports 11 minutes."""
    rng = random.Random(2)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(owners))]
    scale = (total - len(owners)) / sum(weights)
    counts = [1 + int(w * scale) for w in weights]
    counts[0] += total - sum(counts)
    first: Patents = []
    rest: Patents = []
    seen: set[tuple[str, date, date | None]] = set()
    n = 0
    for owner, count in zip(owners, counts, strict=True):
        for _ in range(count):
            country = rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]
            row = {
                "pool_id": pool_id,
                "owner_organisation_id": owner,
                "number": f"{country}{10_000_000 + n}B2",
                "number_key": f"{country}{10_000_000 + n}",
                "jurisdiction": country,
                "country": country,
                "title": "Video coding method",
                "filing_date": date(2015, 1, 1),
                "standard_sections": [],
                "status": "accepted",
                "grade": rng.choices("ABC", (20, 50, 30))[0],
                "submitted_at": SETUP_NOW,
                "updated_at": SETUP_NOW,
            }
            n += 1
            roll = rng.random()
            start = date(2025, 5, 15) if roll < 0.01 else date(2020, 1, 1)
            end = (
                date(2025, 5, 20)
                if 0.01 <= roll < 0.02
                else date(2025, 8, 20)
                if 0.02 <= roll < 0.03
                else None
            )
            span = (country, start, end)
            (rest if span in seen else first).append((row, span))
            seen.add(span)
    return first, rest


def insert_patents(s: Session, pool_id: int, patents: Patents) -> None:
    ids = _insert(s, Patent, [row for row, _ in patents])
    s.execute(
        insert(PatentInclusion),
        [
            {"patent_id": pid, "pool_id": pool_id, "country": c, "start_on": a, "end_on": b}
            for pid, (_, (c, a, b)) in zip(ids, patents, strict=True)
        ],
    )


def agreements(s: Session, pool_id: int, licensees: list[int]) -> list[tuple[int, list[int]]]:
    """(agreement, its 5 products) per licensee; even licensees on per-unit terms."""
    terms = _insert(
        s,
        LicenceTerms,
        [
            {
                "pool_id": pool_id,
                "version": royalty["terms_version"],
                "royalty_terms": royalty,
                "payment_terms": {"net_days": 30},
                "sha256": "0" * 64,
                "created_at": SETUP_NOW,
            }
            for royalty in (PER_UNIT, PERCENT)
        ],
    )
    start = date(2025, 4, 1)
    deals = _insert(
        s,
        LicenceAgreement,
        [
            {
                "pool_id": pool_id,
                "licensee_organisation_id": org,
                "terms_id": terms[i % 2],
                "licence_type": "ordinary",
                "territory": [],
                "product_categories": [],
                "signed_on": date(2025, 3, 15),
                "start_on": start,
                "end_on": date(2030, 1, 1),
                "state": "active",
                "state_changed_on": start,
                "created_at": SETUP_NOW,
            }
            for i, org in enumerate(licensees)
        ],
    )
    products = []
    for i, (deal, org) in enumerate(zip(deals, licensees, strict=True)):
        categories = [c["category"] for c in (PER_UNIT, PERCENT)[i % 2]["categories"]]
        for k in range(5):
            products.append(
                {
                    "agreement_id": deal,
                    "licensee_organisation_id": org,
                    "name": f"Device {k}",
                    "model": f"M{k}",
                    "category": categories[k % 2],
                    "patent_ids": [],
                    "filing_code": f"PF-{deal}-{k}",
                    "registered_on": start,
                    "created_at": SETUP_NOW,
                }
            )
    product_ids = _insert(s, Product, products)
    return [(deal, product_ids[5 * i : 5 * i + 5]) for i, deal in enumerate(deals)]
