"""After a transfer takes effect its old owner no longer holds the patent: another transfer, a
pledge, a licence or a capital contribution of it dated on or after the transfer's day is
refused (409, naming the transfer). A deal dated before it still records (it was the owner's
then), and an undone (ended) transfer lets the owner deal in the patent again from its end."""

from datetime import UTC, date, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import col, select

from pool.db import session_scope
from pool.models.deal import PatentDeal
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.deals.test_transfers_and_pledges import API, pledge, record, transfer
from tests.pool.distribution import kit


def test_the_old_owner_cannot_deal_in_a_transferred_patent_until_it_is_undone(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    clock.now = datetime(2025, 6, 2, 9, tzinfo=UTC)
    moved = record(client, world, "contributor", **transfer(world, patent))  # from 2025-02-15
    assert moved.status_code == 201, moved.text
    again = record(client, world, "contributor", **transfer(world, patent, "2025-03-01"))
    assert again.status_code == 409, again.text
    assert "was transferred to" in again.json()["detail"]
    assert "from 2025-02-15" in again.json()["detail"]
    pledged = record(client, world, "admin", **pledge(world, patent))  # from 2025-03-01
    assert pledged.status_code == 409, pledged.text
    earlier = {
        **transfer(world, patent),
        "kind": "licence",
        "signed_on": "2025-01-10",
        "effective_on": "2025-01-10",
        "registration_number": None,
        "registered_on": None,
    }
    r = record(client, world, "contributor", **earlier)
    assert r.status_code == 201, r.text  # a licence it granted while it still owned the patent
    undone = client.post(
        f"{API}/deals/{moved.json()['id']}/end",
        json={"ended_on": "2025-04-01", "reason": "the assignment was rescinded"},
        headers=world.admin.headers,
    )
    assert undone.status_code == 200, undone.text
    still = record(client, world, "admin", **pledge(world, patent))  # 2025-03-01: still moved
    assert still.status_code == 409, still.text
    later = {**pledge(world, patent), "signed_on": "2025-04-01", "effective_on": "2025-04-01"}
    r = record(client, world, "admin", **later)
    assert r.status_code == 201, r.text
    with session_scope(engine) as s:
        kinds = s.exec(select(PatentDeal.kind).order_by(col(PatentDeal.id))).all()
    assert list(kinds) == ["transfer", "licence", "pledge"]
