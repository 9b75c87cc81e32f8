"""Builders for licensing tests: terms, accepted patents, agreements and offers, via the API."""

from typing import Any

from httpx import Response
from litestar.testing import TestClient

from tests.pool.conftest import World

API = "/api/v1"

TERMS: dict[str, Any] = {
    "terms_version": "2025-1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {
            "category": "mobile",
            "tiers": [{"from_units": 0, "rate": "0.50"}, {"from_units": 200000, "rate": "0.30"}],
        },
        {"category": "TV", "rate": "1.00", "annual_cap_minor": 2000000},
        {"category": "PC", "basis": "percent_of_net_sales", "percent": "3.5"},
    ],
    "free_units_per_year": 100000,
    "entry_fee_minor": 500000,
}
PAYMENT: dict[str, Any] = {"net_days": 30, "grace": {"months": 6}}


def ok(response: Response) -> Any:
    assert response.is_success, response.text
    return response.json()


def add_terms(client: TestClient, world: World, **overrides: Any) -> dict[str, Any]:
    body = {"royalty_terms": {**TERMS, **overrides}, "payment_terms": PAYMENT}
    url = f"{API}/pools/{world.pool_id}/terms"
    return ok(client.post(url, json=body, headers=world.admin.headers))  # type: ignore[no-any-return]


def accepted_patent(client: TestClient, world: World, number: str = "US10123456B2") -> int:
    body = {
        "number": number,
        "title": f"Video coding {number}",
        "filing_date": "2019-01-15",
        "grant_date": "2021-03-02",
        "expiry_date": "2039-01-15",
    }
    url = f"{API}/pools/{world.pool_id}/patents"
    patent_id = ok(client.post(url, json=body, headers=world.contributor.headers))["id"]
    ok(client.post(f"{API}/patents/{patent_id}/evaluation", headers=world.admin.headers))
    ok(
        client.post(
            f"{API}/patents/{patent_id}/accept",
            json={"admitted_on": "2024-06-01"},
            headers=world.admin.headers,
        )
    )
    return int(patent_id)


def agreement_body(world: World, terms_id: int, **overrides: Any) -> dict[str, Any]:
    return {
        "pool_id": world.pool_id,
        "licensee_organisation_id": world.licensee.organisation_id,
        "terms_id": terms_id,
        "licence_type": "ordinary",
        "territory": ["US", "CN"],
        "product_categories": ["mobile", "TV"],
        "signed_on": "2025-01-10",
        "start_on": "2025-01-10",
        "end_on": "2030-01-10",
        **overrides,
    }


def draft(client: TestClient, world: World, terms_id: int, **overrides: Any) -> dict[str, Any]:
    body = agreement_body(world, terms_id, **overrides)
    return ok(client.post(f"{API}/agreements", json=body, headers=world.admin.headers))  # type: ignore[no-any-return]


def move(client: TestClient, world: World, agreement_id: int, to: str, on: str) -> Response:
    return client.post(
        f"{API}/agreements/{agreement_id}/transitions",
        json={"to": to, "on": on},
        headers=world.admin.headers,
    )


def active(client: TestClient, world: World, terms_id: int, **overrides: Any) -> dict[str, Any]:
    agreement = draft(client, world, terms_id, **overrides)
    return ok(move(client, world, agreement["id"], "active", agreement["start_on"]))  # type: ignore[no-any-return]


def publish(client: TestClient, world: World, terms_id: int, **overrides: Any) -> Response:
    body = {
        "terms_id": terms_id,
        "term_months": 36,
        "jurisdiction": "US",
        "payment_method": "bank transfer in USD within 30 days",
        **overrides,
    }
    url = f"{API}/pools/{world.pool_id}/offers"
    return client.post(url, json=body, headers=world.admin.headers)


def field_errors(response: Response) -> set[str]:
    return {error.get("field", "") for error in response.json().get("errors", [])}
