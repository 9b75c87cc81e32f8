"""`null` in a PATCH body (issue 13): `{"withholding_rate": null}` and the like reached the
services as values and answered 500. Every PATCH field now either clears on `null` (a field
that may be empty; the change is audited as any other) or refuses it with a 422 naming the
field, and says which in its OpenAPI description."""

from typing import Any

import pytest
from litestar.testing import TestClient
from pydantic import BaseModel
from sqlalchemy import Engine

import pool.models.organisation
import pool.models.patent
import pool.models.pool
from tests.pool.conftest import World
from tests.pool.hostile.kit import database_state
from tests.pool.test_patents import submit
from tests.pool.test_problems import assert_problem

API = "/api/v1"
MODELS = (pool.models.pool, pool.models.organisation, pool.models.patent)
UPDATES = {  # each PATCH body and the path it is sent to
    "PoolUpdate": "/pools/{pool}",
    "OrganisationUpdate": "/organisations/{org}",
    "PatentUpdate": "/patents/{patent}",
}
CLEARABLE = {
    "PoolUpdate": {"standard"},
    "OrganisationUpdate": {"size_class", "uscc"},
    "PatentUpdate": {"family_id", "grant_date", "expiry_date"},
}


def _update_models() -> dict[str, type[BaseModel]]:
    return {
        name: model
        for module in MODELS
        for name, model in vars(module).items()
        if name.endswith("Update") and isinstance(model, type) and issubclass(model, BaseModel)
    }


def _admits_null(schema: dict[str, Any]) -> bool:
    return any(option.get("type") == "null" for option in schema.get("oneOf", []))


def _ids(client: TestClient, world: World) -> dict[str, int]:
    r = submit(client, world, family_id="F-1")
    assert r.status_code == 201, r.text
    return {
        "pool": world.pool_id,
        "org": world.licensee.organisation_id or 0,
        "patent": r.json()["id"],
    }


def _headers(model: str, world: World) -> dict[str, str]:
    return (world.contributor if model == "PatentUpdate" else world.admin).headers


def test_every_patch_body_is_known_and_says_what_null_does(client: TestClient) -> None:
    assert set(_update_models()) == set(UPDATES)
    schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]
    for name, model in _update_models().items():
        fields = schemas[name]["properties"]
        assert set(fields) == set(model.model_fields)
        clears = {f for f, schema in fields.items() if _admits_null(schema)}
        assert clears == CLEARABLE[name], name
        for field, schema in fields.items():
            said = "null clears it" if field in clears else "null is refused (422)"
            assert said in schema["description"], (name, field)


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("OrganisationUpdate", "withholding_rate"),
        ("PoolUpdate", "admin_fee_rate"),
        ("PoolUpdate", "allocation_parameters"),
    ],
)
def test_the_nulls_in_the_issue_are_422_naming_the_field(
    client: TestClient, world: World, engine: Engine, model: str, field: str
) -> None:
    ids = _ids(client, world)
    before = database_state(engine)
    r = client.patch(
        API + UPDATES[model].format(**ids), json={field: None}, headers=_headers(model, world)
    )
    body = assert_problem(r, 422)
    assert [e["field"] for e in body["errors"]] == [field]
    assert "may not be null" in body["errors"][0]["message"]
    assert database_state(engine) == before


def test_every_field_that_may_not_be_empty_refuses_null(
    client: TestClient, world: World, engine: Engine
) -> None:
    ids = _ids(client, world)
    before = database_state(engine)
    refused = [
        (name, field)
        for name, model in _update_models().items()
        for field in model.model_fields
        if field not in CLEARABLE[name]
    ]
    # PoolUpdate.requires_independent_evaluation and evaluation_fee_minor (issue 19) too
    assert len(refused) == 16
    for name, field in refused:
        url = API + UPDATES[name].format(**ids)
        body = assert_problem(
            client.patch(url, json={field: None}, headers=_headers(name, world)), 422
        )
        assert [e["field"] for e in body["errors"]] == [field], (name, body)
    # several at once: every one is named
    body = assert_problem(
        client.patch(
            API + UPDATES["PoolUpdate"].format(**ids),
            json={"name": None, "status": None, "standard": None},
            headers=world.admin.headers,
        ),
        422,
    )
    assert sorted(e["field"] for e in body["errors"]) == ["name", "status"]
    assert database_state(engine) == before


def _audited(client: TestClient, world: World, entity_type: str, entity_id: int) -> dict[str, Any]:
    r = client.get(
        f"{API}/audit?entity_type={entity_type}&entity_id={entity_id}&limit=500",
        headers=world.admin.headers,
    )
    assert r.status_code == 200, r.text
    return dict(r.json()["items"][0])  # newest first


def test_null_clears_a_pool_standard_and_is_audited(client: TestClient, world: World) -> None:
    url = f"{API}/pools/{world.pool_id}"
    r = client.patch(url, json={"standard": "ETSI TS 38.211"}, headers=world.admin.headers)
    assert r.status_code == 200, r.text
    r = client.patch(url, json={"standard": None}, headers=world.admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["standard"] is None
    assert client.get(url, headers=world.admin.headers).json()["standard"] is None
    event = _audited(client, world, "pool", world.pool_id)
    assert event["action"] == "pool.updated"
    assert event["before"]["standard"] == "ETSI TS 38.211"
    assert event["after"]["standard"] is None


def test_null_clears_a_size_class_and_a_credit_code(client: TestClient, world: World) -> None:
    org = world.licensee.organisation_id
    r = client.patch(
        f"{API}/organisations/{org}", json={"size_class": None}, headers=world.admin.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["size_class"] is None
    event = _audited(client, world, "organisation", org or 0)
    assert (event["before"]["size_class"], event["after"]["size_class"]) == ("small", None)

    person = client.post(
        f"{API}/organisations",
        json={
            "name": "Li Wei",
            "kind": "individual",
            "country": "CN",
            "uscc": "91350100M000100Y43",
        },
        headers=world.admin.headers,
    )
    assert person.status_code == 201, person.text
    url = f"{API}/organisations/{person.json()['id']}"
    r = client.patch(url, json={"uscc": None}, headers=world.admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["uscc"] is None


def test_null_clears_a_patent_family_and_its_dates(client: TestClient, world: World) -> None:
    patent = _ids(client, world)["patent"]
    r = client.patch(
        f"{API}/patents/{patent}",
        json={"family_id": None, "grant_date": None, "expiry_date": None},
        headers=world.contributor.headers,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["family_id"], r.json()["grant_date"], r.json()["expiry_date"]) == (None,) * 3
    event = _audited(client, world, "patent", patent)
    assert event["before"]["family_id"] == "F-1"
    assert event["after"]["family_id"] is None


def test_a_field_left_out_keeps_its_value(client: TestClient, world: World) -> None:
    url = f"{API}/organisations/{world.licensee.organisation_id}"
    before = client.get(url, headers=world.admin.headers).json()
    r = client.patch(url, json={"name": "SME L Ltd"}, headers=world.admin.headers)
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["name"] == "SME L Ltd"
    assert {k: v for k, v in after.items() if k != "name"} == {
        k: v for k, v in before.items() if k != "name"
    }
