"""Rows the reporting tests need from other areas (terms, agreements, products, in-force
intervals), written directly with the tables, and small HTTP helpers for reports."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.db import session_scope
from pool.models.ledger import JournalEntry, Posting
from pool.models.licensing import LicenceAgreement, LicenceTerms, Product
from pool.models.patent import Patent, PatentInclusion
from tests.pool.conftest import World

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
API = "/api/v1"


@dataclass
class Deal:
    """An agreement of one licensee, and its registered products by category."""

    agreement_id: int
    caller: str
    products: dict[str, int] = field(default_factory=dict)


def deal(
    engine: Engine,
    world: World,
    *,
    royalty: dict[str, Any],
    payment: dict[str, Any] | None = None,
    caller: str = "licensee",
    start: date = date(2025, 1, 1),
    end: date = date(2028, 1, 1),
    state: str = "active",
    early_signer: bool = False,
) -> Deal:
    """Terms, an agreement on them, and one registered product per priced category."""
    org = world.callers[caller].organisation_id or 0
    with session_scope(engine) as s:
        terms = LicenceTerms(
            pool_id=world.pool_id,
            version=f"{caller}-{royalty.get('terms_version', 'v1')}",
            royalty_terms=royalty,
            payment_terms=payment if payment is not None else {"net_days": 30},
            sha256="0" * 64,
            created_at=NOW,
        )
        s.add(terms)
        s.flush()
        row = LicenceAgreement(
            pool_id=world.pool_id,
            licensee_organisation_id=org,
            terms_id=terms.id or 0,
            licence_type="ordinary",
            signed_on=start,
            start_on=start,
            end_on=end,
            state=state,
            state_changed_on=start,
            early_signer=early_signer,
            created_at=NOW,
        )
        s.add(row)
        s.flush()
        result = Deal(row.id or 0, caller)
        for item in royalty.get("categories", []):
            product = Product(
                agreement_id=row.id or 0,
                licensee_organisation_id=org,
                name=f"{item['category']} device",
                model="M1",
                category=item["category"],
                filing_code=f"PF-{row.id}-{item['category']}",
                registered_on=start,
                created_at=NOW,
            )
            s.add(product)
            s.flush()
            result.products[item["category"]] = product.id or 0
    return result


def cover(engine: Engine, world: World, country: str, start: date, end: date | None = None) -> None:
    """A pool patent in force in `country` over [start, end)."""
    with session_scope(engine) as s:
        count = len(s.exec(select(Patent.id)).all())
        patent = Patent(
            pool_id=world.pool_id,
            owner_organisation_id=world.contributor.organisation_id or 0,
            number=f"US{9000000 + count}B2",
            number_key=f"US{9000000 + count}",
            jurisdiction=country,
            country=country,
            title="Codec",
            filing_date=date(2015, 1, 1),
            status="accepted",
            submitted_at=NOW,
            updated_at=NOW,
        )
        s.add(patent)
        s.flush()
        s.add(
            PatentInclusion(
                patent_id=patent.id or 0,
                pool_id=world.pool_id,
                country=country,
                start_on=start,
                end_on=end,
            )
        )


def line(
    product: int,
    units: int,
    *,
    made: str = "CN",
    sold: str = "US",
    net: int = 0,
    upstream: int = 0,
    price: int | None = None,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "product_id": product,
        "country_of_manufacture": made,
        "country_of_sale": sold,
        "units": units,
        "net_sales_minor": net,
        "upstream_paid_units": upstream,
    }
    if price is not None:
        item["unit_price_minor"] = price
    return item


def submit(
    client: TestClient,
    world: World,
    d: Deal,
    period_start: str,
    lines: list[dict[str, Any]],
    *,
    key: str | None = None,
    caller: str | None = None,
) -> Response:
    headers = dict(world.callers[caller or d.caller].headers)
    if key:
        headers["Idempotency-Key"] = key
    body = {"period_start": period_start, "lines": lines}
    return client.post(f"{API}/agreements/{d.agreement_id}/reports", json=body, headers=headers)


def invoice_of(client: TestClient, world: World, receipt: Response) -> dict[str, Any]:
    assert receipt.status_code == 201, receipt.text
    invoice_id = receipt.json()["invoice_id"]
    r = client.get(f"{API}/invoices/{invoice_id}", headers=world.admin.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def priced(invoice: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(basis, units, amount) per invoice line, the basis read from the explanation tag."""
    return [
        (x["explanation"].split("]")[0].lstrip("["), x["units"], x["amount_minor"])
        for x in invoice["lines"]
    ]


def balances(engine: Engine, invoice_id: int) -> dict[str, int]:
    """Sum of postings per account over every entry about the invoice."""
    with Session(engine) as s:
        rows = s.exec(
            select(Posting.account, Posting.amount_minor)
            .join(JournalEntry, JournalEntry.id == Posting.entry_id)  # type: ignore[arg-type]
            .where(JournalEntry.source_type == "invoice", JournalEntry.source_id == invoice_id)
        ).all()
    totals: dict[str, int] = {}
    for account, amount in rows:
        totals[account] = totals.get(account, 0) + amount
    return {k: v for k, v in totals.items() if v}


def count(client: TestClient, world: World, what: str) -> int:
    r = client.get(f"{API}/{what}?limit=1", headers=world.admin.headers)
    assert r.status_code == 200, r.text
    return int(r.json()["total"])
