"""Patent-product filing: products on one's own active agreement, with a filing code."""

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.pool.conftest import World
from tests.pool.licensing.helpers import (
    API,
    accepted_patent,
    active,
    add_terms,
    draft,
    field_errors,
    ok,
)


def register(client: TestClient, world: World, agreement_id: int, **overrides: Any):  # type: ignore[no-untyped-def]
    body = {"name": "Phone X", "model": "X-1", "category": "mobile", **overrides}
    url = f"{API}/agreements/{agreement_id}/products"
    return client.post(url, json=body, headers=world.licensee.headers)


def test_filing_codes_count_the_pools_products_of_the_year(
    client: TestClient, world: World
) -> None:
    patent = accepted_patent(client, world)
    agreement = active(client, world, add_terms(client, world)["id"])
    codes = [
        ok(register(client, world, agreement["id"], model=model, patent_ids=[patent, patent]))
        for model in ("X-1", "X-2")
    ]
    pool = world.pool_id
    assert [p["filing_code"] for p in codes] == [f"PF-{pool}-2025-00001", f"PF-{pool}-2025-00002"]
    assert codes[0]["patent_ids"] == [patent]
    assert codes[0]["registered_on"] == "2025-06-02"
    listed = ok(client.get(f"{API}/products", headers=world.licensee.headers))
    assert [p["id"] for p in listed["items"]] == [p["id"] for p in codes]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "PC"}, "category"),
        ({"patent_ids": [987654]}, "patent_ids"),
        ({"patent_ids": []}, "patent_ids"),
        ({"name": ""}, "name"),
    ],
    ids=["category-not-licensed", "unknown-patent", "no-patent", "empty-name"],
)
def test_bad_products_name_the_field(
    client: TestClient, world: World, overrides: dict[str, Any], field: str
) -> None:
    patent = accepted_patent(client, world)
    agreement = active(client, world, add_terms(client, world)["id"])
    r = register(client, world, agreement["id"], **{"patent_ids": [patent], **overrides})
    assert r.status_code in (400, 422), r.text
    assert field in field_errors(r)


def test_a_submitted_patent_cannot_be_linked(client: TestClient, world: World) -> None:
    body = {"number": "US9876543B1", "title": "t", "filing_date": "2019-01-15"}
    url = f"{API}/pools/{world.pool_id}/patents"
    submitted = ok(client.post(url, json=body, headers=world.contributor.headers))["id"]
    agreement = active(client, world, add_terms(client, world)["id"])
    r = register(client, world, agreement["id"], patent_ids=[submitted])
    assert (r.status_code, field_errors(r)) == (422, {"patent_ids"})


def test_products_need_an_active_agreement_and_a_unique_model(
    client: TestClient, world: World
) -> None:
    patent = accepted_patent(client, world)
    terms_id = add_terms(client, world)["id"]
    pending = draft(client, world, terms_id)
    assert register(client, world, pending["id"], patent_ids=[patent]).status_code == 409
    agreement = active(client, world, terms_id)
    ok(register(client, world, agreement["id"], patent_ids=[patent]))
    assert register(client, world, agreement["id"], patent_ids=[patent]).status_code == 409


def test_products_of_another_licensee_do_not_exist_for_you(
    client: TestClient, world: World
) -> None:
    patent = accepted_patent(client, world)
    agreement = active(client, world, add_terms(client, world)["id"])
    product = ok(register(client, world, agreement["id"], patent_ids=[patent]))
    other = world.other_licensee.headers
    assert client.get(f"{API}/products/{product['id']}", headers=other).status_code == 404
    assert ok(client.get(f"{API}/products", headers=other))["total"] == 0
    r = client.post(
        f"{API}/agreements/{agreement['id']}/products",
        json={"name": "n", "model": "m", "category": "mobile", "patent_ids": [patent]},
        headers=other,
    )
    assert r.status_code == 404
    staff = ok(client.get(f"{API}/products", headers=world.auditor.headers))
    assert staff["total"] == 1
