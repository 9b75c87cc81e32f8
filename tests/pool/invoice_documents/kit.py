"""An invoice worth a document, built through the real API on the `world` fixture's pool: a
late Q1 report of SME L (mobile and tablet lines, in two instalments due 1 April and 1 July
2025, 7.3 % late interest), issued on the clock's day (2 June 2025), $100.00 of it paid; the
pool's payee; and, for the Chinese licensee, its fapiao details."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.organisation import Organisation
from tests.pool.conftest import World
from tests.pool.reporting.kit import API, cover, deal, line, submit

TERMS = {
    "terms_version": "v1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "mobile", "rate": "0.50"},
        {"category": "tablet", "rate": "0.80"},
    ],
}
PAYMENT = {
    "net_days": 30,
    "instalments": {"count": 2, "interval_months": 3, "first_after_months": 0},
    "late_interest": {"annual_percent": "7.3"},
}
PAYEE = {
    "legal_name": "Beijing Implementation Patent Pool Management Co., Ltd.",
    "bank_name": "Bank of China, Beijing Haidian Branch",
    "account_number": "3456 7890 1234 5678 901",
    "swift_bic": "bkchcnbj110",
    "cnaps_code": "104100004013",
    "bank_address": "1 Zhongguancun Street, Haidian District, Beijing",
}
USCC = "91350100M000100Y43"
FAPIAO = {
    "buyer_name": "厦门小型科技有限公司",
    "uscc": USCC,
    "address": "厦门市思明区软件园二期望海路 10 号",
    "phone": "0592-555 0101",
    "bank_name": "中国工商银行厦门分行",
    "bank_account": "4100 0212 3456 7890 123",
}


@dataclass(frozen=True)
class Billed:
    invoice_id: int
    number: str
    other_invoice_id: int  # Big M's invoice


def make_chinese(engine: Engine, world: World) -> None:
    """SME L becomes a Chinese company that reads Chinese (its registration, written as the
    onboarding would have)."""
    with session_scope(engine) as s:
        row = s.get(Organisation, world.licensee.organisation_id)
        assert row is not None
        row.country, row.uscc, row.language = "CN", USCC, "zh-CN"
        s.add(row)


def chinese(client: TestClient, engine: Engine, world: World) -> None:
    """SME L a Chinese company (`make_chinese`) that gives its fapiao details (the API)."""
    make_chinese(engine, world)
    org = world.licensee.organisation_id
    r = client.put(f"{API}/organisations/{org}/fapiao", json=FAPIAO, headers=world.licensee.headers)
    assert r.status_code == 200, r.text


def payee(client: TestClient, world: World, body: dict[str, Any] | None = None) -> None:
    r = client.put(
        f"{API}/pools/{world.pool_id}/payee", json=body or PAYEE, headers=world.admin.headers
    )
    assert r.status_code == 200, r.text


def invoice(
    client: TestClient, engine: Engine, world: World, payment: dict[str, Any] | None = None
) -> Billed:
    """SME L's Q1 report (1,000 mobiles at $0.50, 500 tablets at $0.80: $900.00, in two parts
    of $450.00), $100.00 received today; and Big M's own Q1 invoice."""
    for country in ("CN", "US"):
        cover(engine, world, country, date(2020, 1, 1))
    ids = []
    for caller in ("licensee", "other_licensee"):
        d = deal(engine, world, royalty=TERMS, payment=payment or PAYMENT, caller=caller)
        lines = [line(d.products["mobile"], 1000), line(d.products["tablet"], 500, sold="DE")]
        receipt = submit(client, world, d, "2025-01-01", lines)
        assert receipt.status_code == 201, receipt.text
        ids.append(receipt.json()["invoice_id"])
    number = client.get(f"{API}/invoices/{ids[0]}", headers=world.admin.headers).json()["number"]
    paid = client.post(
        f"{API}/pools/{world.pool_id}/payments",
        json={
            "licensee_organisation_id": world.licensee.organisation_id,
            "reference": "TT-2025-0602",
            "amount_minor": 100_00,
            "currency": "USD",
            "received_on": "2025-06-02",
        },
        headers=world.admin.headers,
    )
    assert paid.status_code == 201, paid.text
    return Billed(ids[0], number, ids[1])
