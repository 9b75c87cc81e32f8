"""Integers inside request bodies (issue 13) reached the database unbounded: an id of 2^63 was
a 500 on SQLite (`OverflowError`), one of 2^31 a 500 on PostgreSQL ("integer out of range").
Every integer of every JSON body is now bounded by its type (`pool.models.integers`): out of
range is a 422 naming the field and nothing is written. The OpenAPI document says so too, for
every integer a body may hold, so a new field cannot forget its bounds."""

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.conftest import World
from tests.pool.hostile.kit import MAX_ID, TOO_BIG, database_state
from tests.pool.reporting.kit import API, cover, deal, line
from tests.pool.test_problems import assert_problem

MAX_EXACT = 2**53 - 1  # the largest integer a JSON number (and a float bound) states exactly
OUT_OF_RANGE = (TOO_BIG, MAX_ID + 1, 10**40, 0, -1)
TERMS = {
    "terms_version": "v1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "0.50"}],
}


def _integers(
    schema: dict[str, Any], doc: dict[str, Any], where: str, seen: frozenset[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every integer schema under `schema`, with where it is (`.lines[].units`): through
    references (each once per path), unions, arrays, properties and maps."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            target = doc["components"]["schemas"][name]
            yield from _integers(target, doc, where, seen | {name})
        return
    kinds = schema.get("type")
    if kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds):
        yield where, schema
    for key in ("oneOf", "anyOf", "allOf"):
        for option in schema.get(key, []):
            yield from _integers(option, doc, where, seen)
    if isinstance(schema.get("items"), dict):
        yield from _integers(schema["items"], doc, f"{where}[]", seen)
    for name, prop in schema.get("properties", {}).items():
        yield from _integers(prop, doc, f"{where}.{name}", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _integers(schema["additionalProperties"], doc, f"{where}.*", seen)


def _body_integers(doc: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    found = {}
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            for media in (body or {}).get("content", {}).values():
                for where, schema in _integers(media.get("schema", {}), doc, "", frozenset()):
                    found[(method.upper(), path, where)] = schema
    return found


def test_every_integer_in_a_request_body_is_bounded_in_the_document(client: TestClient) -> None:
    doc = client.get("/schema/openapi.json").json()
    integers = _body_integers(doc)
    reached = {(path, where) for _, path, where in integers}
    for expected in (  # a reference, `| None`, a list, a nested list of references
        (f"{API}/pools/{{pool_id}}/memberships", ".organisation_id"),
        (f"{API}/pools/{{pool_id}}/patents", ".owner_organisation_id"),
        (f"{API}/agreements/{{agreement_id}}/products", ".patent_ids[]"),
        (f"{API}/agreements/{{agreement_id}}/reports", ".lines[].units"),
        (f"{API}/payment-notices/{{notice_id}}/confirm", ".amount_minor"),
        (f"{API}/me/tokens", ".expires_in_days"),
    ):
        assert expected in reached
    assert len(integers) > 20
    unbounded = {k: s for k, s in integers.items() if "minimum" not in s or "maximum" not in s}
    assert unbounded == {}
    wrong = {}
    for key, schema in integers.items():
        low, high = schema["minimum"], schema["maximum"]
        is_id = key[2].endswith(("_id", "_ids[]"))
        floor, ceiling = (1, MAX_ID) if is_id else (-MAX_EXACT, MAX_EXACT)
        fits = floor <= low <= high <= ceiling
        if not fits or float(high) != high or float(low) != low:
            wrong[key] = (low, high)
    assert wrong == {}


def test_every_body_the_api_reads_is_in_the_document(client: TestClient) -> None:
    """The walk above sees every body: each API handler that reads one documents it."""
    doc = client.get("/schema/openapi.json").json()
    reading = set()
    for route in client.app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith(API):
            continue
        for handler in route.route_handlers:
            if "data" in handler.parsed_fn_signature.parameters:
                path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
                reading |= {(m.lower(), path) for m in handler.http_methods}
    assert len(reading) > 25
    assert {(m, p) for m, p in reading if "requestBody" not in doc["paths"][p][m]} == set()


def _join(client: TestClient, world: World, organisation_id: object) -> Any:
    body = {"organisation_id": organisation_id, "joined_on": "2025-01-01", "agreement_version": "v"}
    url = f"{API}/pools/{world.pool_id}/memberships"
    return client.post(url, json=body, headers=world.admin.headers)


def _fields(response: Any) -> set[str]:
    return {e.get("field") for e in assert_problem(response, 422)["errors"]}


def test_a_membership_for_an_organisation_id_out_of_range_is_a_422_naming_it(
    client: TestClient, world: World, engine: Engine
) -> None:
    """The issue's case: 2^63 was a 500 on SQLite, 2^31 one on PostgreSQL."""
    before = database_state(engine)
    for value in OUT_OF_RANGE:
        assert _fields(_join(client, world, value)) == {"organisation_id"}, value
    assert database_state(engine) == before
    # inside the bounds, a missing organisation is refused as before, by the service
    missing = assert_problem(_join(client, world, MAX_ID), 422)
    assert missing["errors"] == [{"message": "no such organisation", "field": "organisation_id"}]
    assert database_state(engine) == before


def test_a_patent_owner_out_of_range_is_a_422_naming_it(
    client: TestClient, world: World, engine: Engine
) -> None:
    before = database_state(engine)
    for value in (TOO_BIG, MAX_ID + 1):
        r = client.post(
            f"{API}/pools/{world.pool_id}/patents",
            json={
                "number": "US1234567B2",
                "title": "Codec",
                "filing_date": "2015-01-01",
                "owner_organisation_id": value,
            },
            headers=world.admin.headers,
        )
        assert _fields(r) == {"owner_organisation_id"}
    assert database_state(engine) == before


def test_a_payment_names_both_its_licensee_and_its_amount_out_of_range(
    client: TestClient, world: World, engine: Engine
) -> None:
    """Before, the amount was bounded and the licensee's id was not (a 500 once it was read)."""
    before = database_state(engine)
    r = client.post(
        f"{API}/pools/{world.pool_id}/payments",
        json={
            "licensee_organisation_id": MAX_ID + 1,
            "reference": "BANK-1",
            "amount_minor": TOO_BIG,
            "currency": "USD",
            "received_on": "2025-06-01",
        },
        headers=world.admin.headers,
    )
    assert _fields(r) == {"licensee_organisation_id", "amount_minor"}
    assert database_state(engine) == before


@pytest.fixture
def products(engine: Engine, world: World) -> tuple[int, int]:
    """An agreement of the world's licensee, and its one registered product."""
    cover(engine, world, "CN", date(2020, 1, 1))
    made = deal(engine, world, royalty=TERMS)
    return made.agreement_id, made.products["mobile"]


def _bodies(world: World, agreement_id: int, product_id: int, big: int) -> list[Any]:
    """(caller, url, body, the field out of range) for every other body that holds an id."""
    org = world.licensee.organisation_id
    agreement = {
        "pool_id": world.pool_id,
        "licensee_organisation_id": org,
        "terms_id": 1,
        "territory": "worldwide",
        "product_categories": ["mobile"],
        "signed_on": "2025-01-01",
        "start_on": "2025-01-01",
        "end_on": "2026-01-01",
    }
    notice = {"reference": "TR-1", "amount_minor": 100, "paid_on": "2025-05-01"}
    return [
        ("admin", "/users", {
            "email": "new@example.org", "display_name": "New", "password": "p" * 12,
            "role": "licensee", "organisation_id": big,
        }, "organisation_id"),
        *(("admin", "/agreements", {**agreement, key: big}, key)
          for key in ("pool_id", "licensee_organisation_id", "terms_id")),
        ("admin", f"/pools/{world.pool_id}/offers", {
            "terms_id": big, "term_months": 12, "jurisdiction": "CN", "payment_method": "bank",
        }, "terms_id"),
        ("licensee", f"/agreements/{agreement_id}/products", {
            "name": "Phone", "model": "P2", "category": "mobile", "patent_ids": [big],
        }, "patent_ids.0"),
        ("licensee", f"/agreements/{agreement_id}/reports", {
            "period_start": "2025-01-01", "lines": [line(product_id, 1), line(big, 1)],
        }, "lines.1.product_id"),
        ("licensee", "/payment-notices", {**notice, "pool_id": big}, "pool_id"),
        ("licensee", "/payment-notices", {**notice, "invoice_id": big}, "invoice_id"),
    ]  # fmt: skip


def test_every_other_id_in_a_body_out_of_range_is_a_422_naming_it(
    client: TestClient, world: World, engine: Engine, products: tuple[int, int]
) -> None:
    before = database_state(engine)
    wrong = {}
    for big in (TOO_BIG, MAX_ID + 1):
        for caller, url, body, field in _bodies(world, *products, big):
            r = client.post(API + url, json=body, headers=world.callers[caller].headers)
            named = {e.get("field") for e in r.json().get("errors", [])}
            if r.status_code != 422 or named != {field}:
                wrong[(url, field, big)] = (r.status_code, r.text[:200])
    assert wrong == {}
    assert database_state(engine) == before
