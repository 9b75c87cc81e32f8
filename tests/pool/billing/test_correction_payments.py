"""Worked examples: correcting a report whose invoice was (partly) paid. The payments on the
cancelled invoice are released as credit and settle the corrected invoice first.

Amounts are US cents. Terms: 1.00 USD a unit; Q1 2025 reported 100 units (invoice 100.00,
due 1 May); the licensee paid 60.00 on 15 May; the clock reads 2 June 2025."""

from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pool.models.billing import Invoice, PaymentAllocation
from pool.services.billing import ledger
from tests.pool.conftest import World
from tests.pool.reporting.kit import API, Deal, cover, deal, line, submit

Q1 = (date(2025, 1, 1), date(2025, 4, 1))
FLAT = {
    "terms_version": "flat",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "1"}],
}


@pytest.fixture
def d(engine: Engine, world: World) -> Deal:
    cover(engine, world, "CN", date(2020, 1, 1))
    return deal(engine, world, royalty=FLAT)


def report_and_pay(client: TestClient, world: World, d: Deal, paid_minor: int) -> int:
    """The Q1 report of 100 units and a payment; returns the report id."""
    report = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 100)])
    assert report.status_code == 201, report.text
    body = {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": "BANK-1",
        "amount_minor": paid_minor,
        "currency": "USD",
        "received_on": "2025-05-15",
    }
    r = client.post(f"{API}/pools/{world.pool_id}/payments", json=body, headers=world.admin.headers)
    assert r.status_code == 201, r.text
    return int(report.json()["id"])


def correct(client: TestClient, world: World, report_id: int, lines: list[Any]) -> Any:
    return client.post(
        f"{API}/reports/{report_id}/correction",
        json={"lines": lines},
        headers=world.licensee.headers,
    )


def paid(s: Session, invoice_id: int | None) -> int:
    total = s.exec(
        select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0)).where(
            PaymentAllocation.invoice_id == invoice_id
        )
    ).one()
    return int(total)


def invoices(engine: Engine) -> list[tuple[int, str, int]]:
    """(total, status, paid) per invoice in issue order; paid = net of its allocation rows."""
    with Session(engine) as s:
        rows = s.exec(select(Invoice).order_by(col(Invoice.id))).all()
        return [(inv.total_minor, inv.status, paid(s, inv.id)) for inv in rows]


def books(engine: Engine, world: World) -> tuple[dict[str, int], list[tuple[date, date, int]]]:
    with Session(engine) as s:
        balances = ledger.licensee_balances(
            s, pool_id=world.pool_id, licensee_organisation_id=world.licensee.organisation_id or 0
        )
        cash = ledger.cash_by_usage_period(s, pool_id=world.pool_id)
        assert sum(b for _, _, b in ledger.trial_balance(s, pool_id=world.pool_id)) == 0
    return {k: v for k, v in balances.items() if v}, cash


def test_corrected_down_to_80_the_new_invoice_shows_60_paid_and_20_open(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    report_id = report_and_pay(client, world, d, 60_00)
    r = correct(client, world, report_id, [line(d.products["mobile"], 80)])
    assert r.status_code == 201, r.text
    #  total  | status      | paid
    assert invoices(engine) == [
        (100_00, "cancelled", 0),
        (80_00, "open", 60_00),
    ]
    balances, cash = books(engine, world)
    assert balances == {"receivable": 20_00, "royalty_revenue": -80_00, "cash": 60_00}
    assert cash == [(*Q1, 60_00)]  # all of it still pays for Q1
    payment = client.get(f"{API}/payments", headers=world.licensee.headers).json()["items"][0]
    # history kept: settled the first invoice, released, settled the corrected one
    assert [a["amount_minor"] for a in payment["allocations"]] == [60_00, -60_00, 60_00]
    assert payment["credit_left_minor"] == 0


def test_corrected_down_to_40_the_new_invoice_is_paid_and_20_is_credit(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    report_id = report_and_pay(client, world, d, 60_00)
    r = correct(client, world, report_id, [line(d.products["mobile"], 40)])
    assert r.status_code == 201, r.text
    assert invoices(engine) == [
        (100_00, "cancelled", 0),
        (40_00, "paid", 40_00),
    ]
    balances, cash = books(engine, world)
    assert balances == {"licensee_credit": -20_00, "royalty_revenue": -40_00, "cash": 60_00}
    assert cash == [(*Q1, 40_00)]  # the other 20.00 is credit, with no usage period yet
    account = client.get(
        f"{API}/licensees/{world.licensee.organisation_id}/account",
        headers=world.licensee.headers,
    ).json()
    assert (account["receivable_minor"], account["credit_minor"]) == (0, 20_00)


def test_corrected_to_nil_the_whole_payment_is_credit(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    report_id = report_and_pay(client, world, d, 100_00)
    assert invoices(engine) == [(100_00, "paid", 100_00)]
    r = correct(client, world, report_id, [])
    assert r.status_code == 201, r.text
    assert r.json()["invoice_id"] is None
    assert invoices(engine) == [(100_00, "cancelled", 0)]
    balances, cash = books(engine, world)
    assert balances == {"licensee_credit": -100_00, "cash": 100_00}
    assert cash == [(*Q1, 0)]


def test_a_written_off_invoice_cannot_be_corrected(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    report_id = report_and_pay(client, world, d, 60_00)
    invoice_id = client.get(f"{API}/reports/{report_id}", headers=world.admin.headers).json()[
        "invoice_id"
    ]
    off = client.post(
        f"{API}/invoices/{invoice_id}/write-off",
        json={"on": "2025-06-01", "reason": "insolvent"},
        headers=world.admin.headers,
    )
    assert off.status_code == 200, off.text
    before = books(engine, world)
    r = correct(client, world, report_id, [line(d.products["mobile"], 80)])
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "written off" in r.json()["detail"]
    assert books(engine, world) == before  # nothing was saved
    report = client.get(f"{API}/reports/{report_id}", headers=world.admin.headers).json()
    assert report["status"] == "accepted"
