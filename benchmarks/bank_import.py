"""How long a bank statement import takes: N credits, each quoting an open invoice, through the
real HTTP endpoint (read, check, match, record a payment and settle it, audit).

Run: .venv/bin/python -P benchmarks/bank_import.py [--pg postgresql://postgres@127.0.0.1:5432/test]
Prints one row per (database, credits): seconds for the whole request, and credits per second.
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
from pool.models.billing import Invoice, InvoiceInstalment
from pool.models.licensing import LicenceAgreement, LicenceTerms
from pool.models.organisation import OrganisationCreate, OrganisationKind
from pool.models.pool import PoolCreate, TechnologyField
from pool.models.user import Role, UserCreate
from pool.services import accounts, audit, pools
from pool.services.accounts import organisations
from pool.services.billing import ledger
from pool.settings import Settings

# beside this script, found after the project imports so benchmarks/allocation.py never
# shadows the allocation package
sys.path.append(str(Path(__file__).parent))
from bench_db import measure, print_table

NOW = datetime(2025, 6, 1, tzinfo=UTC)
LICENSEES = 20


def _setup(engine: Engine, settings: Settings, credits: int) -> tuple[int, str]:
    """A pool, 20 licensees with an agreement each, one open invoice per credit to come."""
    system = audit.Actor.system("bench")
    boss = Principal(user_id=0, email="bench", role=Role.ADMIN, organisation_id=None, token_id=0)
    with session_scope(engine) as s:
        pool = pools.create(
            s,
            principal=boss,
            data=PoolCreate(name="Bench", technology_field=TechnologyField.OTHER, currency="USD"),
            now=datetime(2024, 1, 1, tzinfo=UTC),
        )
        deals = []
        for k in range(LICENSEES):
            org = organisations.create(
                s,
                data=OrganisationCreate(
                    name=f"Licensee {k}", kind=OrganisationKind.PRIVATE_COMPANY, country="US"
                ),
                actor=system,
                now=NOW,
            )
            terms = LicenceTerms(
                pool_id=pool.id or 0, version=f"v{k}", sha256="0" * 64, created_at=NOW,
                royalty_terms={"terms_version": f"v{k}", "currency": "USD",
                               "minor_unit_exponent": 2},
                payment_terms={"net_days": 30},
            )  # fmt: skip
            s.add(terms)
            s.flush()
            deal = LicenceAgreement(
                pool_id=pool.id or 0, licensee_organisation_id=org.id or 0, terms_id=terms.id or 0,
                licence_type="ordinary", signed_on=date(2024, 12, 1), start_on=date(2025, 1, 1),
                end_on=date(2028, 1, 1), state="active", state_changed_on=date(2024, 12, 1),
                created_at=NOW,
            )  # fmt: skip
            s.add(deal)
            s.flush()
            deals.append(deal)
        for n in range(credits):
            deal = deals[n % LICENSEES]
            invoice = Invoice(
                pool_id=pool.id or 0, agreement_id=deal.id or 0,
                licensee_organisation_id=deal.licensee_organisation_id, kind="royalty",
                number=f"INV-{n + 1:06d}", currency="USD", usage_start=date(2025, 1, 1),
                usage_end=date(2025, 4, 1), issued_on=date(2025, 4, 1), due_on=date(2025, 4, 1),
                total_minor=1000_00, created_at=NOW,
            )  # fmt: skip
            s.add(invoice)
            s.flush()
            s.add(InvoiceInstalment(invoice_id=invoice.id or 0, due_on=date(2025, 4, 1),
                                    amount_minor=1000_00))  # fmt: skip
            s.flush()
            ledger.post_invoice_issued(
                s, invoice=invoice, due_now_minor=1000_00, deferred_minor=0, now=NOW
            )
        admin = accounts.create_user(
            s,
            data=UserCreate(email="admin@example.org", display_name="a",
                            password="benchmark password", role=Role.ADMIN),
            hasher=accounts.password_hasher(settings),
            actor=system,
            now=NOW,
        )  # fmt: skip
        _, raw = accounts.issue_token(s, user=admin, name="b", kind="api", now=NOW, expires_at=None)
        return pool.id or 0, raw


def _camt053(credits: int) -> bytes:
    entries = "\n".join(
        f"<Ntry><Amt Ccy='USD'>1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>2025-05-20</Dt></BookgDt><AcctSvcrRef>BENCH-{n}</AcctSvcrRef>"
        f"<NtryDtls><TxDtls><RmtInf><Ustrd>INV-{n + 1:06d} royalties</Ustrd></RmtInf>"
        f"</TxDtls></NtryDtls></Ntry>"
        for n in range(credits)
    )
    return (
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        "<BkToCstmrStmt><Stmt><Id>BENCH</Id><Acct><Id><IBAN>US00BENCH</IBAN></Id>"
        f"<Ccy>USD</Ccy></Acct>\n{entries}\n</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def _run(label: str, engine: Engine, credits: int, tmp: Path) -> float:
    settings = Settings(
        data_dir=tmp,
        database_url=str(engine.url),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        max_upload_bytes=50_000_000,
        db_statement_timeout_ms=0,
    )
    pool_id, token = _setup(engine, settings, credits)
    body = _camt053(credits)
    with TestClient(create_app(settings=settings, engine=engine, clock=lambda: NOW)) as client:
        started = time.perf_counter()
        r = client.post(
            f"/api/v1/pools/{pool_id}/bank-statements",
            content=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=600,
        )
        elapsed = time.perf_counter() - started
    if r.status_code != 201 or r.json()["matched"] != credits:
        raise SystemExit(f"import failed: {r.status_code} {r.text[:300]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", help="also measure on this PostgreSQL URL")
    parser.add_argument("--credits", type=int, nargs="*", default=[50, 200, 1_000])
    args = parser.parse_args()
    print_table("credits", measure(args.credits, args.pg, _run))


if __name__ == "__main__":
    main()
