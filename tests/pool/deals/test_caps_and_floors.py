"""Caps and floors per membership, worked by hand on the distribution worked example
(tests/pool/distribution/test_worked_example.py): Q1 2025 usage, 1,000.00 received in Q2, fee
10 %, distributable 90,000; uncapped, Uni A gets 45,008 and Lab B 44,992.

Cap. Uni A capped at 20 % from 1 January: its cap is 20 % of 90,000 = 18,000, and the rest,
72,000, goes to Lab B. Withholding 10 %: 1,800 and 7,200; nets 16,200 and 64,800.
Floor. Lab B given a floor of 60 %: 54,000 (above its 44,992), Uni A the remaining 36,000.
A bound dated after the usage period's first day does not apply to it."""

from datetime import UTC, datetime
from typing import Any

from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.membership import Membership
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.web.conftest import sign_in

API = "/api/v1"


def membership(engine: Engine, world: World, who: str) -> int:
    with session_scope(engine) as s:
        found = s.exec(
            select(Membership.id).where(
                Membership.organisation_id == world.callers[who].organisation_id
            )
        ).one()
        assert found is not None
        return found


def bound(client: TestClient, world: World, member: int, **body: Any) -> Response:
    url = f"{API}/memberships/{member}/bounds"
    return client.post(url, json=body, headers=world.admin.headers)


def q2(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> None:
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)


def test_a_contributor_capped_at_20_percent_gets_exactly_its_cap(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    q2(client, engine, world, clock)
    uni = membership(engine, world, "contributor")
    r = bound(client, world, uni, kind="cap", share="0.20", effective_from="2025-01-01")
    assert r.status_code == 201, r.text
    assert (r.json()["kind"], r.json()["share"]) == ("cap", "0.2")
    run = kit.close(client, world, "2025-04-01")
    assert kit.by_contributor(run, world) == {
        "contributor": (18_000, 0, 1_800, 16_200),
        "other_contributor": (72_000, 0, 7_200, 64_800),
    }
    period = run["usage_periods"][0]
    assert period["bounds_applied"] == {str(world.contributor.organisation_id): "cap"}
    sign_in(client, "admin@example.org")  # the run's page says which bound held
    html = client.get(f"/admin/runs/{run['id']}").text
    assert "Uni A: held at its cap" in html
    listed = client.get(f"{API}/memberships/{uni}/bounds", headers=world.contributor.headers)
    assert [(b["kind"], b["share"]) for b in listed.json()["items"]] == [("cap", "0.2")]


def test_a_floor_raises_a_contributor_and_the_other_gets_the_rest(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    q2(client, engine, world, clock)
    lab = membership(engine, world, "other_contributor")
    assert (
        bound(
            client, world, lab, kind="floor", share="0.6", effective_from="2025-01-01"
        ).status_code
        == 201
    )
    run = kit.close(client, world, "2025-04-01")
    gross = {who: amounts[0] for who, amounts in kit.by_contributor(run, world).items()}
    assert gross == {"contributor": 36_000, "other_contributor": 54_000}
    assert run["usage_periods"][0]["bounds_applied"] == {
        str(world.other_contributor.organisation_id): "floor"
    }


def test_a_bound_from_after_the_usage_period_started_does_not_apply(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    q2(client, engine, world, clock)
    uni = membership(engine, world, "contributor")
    assert (
        bound(client, world, uni, kind="cap", share="0.2", effective_from="2025-01-02").status_code
        == 201
    )
    run = kit.close(client, world, "2025-04-01")
    gross = {who: amounts[0] for who, amounts in kit.by_contributor(run, world).items()}
    assert gross == {"contributor": 45_008, "other_contributor": 44_992}
    assert run["usage_periods"][0]["bounds_applied"] is None


def test_impossible_bounds_are_refused_when_set_or_when_the_money_is_split(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    q2(client, engine, world, clock)
    uni, lab = (
        membership(engine, world, "contributor"),
        membership(engine, world, "other_contributor"),
    )
    assert (
        bound(client, world, uni, kind="cap", share="0.3", effective_from="2025-01-01").status_code
        == 201
    )
    above_cap = bound(client, world, uni, kind="floor", share="0.4", effective_from="2025-01-01")
    assert above_cap.status_code == 422, above_cap.text
    assert "above the member's cap" in above_cap.text
    assert (
        bound(
            client, world, lab, kind="floor", share="0.75", effective_from="2025-01-01"
        ).status_code
        == 201
    )
    too_much = bound(client, world, uni, kind="floor", share="0.3", effective_from="2025-03-01")
    assert too_much.status_code == 422, too_much.text
    assert "more than the whole" in too_much.text
    for bad in ("0", "1.5", "0.12345"):
        r = bound(client, world, uni, kind="cap", share=bad, effective_from="2025-01-01")
        assert r.status_code == 422, (bad, r.text)
    assert (
        bound(client, world, lab, kind="floor", share=None, effective_from="2025-01-01").status_code
        == 201
    )
    assert (
        bound(client, world, lab, kind="cap", share="0.3", effective_from="2025-01-01").status_code
        == 201
    )
    refused = client.post(
        f"{API}/pools/{world.pool_id}/distribution-runs",
        json={"period_start": "2025-04-01"},
        headers=world.admin.headers,
    )
    assert refused.status_code == 409, refused.text
    assert "caps and floors" in refused.json()["detail"]
    listed = client.get(
        f"{API}/pools/{world.pool_id}/distribution-runs", headers=world.admin.headers
    )
    assert listed.json()["total"] == 0
