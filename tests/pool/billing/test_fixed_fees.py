"""Worked examples: entry and annual fees invoiced on their dates, once.

Amounts are US cents. The licence runs from 1 March 2024 to 1 March 2027 with an entry fee of
5,000.00 and an annual fee of 1,200.00, payable 30 days after their dates; the clock reads
2 June 2025, so two licence years have begun."""

from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from pool.db import session_scope
from pool.models.billing import Invoice
from pool.services.billing import dues, fees, ledger
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.reporting.kit import API, deal

FEES = {
    "terms_version": "fees",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [],
    "entry_fee_minor": 5000_00,
    "annual_fee_minor": 1200_00,
}
START, END = date(2024, 3, 1), date(2027, 3, 1)


def issue(client: TestClient, world: World, as_of: str) -> Any:
    return client.post(
        f"{API}/pools/{world.pool_id}/fixed-fees/issue",
        params={"as_of": as_of},
        headers=world.admin.headers,
    )


def summary(invoices: list[dict[str, Any]]) -> list[tuple[str, str, str, str, str, int]]:
    return [
        (
            i["fee_kind"],
            i["usage_start"],
            i["usage_end"],
            i["issued_on"],
            i["due_on"],
            i["total_minor"],
        )
        for i in invoices
    ]


def test_entry_and_annual_fees_over_two_licence_years(
    client: TestClient, world: World, engine: Engine, clock: FakeClock
) -> None:
    deal(engine, world, royalty=FEES, start=START, end=END)
    deal(engine, world, royalty=FEES, caller="other_licensee", start=START, state="draft")
    first = issue(client, world, "2024-12-31")
    assert first.status_code == 200, first.text
    #  fee          | usage from   | usage to     | issued       | due          | cents
    assert summary(first.json()) == [
        ("entry_fee", "2024-03-01", "2025-03-01", "2024-03-01", "2024-03-31", 5000_00),
        ("annual_fee", "2024-03-01", "2025-03-01", "2024-03-01", "2024-03-31", 1200_00),
    ]
    second = issue(client, world, "2025-06-02")
    assert summary(second.json()) == [
        ("annual_fee", "2025-03-01", "2026-03-01", "2025-03-01", "2025-03-31", 1200_00),
    ]
    assert all(i["kind"] == "fixed_fee" for i in first.json() + second.json())
    assert issue(client, world, "2025-06-02").json() == []  # a rerun issues nothing
    detail = client.get(
        f"{API}/invoices/{second.json()[0]['id']}", headers=world.licensee.headers
    ).json()
    assert [(x["category"], x["amount_minor"]) for x in detail["lines"]] == [
        ("annual_fee", 1200_00)
    ]
    with session_scope(engine) as s:  # the daily job: the parts due in March fall due
        assert dues.recognise_due(s, pool_id=world.pool_id, as_of=clock.now.date(), now=clock.now)
        balances = ledger.licensee_balances(
            s, pool_id=world.pool_id, licensee_organisation_id=world.licensee.organisation_id or 0
        )
    assert {k: v for k, v in balances.items() if v} == {
        "receivable": 7400_00,
        "royalty_revenue": -7400_00,
    }


def test_a_credit_held_pays_a_fee_as_it_is_issued(
    client: TestClient, world: World, engine: Engine
) -> None:
    deal(engine, world, royalty=FEES, payment={"net_days": 0}, start=date(2025, 5, 1))
    body = {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": "ADVANCE",
        "amount_minor": 6000_00,
        "currency": "USD",
        "received_on": "2025-04-20",
    }
    r = client.post(f"{API}/pools/{world.pool_id}/payments", json=body, headers=world.admin.headers)
    assert r.status_code == 201, r.text
    issue(client, world, "2025-06-02")
    listed = client.get(f"{API}/invoices", headers=world.licensee.headers).json()["items"]
    assert [(i["fee_kind"], i["status"]) for i in listed] == [
        ("entry_fee", "paid"),
        ("annual_fee", "open"),  # 1,000.00 of the credit went to it; 200.00 is still owed
    ]
    with Session(engine) as s:
        balances = ledger.licensee_balances(
            s, pool_id=world.pool_id, licensee_organisation_id=world.licensee.organisation_id or 0
        )
    assert balances["receivable"] == 200_00
    assert balances.get("licensee_credit", 0) == 0


def test_fees_are_not_invoiced_ahead_of_today(client: TestClient, world: World) -> None:
    r = issue(client, world, "2025-06-03")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "as_of"


def test_the_database_refuses_a_fee_invoiced_twice(
    engine: Engine, world: World, clock: FakeClock
) -> None:
    deal(engine, world, royalty=FEES, start=START, end=END)
    with session_scope(engine) as s:
        made = fees.issue_fixed_fees(s, pool_id=world.pool_id, as_of=START, now=clock.now)
        assert [i.fee_kind for i in made] == ["entry_fee", "annual_fee"]
        twin = Invoice.model_validate({**made[0].model_dump(exclude={"id"}), "number": "X-1"})
    with Session(engine) as s:
        s.add(twin)  # as a second worker racing the first would write it
        with pytest.raises(IntegrityError):
            s.flush()
