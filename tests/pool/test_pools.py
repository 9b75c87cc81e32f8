"""Pools: currency, fee rate, allocation formula (validated by allocation/), status."""

from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient

from tests.pool.conftest import World

POOL = {
    "name": "AVS3 pool",
    "technology_field": "ict_manufacturing",
    "currency": "cny",
    "admin_fee_rate": "0.10",
    "allocation_method": "tiered",
    "allocation_parameters": {"tier_shares": {"1": "0.50", "2": "0.35", "3": "0.15"}},
    "reporting_cadence": "semiannual",
}


def create(client: TestClient, world: World, **overrides: Any) -> Response:
    return client.post("/api/v1/pools", json={**POOL, **overrides}, headers=world.admin.headers)


def test_create_a_tiered_pool(client: TestClient, world: World) -> None:
    r = create(client, world)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["currency"], body["status"], body["admin_fee_rate"]) == ("CNY", "draft", "0.10")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"admin_fee_rate": "-0.01"}, "admin_fee_rate"),
        ({"admin_fee_rate": "1"}, "admin_fee_rate"),
        ({"allocation_method": "lottery"}, "allocation_method"),
        (
            {"allocation_parameters": {"tier_shares": {"1": "0.50", "2": "0.35"}}},
            "allocation_parameters",
        ),
        (
            {
                "allocation_method": "grade_weighted",
                "allocation_parameters": {"grade_points": {"A": "-1"}},
            },
            "allocation_parameters",
        ),
        ({"technology_field": "astrology"}, "technology_field"),
    ],
    ids=[
        "unknown-currency",
        "negative-fee",
        "fee-of-100-percent",
        "unknown-method",
        "tier-shares-not-summing-to-one",
        "negative-grade-points",
        "unknown-field",
    ],
)
def test_bad_pools_are_refused_naming_the_field(
    client: TestClient, world: World, overrides: dict[str, Any], field: str
) -> None:
    r = create(client, world, **overrides)
    assert r.status_code == 422, r.text
    assert any((e.get("field") or "").startswith(field) for e in r.json()["errors"]), r.json()


def test_names_are_unique(client: TestClient, world: World) -> None:
    assert create(client, world).status_code == 201
    assert create(client, world, currency="USD").status_code == 409


def test_status_moves_forward_only(client: TestClient, world: World) -> None:
    pid = create(client, world).json()["id"]

    def move(status: str) -> int:
        r = client.patch(
            f"/api/v1/pools/{pid}", json={"status": status}, headers=world.admin.headers
        )
        return r.status_code

    assert move("open") == 200
    assert move("draft") == 409
    assert move("closed") == 200
    assert move("open") == 409


def test_currency_cannot_change(client: TestClient, world: World) -> None:
    pid = create(client, world).json()["id"]
    client.patch(f"/api/v1/pools/{pid}", json={"currency": "USD"}, headers=world.admin.headers)
    assert (
        client.get(f"/api/v1/pools/{pid}", headers=world.admin.headers).json()["currency"] == "CNY"
    )


def test_draft_pools_are_not_public(client: TestClient, world: World) -> None:
    pid = create(client, world).json()["id"]
    assert client.get(f"/api/v1/public/pools/{pid}/patents").status_code == 404
    public = client.get("/api/v1/public/pools").json()
    assert [p["name"] for p in public["items"]] == ["Test pool"]


def test_closed_pools_take_no_new_patents(client: TestClient, world: World) -> None:
    client.patch(
        f"/api/v1/pools/{world.pool_id}", json={"status": "closed"}, headers=world.admin.headers
    )
    r = client.post(
        f"/api/v1/pools/{world.pool_id}/patents",
        headers=world.contributor.headers,
        json={"number": "US10123456B2", "title": "x", "filing_date": "2016-01-04"},
    )
    assert r.status_code == 409
