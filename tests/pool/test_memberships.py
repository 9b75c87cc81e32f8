"""Membership of contributors in a pool: dated, one open at a time, history kept."""

from typing import Any

from litestar.testing import TestClient

from tests.pool.conftest import World


def memberships(
    client: TestClient, world: World, caller: str = "admin", query: str = ""
) -> list[dict[str, Any]]:
    r = client.get(
        f"/api/v1/pools/{world.pool_id}/memberships{query}", headers=world.callers[caller].headers
    )
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_withdraw_and_rejoin_keeps_the_history(client: TestClient, world: World) -> None:
    org = world.contributor.organisation_id
    first = next(m for m in memberships(client, world) if m["organisation_id"] == org)
    r = client.post(
        f"/api/v1/memberships/{first['id']}/withdraw",
        json={"withdrawn_on": "2025-03-31"},
        headers=world.admin.headers,
    )
    assert (r.status_code, r.json()["withdrawn_on"]) == (200, "2025-03-31")
    again = client.post(
        f"/api/v1/pools/{world.pool_id}/memberships",
        headers=world.admin.headers,
        json={"organisation_id": org, "joined_on": "2025-07-01", "agreement_version": "v2"},
    )
    assert again.status_code == 201
    mine = memberships(client, world, "contributor")
    assert [(m["joined_on"], m["withdrawn_on"]) for m in mine] == [
        ("2024-01-01", "2025-03-31"),
        ("2025-07-01", None),
    ]
    current = memberships(client, world, "contributor", "?current_only=true")
    assert [m["agreement_version"] for m in current] == ["v2"]


def test_one_open_membership_per_organisation(client: TestClient, world: World) -> None:
    r = client.post(
        f"/api/v1/pools/{world.pool_id}/memberships",
        headers=world.admin.headers,
        json={
            "organisation_id": world.contributor.organisation_id,
            "joined_on": "2025-01-01",
            "agreement_version": "v1",
        },
    )
    assert r.status_code == 409


def test_withdrawal_dates_are_checked_and_final(client: TestClient, world: World) -> None:
    mid = memberships(client, world, "contributor")[0]["id"]
    early = client.post(
        f"/api/v1/memberships/{mid}/withdraw",
        json={"withdrawn_on": "2023-12-31"},
        headers=world.contributor.headers,
    )
    assert (early.status_code, early.json()["errors"][0]["field"]) == (422, "withdrawn_on")
    ok = client.post(
        f"/api/v1/memberships/{mid}/withdraw",
        json={"withdrawn_on": "2025-01-01"},
        headers=world.contributor.headers,
    )
    assert ok.status_code == 200
    twice = client.post(
        f"/api/v1/memberships/{mid}/withdraw",
        json={"withdrawn_on": "2025-02-01"},
        headers=world.contributor.headers,
    )
    assert twice.status_code == 409


def test_unknown_organisation_or_pool(client: TestClient, world: World) -> None:
    r = client.post(
        f"/api/v1/pools/{world.pool_id}/memberships",
        headers=world.admin.headers,
        json={"organisation_id": 9999, "joined_on": "2025-01-01", "agreement_version": "v1"},
    )
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "organisation_id")
    missing = client.post(
        "/api/v1/pools/9999/memberships",
        headers=world.admin.headers,
        json={"organisation_id": 1, "joined_on": "2025-01-01", "agreement_version": "v1"},
    )
    assert missing.status_code == 404
