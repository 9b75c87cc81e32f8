"""Terms versions: canonical, hashed, immutable, in the pool currency; public when signed in."""

from typing import Any

import pytest
from litestar.testing import TestClient

import contracts
from tests.pool.conftest import World
from tests.pool.licensing.helpers import API, PAYMENT, TERMS, add_terms, field_errors


def test_terms_are_stored_canonical_with_the_hash_of_the_royalty_terms(
    client: TestClient, world: World
) -> None:
    spelled = {**TERMS, "categories": [{"category": "TV", "rate": "1.000"}]}
    created = add_terms(client, world, categories=spelled["categories"])
    assert created["version"] == "2025-1"
    assert created["royalty_terms"]["categories"][0]["rate"] == "1"
    assert created["sha256"] == contracts.parse_terms(spelled).sha256()
    assert created["payment_terms"]["grace"] == {"months": 6, "days": 0}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"currency": "CNY"}, "royalty_terms.currency"),
        ({"minor_unit_exponent": 3}, "royalty_terms.minor_unit_exponent"),
        ({"categories": [{"category": "TV", "rate": 0.5}]}, "royalty_terms.categories[0].rate"),
        ({"free_units_per_year": -1}, "royalty_terms.free_units_per_year"),
    ],
    ids=["other-currency", "wrong-exponent", "float-rate", "negative-allowance"],
)
def test_bad_terms_name_the_field(
    client: TestClient, world: World, overrides: dict[str, Any], field: str
) -> None:
    body = {"royalty_terms": {**TERMS, **overrides}, "payment_terms": PAYMENT}
    r = client.post(f"{API}/pools/{world.pool_id}/terms", json=body, headers=world.admin.headers)
    assert r.status_code == 422, r.text
    assert field in field_errors(r)


def test_every_bad_field_of_both_parts_is_reported(client: TestClient, world: World) -> None:
    body = {
        "royalty_terms": {**TERMS, "categories": [{"category": "TV", "rate": 0.5}]},
        "payment_terms": {"net_days": -3},
    }
    r = client.post(f"{API}/pools/{world.pool_id}/terms", json=body, headers=world.admin.headers)
    assert r.status_code == 422
    assert field_errors(r) == {"royalty_terms.categories[0].rate", "payment_terms.net_days"}


def test_a_version_exists_once_per_pool(client: TestClient, world: World) -> None:
    add_terms(client, world)
    body = {"royalty_terms": TERMS, "payment_terms": PAYMENT}
    r = client.post(f"{API}/pools/{world.pool_id}/terms", json=body, headers=world.admin.headers)
    assert r.status_code == 409


def test_licensees_read_the_published_fee_standard(client: TestClient, world: World) -> None:
    created = add_terms(client, world)
    listed = client.get(f"{API}/pools/{world.pool_id}/terms", headers=world.licensee.headers)
    assert [t["sha256"] for t in listed.json()["items"]] == [created["sha256"]]
    one = client.get(
        f"{API}/pools/{world.pool_id}/terms/{created['id']}", headers=world.licensee.headers
    )
    assert one.json()["royalty_terms"]["categories"][0]["category"] == "mobile"
