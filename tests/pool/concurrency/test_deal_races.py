"""Deals on one patent at once, over real HTTP from real threads, on both databases.

A transfer and a pledge of one patent, or two transfers of it, each read the patent as still
its owner's and unencumbered: without a lock both were recorded, and the patent was transferred
twice, or transferred while pledged. The deal register locks the deal's patents (PostgreSQL:
the rows, in id order; SQLite: the request's write lock), so whatever the interleaving exactly
one deal is recorded and the others are refused naming it. Ending one deal twice at once ends
it once."""

from datetime import date
from typing import Any

import httpx
from sqlalchemy import Engine, func
from sqlmodel import col, select

from pool.db import session_scope
from pool.models.audit import AuditEvent
from pool.models.deal import PatentDeal
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.concurrency.kit import Call, burst, live_app, statuses
from tests.pool.conftest import World
from tests.pool.deals.test_transfers_and_pledges import API, pledge, transfer
from tests.pool.distribution import kit

PATIENT = {"db_lock_timeout_ms": 60_000, "db_wait_seconds": 60.0}


def _deal(world: World, body: dict[str, Any]) -> Call:
    url = f"{API}/pools/{world.pool_id}/deals"
    return lambda client: client.post(url, json=body, headers=world.admin.headers)


def _deals(engine: Engine) -> list[str]:
    with session_scope(engine) as s:
        return list(s.exec(select(PatentDeal.kind).order_by(col(PatentDeal.id))).all())


def test_transfers_and_pledges_of_one_patent_at_once_record_exactly_one(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    patent = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    moves = [{**transfer(world, patent), "registration_number": f"TR-{k}"} for k in range(5)]
    pledged = {**pledge(world, patent), "signed_on": "2025-02-01", "effective_on": "2025-02-15"}
    calls = [_deal(world, body) for body in moves]
    calls.insert(2, _deal(world, pledged))
    with live_app(settings, engine, clock, **PATIENT) as url:
        responses = burst(url, calls)
    assert statuses(responses) == {201: 1, 409: 5}, [r.text for r in responses]
    winner = next(r.json() for r in responses if r.status_code == 201)
    assert _deals(engine) == [winner["kind"]]
    refusal = "is pledged" if winner["kind"] == "pledge" else "was transferred"
    assert all(refusal in r.text for r in responses if r.status_code == 409)


def test_ending_a_deal_twice_at_once_ends_it_once(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    patent = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    with live_app(settings, engine, clock, **PATIENT) as url:
        [made] = burst(url, [_deal(world, pledge(world, patent))])
        assert made.status_code == 201, made.text
        end_url = f"{API}/deals/{made.json()['id']}/end"
        body = {"ended_on": "2025-04-01", "reason": "loan repaid"}

        def end(client: httpx.Client) -> httpx.Response:
            return client.post(end_url, json=body, headers=world.admin.headers)

        responses = burst(url, [end] * 6)
    assert statuses(responses) == {200: 1, 409: 5}, [r.text for r in responses]
    with session_scope(engine) as s:
        released = s.exec(
            select(func.count()).where(AuditEvent.action == "deal.pledge_released")
        ).one()
    assert released == 1
