"""How long bulk CSV onboarding takes: N patents through the real HTTP endpoint.

Run: .venv/bin/python -P benchmarks/patent_import.py [--pg postgresql://postgres@127.0.0.1:5432/test]
Prints one row per (database, rows): seconds for the whole request, and patents per second.
"""

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from litestar.testing import TestClient
from sqlalchemy import Engine

import pool.models  # noqa: F401
from pool.app import create_app
from pool.auth import Principal
from pool.db import session_scope
from pool.models.membership import MembershipCreate
from pool.models.organisation import OrganisationCreate, OrganisationKind
from pool.models.pool import PoolCreate, TechnologyField
from pool.models.user import Role, UserCreate
from pool.services import accounts, audit, pools
from pool.services.accounts import organisations
from pool.services.pools import memberships
from pool.settings import Settings

# beside this script, found after the project imports so benchmarks/allocation.py never
# shadows the allocation package
sys.path.append(str(Path(__file__).parent))
from bench_db import measure, print_table

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def _setup(engine: Engine, settings: Settings) -> tuple[int, str]:
    with session_scope(engine) as s:
        system = audit.Actor.system("bench")
        org = organisations.create(
            s,
            data=OrganisationCreate(name="Uni", kind=OrganisationKind.UNIVERSITY, country="US"),
            actor=system,
            now=NOW,
        )
        user = accounts.create_user(
            s,
            data=UserCreate(
                email="c@example.org",
                display_name="c",
                password="benchmark password",
                role=Role.CONTRIBUTOR,
                organisation_id=org.id,
            ),
            hasher=accounts.password_hasher(settings),
            actor=system,
            now=NOW,
        )
        boss = Principal(
            user_id=0, email="bench", role=Role.ADMIN, organisation_id=None, token_id=0
        )
        p = pools.create(
            s,
            principal=boss,
            data=PoolCreate(name="Bench", technology_field=TechnologyField.OTHER, currency="USD"),
            now=NOW,
        )
        memberships.join(
            s,
            principal=boss,
            pool_id=p.id or 0,
            data=MembershipCreate(
                organisation_id=org.id or 0, joined_on=date(2024, 1, 1), agreement_version="v1"
            ),
            now=NOW,
        )
        _, raw = accounts.issue_token(s, user=user, name="b", kind="api", now=NOW, expires_at=None)
        return p.id or 0, raw


def _csv(rows: int) -> bytes:
    lines = ["number,title,filing_date,grant_date,expiry_date,standard_sections"]
    lines += [
        f"US{9_000_000 + i}B2,Patent number {i},2016-01-04,2018-01-04,2036-01-04,7.{i % 9}"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def _run(label: str, engine: Engine, rows: int, tmp: Path) -> float:
    settings = Settings(
        data_dir=tmp,
        database_url=str(engine.url),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        max_upload_bytes=50_000_000,
    )
    pool_id, token = _setup(engine, settings)
    body = _csv(rows)
    with TestClient(create_app(settings=settings, engine=engine, clock=lambda: NOW)) as client:
        started = time.perf_counter()
        r = client.post(
            f"/api/v1/pools/{pool_id}/patents/import",
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
        )
        elapsed = time.perf_counter() - started
    if r.status_code != 201:
        raise SystemExit(f"import failed: {r.status_code} {r.text[:300]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", help="also measure on this PostgreSQL URL")
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000, 10_000, 50_000])
    args = parser.parse_args()
    print_table("rows", measure(args.rows, args.pg, _run))


if __name__ == "__main__":
    main()
