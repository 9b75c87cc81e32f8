"""Errors provoked over HTTP are what the document says: each status is documented for its
operation, with its media type, and the body validates against the documented schema (which
here may carry no member the document does not name)."""

import re
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.admission import AdmissionGate
from pool.db import session_scope
from pool.errors import Overloaded
from tests.pool.api_contract.contract import API, METHODS, PROBLEM_REF, Document, check, load
from tests.pool.api_contract.contract import validator as validator_for
from tests.pool.billing import kit
from tests.pool.conftest import PASSWORD, World
from tests.pool.test_patents import GOOD

POOLS = f"{API}/pools"
POOL = f"{API}/pools/{{pool_id}}"
LOGIN = f"{API}/auth/login"
IMPORT = f"{API}/pools/{{pool_id}}/patents/import"
CSV = "number,title,filing_date,grant_date,expiry_date,standard_sections\n"
NEW_POOL = {"name": "P2", "technology_field": "ict_manufacturing", "currency": "USD"}


@pytest.fixture
def document(client: TestClient) -> Document:
    return load(client)


def login(client: TestClient, password: str) -> Any:
    return client.post(LOGIN, json={"email": "uni@example.org", "password": password})


def test_401_without_a_token_and_for_a_wrong_password(
    client: TestClient, document: Document, world: World
) -> None:
    refused = client.get(f"{API}/me")
    assert check(document, "GET", f"{API}/me", refused)["status"] == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    body = check(document, "POST", LOGIN, login(client, "wrong password!"))
    assert body["status"] == 401
    signed_in = login(client, PASSWORD)
    assert check(document, "POST", LOGIN, signed_in)["user"]["email"] == "uni@example.org"


def test_429_after_repeated_failures(client: TestClient, document: Document, world: World) -> None:
    answers = [login(client, "guess") for _ in range(6)]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    assert check(document, "POST", LOGIN, answers[-1])["status"] == 429
    assert int(answers[-1].headers["retry-after"]) > 0


def test_403_for_a_role_refused(client: TestClient, document: Document, world: World) -> None:
    refused = client.post(POOLS, json=NEW_POOL, headers=world.auditor.headers)
    assert check(document, "POST", POOLS, refused)["status"] == 403


@pytest.mark.parametrize("pool_id", [987_654, 2**40])  # missing, and beyond any id
def test_404_for_a_missing_id(
    client: TestClient, document: Document, world: World, pool_id: int
) -> None:
    missing = client.get(f"{POOLS}/{pool_id}", headers=world.admin.headers)
    assert check(document, "GET", POOL, missing)["status"] == 404


def test_409_for_a_conflict(client: TestClient, document: Document, world: World) -> None:
    url = f"{POOLS}/{world.pool_id}/patents"
    assert client.post(url, json=GOOD, headers=world.contributor.headers).status_code == 201
    again = client.post(url, json=GOOD, headers=world.contributor.headers)
    assert check(document, "POST", f"{POOL}/patents", again)["status"] == 409


def test_413_for_a_body_too_large(client: TestClient, document: Document, world: World) -> None:
    big = {**NEW_POOL, "name": "x" * 6_000_000}
    refused = client.post(POOLS, json=big, headers=world.admin.headers)
    assert check(document, "POST", POOLS, refused)["status"] == 413


def test_422_names_the_field_the_parameter_or_the_csv_line_and_column(
    client: TestClient, document: Document, world: World
) -> None:
    body = check(document, "POST", POOLS, client.post(POOLS, json={}, headers=world.admin.headers))
    assert {"name", "currency"} <= {e["field"] for e in body["errors"]}
    query = client.get(POOLS, params={"limit": 0}, headers=world.admin.headers)
    assert [e["field"] for e in check(document, "GET", POOLS, query)["errors"]] == ["limit"]
    upload = client.post(
        f"{POOLS}/{world.pool_id}/patents/import",
        content=(CSV + "US10123456B2,Bad date,2016-13-01,,,\n").encode(),
        headers={**world.contributor.headers, "Content-Type": "text/csv"},
    )
    faults = check(document, "POST", IMPORT, upload)["errors"]
    assert [(e["line"], e["column"]) for e in faults] == [(2, "filing_date")]


@pytest.mark.parametrize("body", [b"{not json", b"[" * 100 + b"]" * 100])
def test_400_for_a_body_that_cannot_be_read(
    client: TestClient, document: Document, body: bytes
) -> None:
    refused = client.post(LOGIN, content=body, headers={"Content-Type": "application/json"})
    assert check(document, "POST", LOGIN, refused)["status"] == 400


def test_503_when_no_database_slot_is_free(
    client: TestClient, document: Document, world: World
) -> None:
    class Full(AdmissionGate):
        async def enter(self) -> None:
            raise Overloaded("the service is at capacity; try again shortly")

    full = Full(1, max_wait=0.1, max_queue=0, saturated_after=1)
    client.app.state.gate = full  # the next test gets a state of its own
    refused = client.get(POOL.format(pool_id=world.pool_id), headers=world.admin.headers)
    assert check(document, "GET", POOL, refused)["status"] == 503
    assert refused.headers["retry-after"] == "1"


def test_405_and_options_on_every_documented_path_list_its_methods(
    client: TestClient, document: Document
) -> None:
    problem = validator_for(document, {"$ref": PROBLEM_REF})
    for path, item in document["paths"].items():
        documented = {m.upper() for m in METHODS if m in item}
        allow = ", ".join(sorted(documented | {"OPTIONS"}))
        other = next(m for m in ("DELETE", "PUT", "PATCH", "POST") if m not in documented)
        url = re.sub(r"\{\w+\}", "1", path)
        refused = client.request(other, url)
        assert refused.status_code == 405, (other, path)
        assert refused.headers["allow"] == allow, path
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem.validate(refused.json())
        assert client.options(url).headers["allow"] == allow, path  # Litestar 2 said less


def test_405_and_options_on_a_page_list_its_methods_too(client: TestClient) -> None:
    refused = client.delete("/login")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, OPTIONS, POST"
    assert client.options("/login").headers["allow"] == "GET, OPTIONS, POST"


def test_the_instance_is_a_uri_reference_whatever_the_path(
    client: TestClient, document: Document
) -> None:
    body = client.get(f"{API}/nothing/é%20x%01").json()
    validator_for(document, {"$ref": PROBLEM_REF}).validate(body)
    assert body["instance"] == f"{API}/nothing/%C3%A9%20x%01"
    assert re.fullmatch(r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]+", body["instance"])


def test_overdue_invoices_are_a_page(
    client: TestClient, document: Document, engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        for number, due in (("Q1", date(2025, 5, 1)), ("Q2", date(2025, 8, 1))):
            kit.invoice(
                s,
                agreement_id=deal,
                number=number,
                usage=(date(2025, 1, 1), date(2025, 4, 1)),
                issued_on=date(2025, 4, 1),
                parts=[(due, 100_00)],
            )
    url = f"{API}/invoices/overdue"
    params = {"as_of": "2025-09-01", "limit": 1, "offset": 1}
    page = check(document, "GET", url, client.get(url, params=params, headers=world.admin.headers))
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 1)
    assert [o["number"] for o in page["items"]] == ["Q2"]
