"""Payouts under concurrency, over real HTTP from real threads, on both databases: ten
administrators making a batch at once make one; ten recording the same payment paid (with
different bank references) book it once. A hung request fails the test (`burst`'s deadline
and the test's timeout)."""

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pool.models.ledger import JournalEntry
from pool.models.payout import PayoutLine
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.concurrency.kit import Call, burst, live_app, statuses
from tests.pool.conftest import World
from tests.pool.payouts import kit

PATIENT = {"db_lock_timeout_ms": 60_000, "db_wait_seconds": 60.0}


def _post(url: str, body: dict[str, str], world: World) -> Call:
    return lambda client: client.post(url, json=body, headers=world.admin.headers)


@pytest.mark.timeout(120)
def test_ten_batches_at_once_pay_each_contributor_once(
    client: TestClient, engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    books = kit.approved(client, engine, world, clock)
    kit.bank(client, world, "other_contributor", kit.CN)
    url = f"{kit.API}/pools/{world.pool_id}/payout-batches"
    calls = [_post(url, {"execution_date": "2025-11-03"}, world) for _ in range(10)]
    with live_app(settings, engine, clock, **PATIENT) as base:
        responses = burst(base, calls)
    assert statuses(responses) == {201: 1, 409: 9}
    with Session(engine) as s:
        lines = s.exec(
            select(PayoutLine.contributor_organisation_id, PayoutLine.amount_minor)
        ).all()
    assert sorted(lines) == sorted(books["net"].items())


@pytest.mark.timeout(120)
def test_ten_records_of_one_payment_book_it_once(
    client: TestClient, engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    kit.approved(client, engine, world, clock)
    batch = kit.create(client, world)
    kit.sent(client, world, batch["id"])
    line = batch["lines"][0]["id"]
    url = f"{kit.API}/payout-lines/{line}/paid"
    calls = [
        _post(url, {"paid_on": "2025-11-01", "bank_reference": f"B-{k}"}, world) for k in range(10)
    ]
    with live_app(settings, engine, clock, **PATIENT) as base:
        responses = burst(base, calls)
    assert statuses(responses) == {200: 1, 409: 9}
    with Session(engine) as s:
        entries = s.exec(select(func.count()).where(col(JournalEntry.kind) == "payout_paid")).one()
    assert entries == 1
