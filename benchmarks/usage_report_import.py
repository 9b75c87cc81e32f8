"""How long a usage report CSV takes: N lines validated, stored and invoiced through the real
HTTP endpoint (parse, check every line, charge with `contracts.royalty_due`, insert report
lines and invoice lines, post the ledger entry, commit).

Run: .venv/bin/python -P benchmarks/usage_report_import.py [--pg postgresql://postgres@127.0.0.1:5432/test]
Prints one row per (database, lines): seconds for the whole request, and lines per second.
"""

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

import pool.models  # noqa: F401
from pool.app import create_app
from pool.auth import Principal
from pool.db import session_scope
from pool.models.licensing import LicenceAgreement, LicenceTerms, Product
from pool.models.organisation import OrganisationCreate, OrganisationKind, SizeClass
from pool.models.patent import Patent, PatentInclusion
from pool.models.pool import PoolCreate, TechnologyField
from pool.models.user import Role, UserCreate
from pool.services import accounts, audit, pools
from pool.services.accounts import organisations
from pool.settings import Settings

# beside this script, found after the project imports so benchmarks/allocation.py never
# shadows the allocation package
sys.path.append(str(Path(__file__).parent))
from bench_db import measure, print_table

NOW = datetime(2025, 7, 15, tzinfo=UTC)
COUNTRIES = ("CN", "US", "DE", "IN", "JP", "BR", "VN", "KR")
TERMS = {
    "terms_version": "bench",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {
            "category": "mobile",
            "tiers": [{"from_units": 0, "rate": "0.50"}, {"from_units": 2000000, "rate": "0.30"}],
        },
        {
            "category": "TV",
            "bands": [
                {"lower_minor": 0, "upper_minor": 50000, "upper_inclusive": False, "rate": "0.5"},
                {"lower_minor": 50000, "lower_inclusive": True, "rate": "1.00"},
            ],
        },
        {"category": "PC", "basis": "percent_of_net_sales", "percent": "3.5"},
    ],
    "free_units_per_year": 100000,
    "annual_cap_minor": 150000000,
    "discounts": {
        "order": ["sme", "region"],
        "sme": {"small": "0.7"},
        "regions": [{"country": "IN", "multiplier": "0.5"}],
    },
}


def _org(s: Session, name: str, kind: OrganisationKind, size: SizeClass | None) -> int:
    data = OrganisationCreate(name=name, kind=kind, size_class=size, country="US")
    return organisations.create(s, data=data, actor=audit.Actor.system("bench"), now=NOW).id or 0


def _patents_in_force(s: Session, pool_id: int, owner: int) -> None:
    for i, country in enumerate(COUNTRIES[:5]):
        patent = Patent(
            pool_id=pool_id,
            owner_organisation_id=owner,
            number=f"X{i}",
            number_key=f"X{i}",
            jurisdiction=country,
            country=country,
            title="t",
            filing_date=date(2015, 1, 1),
            status="accepted",
            submitted_at=NOW,
            updated_at=NOW,
        )
        s.add(patent)
        s.flush()
        start = date(2020, 1, 1)
        s.add(
            PatentInclusion(
                patent_id=patent.id or 0, pool_id=pool_id, country=country, start_on=start
            )
        )


def _agreement(s: Session, pool_id: int, licensee: int) -> tuple[int, list[tuple[int, str]]]:
    """An active agreement on TERMS and 60 registered products (mobile, TV, PC in turn)."""
    terms = LicenceTerms(
        pool_id=pool_id,
        version="bench",
        royalty_terms=TERMS,
        payment_terms={"net_days": 30},
        sha256="0" * 64,
        created_at=NOW,
    )
    s.add(terms)
    s.flush()
    start = date(2025, 1, 1)
    deal = LicenceAgreement(
        pool_id=pool_id,
        licensee_organisation_id=licensee,
        terms_id=terms.id or 0,
        licence_type="ordinary",
        signed_on=start,
        start_on=start,
        end_on=date(2030, 1, 1),
        state="active",
        state_changed_on=start,
        created_at=NOW,
    )
    s.add(deal)
    s.flush()
    products = []
    for i in range(60):
        category = ("mobile", "TV", "PC")[i % 3]
        product = Product(
            agreement_id=deal.id or 0,
            licensee_organisation_id=licensee,
            name=f"P{i}",
            model="M",
            category=category,
            filing_code=f"PF{i}",
            registered_on=start,
            created_at=NOW,
        )
        s.add(product)
        s.flush()
        products.append((product.id or 0, category))
    return deal.id or 0, products


def _setup(engine: Engine, settings: Settings) -> tuple[int, list[tuple[int, str]], str]:
    """A pool with patents in force, a small licensee, its agreement and 60 products."""
    with session_scope(engine) as s:
        uni = _org(s, "Uni", OrganisationKind.UNIVERSITY, None)
        licensee = _org(s, "SME", OrganisationKind.PRIVATE_COMPANY, SizeClass.SMALL)
        user = accounts.create_user(
            s,
            data=UserCreate(
                email="l@example.org",
                display_name="l",
                password="benchmark pass",
                role=Role.LICENSEE,
                organisation_id=licensee,
            ),
            hasher=accounts.password_hasher(settings),
            actor=audit.Actor.system("bench"),
            now=NOW,
        )
        boss = Principal(user_id=0, email="b", role=Role.ADMIN, organisation_id=None, token_id=0)
        data = PoolCreate(name="Bench", technology_field=TechnologyField.OTHER, currency="USD")
        pool_id = pools.create(s, principal=boss, data=data, now=NOW).id or 0
        _patents_in_force(s, pool_id, uni)
        agreement_id, products = _agreement(s, pool_id, licensee)
        _, raw = accounts.issue_token(s, user=user, name="b", kind="api", now=NOW, expires_at=None)
        return agreement_id, products, raw


def _csv(lines: int, products: list[tuple[int, str]]) -> bytes:
    out = [
        "product_id,country_of_manufacture,country_of_sale,units,net_sales_minor,"
        "upstream_paid_units,unit_price_minor"
    ]
    for i in range(lines):
        product, category = products[i % len(products)]
        units = 1 + (i * 7919) % 5000
        price = 20000 + (i * 104729) % 60000
        upstream = units // 10 if i % 11 == 0 else 0
        made, sold = COUNTRIES[i % 3], COUNTRIES[(i * 5) % len(COUNTRIES)]
        shown_price = price if category == "TV" else ""
        out.append(f"{product},{made},{sold},{units},{units * price},{upstream},{shown_price}")
    return ("\n".join(out) + "\n").encode()


def _run(label: str, engine: Engine, lines: int, tmp: Path) -> float:
    settings = Settings(
        data_dir=tmp,
        database_url=str(engine.url),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        max_upload_bytes=100_000_000,
    )
    agreement_id, products, token = _setup(engine, settings)
    body = _csv(lines, products)
    with TestClient(create_app(settings=settings, engine=engine, clock=lambda: NOW)) as client:
        started = time.perf_counter()
        r = client.post(
            f"/api/v1/agreements/{agreement_id}/reports/import",
            params={"period_start": "2025-07-01"},  # the pool is created on 15 July
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
        )
        elapsed = time.perf_counter() - started
    if r.status_code != 201:
        raise SystemExit(f"import failed: {r.status_code} {r.text[:500]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", help="also measure on this PostgreSQL URL")
    parser.add_argument("--lines", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    args = parser.parse_args()
    print_table("lines", measure(args.lines, args.pg, _run))


if __name__ == "__main__":
    main()
