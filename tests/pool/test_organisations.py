"""Organisations, their credit codes, size classes and tax profiles."""

from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient

from tests.pool.conftest import World

UNIVERSITY = {
    "name": "北京示例大学",
    "kind": "university",
    "country": "CN",
    "uscc": "1211000040000123XG",
    "tax_resident": True,
    "withholding_rate": "0",
}


def create(client: TestClient, world: World, **body: Any) -> Response:
    return client.post("/api/v1/organisations", json=body, headers=world.admin.headers)


def test_a_chinese_university_with_a_valid_credit_code(client: TestClient, world: World) -> None:
    r = create(client, world, **{**UNIVERSITY, "uscc": " 1211000040000123xg "})
    assert r.status_code == 201, r.text
    assert (r.json()["uscc"], r.json()["name"]) == ("1211000040000123XG", "北京示例大学")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**UNIVERSITY, "uscc": "1211000040000123XH"}, "uscc"),
        ({**UNIVERSITY, "uscc": "12110000400001"}, "uscc"),
        ({**UNIVERSITY, "uscc": None}, "uscc"),
        ({**UNIVERSITY, "country": "US"}, "uscc"),
        ({**UNIVERSITY, "size_class": "small"}, "size_class"),
        ({**UNIVERSITY, "country": "XX"}, "country"),
        ({**UNIVERSITY, "withholding_rate": "1.2"}, "withholding_rate"),
        ({**UNIVERSITY, "kind": "charity"}, "kind"),
        ({**UNIVERSITY, "name": ""}, "name"),
    ],
    ids=[
        "wrong-check-char",
        "too-short",
        "missing-for-cn",
        "uscc-outside-cn",
        "university-with-size",
        "unknown-country",
        "rate-above-one",
        "unknown-kind",
        "empty-name",
    ],
)
def test_bad_organisations_are_refused_naming_the_field(
    client: TestClient, world: World, body: dict[str, Any], field: str
) -> None:
    r = create(client, world, **body)
    assert r.status_code == 422, r.text
    assert any(field in (e.get("field") or "") for e in r.json()["errors"]), r.json()


def test_credit_codes_are_unique(client: TestClient, world: World) -> None:
    assert create(client, world, **UNIVERSITY).status_code == 201
    assert create(client, world, **{**UNIVERSITY, "name": "Copy"}).status_code == 409


def test_an_sme_licensee_with_its_size_class(client: TestClient, world: World) -> None:
    r = create(
        client,
        world,
        name="Maker",
        kind="private_company",
        size_class="micro",
        country="CN",
        uscc="91110105MA02DEF2XY",
    )
    assert (r.status_code, r.json()["size_class"]) == (201, "micro")


def test_updating_the_tax_profile_is_audited(client: TestClient, world: World) -> None:
    org = world.contributor.organisation_id
    r = client.patch(
        f"/api/v1/organisations/{org}",
        json={"tax_resident": False, "withholding_rate": "0.10"},
        headers=world.admin.headers,
    )
    assert r.status_code == 200
    assert (r.json()["tax_resident"], r.json()["withholding_rate"]) == (False, "0.10")
    events = client.get(
        f"/api/v1/audit?entity_type=organisation&entity_id={org}", headers=world.admin.headers
    ).json()["items"]
    assert events[0]["before"]["withholding_rate"] == "0.1"
    assert events[0]["after"]["withholding_rate"] == "0.10"


def test_an_update_that_breaks_the_profile_changes_nothing(
    client: TestClient, world: World
) -> None:
    org = world.contributor.organisation_id
    r = client.patch(
        f"/api/v1/organisations/{org}", json={"size_class": "large"}, headers=world.admin.headers
    )
    assert r.status_code == 422
    assert (
        client.get(f"/api/v1/organisations/{org}", headers=world.admin.headers).json()["size_class"]
        is None
    )


def test_members_see_only_their_own_organisation(client: TestClient, world: World) -> None:
    listed = client.get("/api/v1/organisations", headers=world.licensee.headers).json()
    assert [o["id"] for o in listed["items"]] == [world.licensee.organisation_id]
    assert client.get("/api/v1/organisations", headers=world.auditor.headers).json()["total"] == 5
    filtered = client.get(
        "/api/v1/organisations?kind=university", headers=world.admin.headers
    ).json()
    assert [o["name"] for o in filtered["items"]] == ["Uni A"]
