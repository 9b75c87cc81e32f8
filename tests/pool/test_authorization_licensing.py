"""Who may call the licensing routes: every route, every role, own and others' objects.

Statuses per row, in the order of `ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator
                                                               (SME L)   (Big M)

Licensees see only their own agreements and products (another licensee's ids answer 404);
contributors see none of them (404); terms are public to signed-in users, published offers to
everyone; the auditor reads and changes nothing. The machinery (fresh database copies, refused
writes change nothing) is `tests.pool.test_authorization`'s.
"""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import SQLModel

import tests.pool.test_authorization as base
from pool.app import create_app
from pool.db import make_engine
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.licensing.helpers import (
    TERMS,
    accepted_patent,
    active,
    add_terms,
    draft,
    ok,
    publish,
)

API, row = base.API, base.row
POOL = f"{API}/pools/{{pool_id:int}}"
POOL_TERMS = f"{POOL}/terms"
TERMS_ONE = f"{POOL}/terms/{{terms_id:int}}"
POOL_OFFERS = f"{POOL}/offers"
ACCEPT = f"{API}/offers/{{offer_id:int}}/accept"
WITHDRAW = f"{API}/offers/{{offer_id:int}}/withdraw"
PUBLIC_OFFERS = f"{API}/public/offers"
PUBLIC_POOL_OFFERS = f"{API}/public/pools/{{pool_id:int}}/offers"
AGREEMENTS = f"{API}/agreements"
OVERDUE = f"{AGREEMENTS}/overdue-filings"
AGREEMENT = f"{AGREEMENTS}/{{agreement_id:int}}"
TRANSITIONS = f"{AGREEMENT}/transitions"
FILING = f"{AGREEMENT}/filing"
DOCUMENT = f"{AGREEMENT}/document"
AGREEMENT_PRODUCTS = f"{AGREEMENT}/products"
PRODUCTS = f"{API}/products"
PRODUCT = f"{PRODUCTS}/{{product_id:int}}"
REVIEW_FLAGS = f"{POOL}/review-flags"
AUDIT = f"{API}/audit"

NEW_TERMS = {"royalty_terms": {**TERMS, "terms_version": "2026-1"}, "payment_terms": {}}
ACTIVATE = {"to": "active", "on": "2025-06-01"}
FILE = {"filing_number": "BA-2025-9", "filed_on": "2025-06-01"}


def new_offer(o: base.Objects) -> dict[str, Any]:
    return {
        "terms_id": o.ids["terms"],
        "term_months": 12,
        "jurisdiction": "US",
        "payment_method": "bank transfer",
    }


def new_agreement(o: base.Objects) -> dict[str, Any]:
    return {**agreement_body_for(o), "licensee_organisation_id": o.ids["sme"]}


def agreement_body_for(o: base.Objects) -> dict[str, Any]:
    return {
        "pool_id": o.ids["pool"],
        "terms_id": o.ids["terms"],
        "territory": "worldwide",
        "product_categories": ["TV"],
        "signed_on": "2025-05-01",
        "start_on": "2025-05-01",
        "end_on": "2026-05-01",
    }


def new_product(o: base.Objects) -> dict[str, Any]:
    return {
        "name": "Set-top box",
        "model": "STB-9",
        "category": "TV",
        "patent_ids": [o.ids["patent"]],
    }


# fmt: off
POLICY: list[base.Case] = [
    row("GET", POOL_TERMS, "pool", "401 200 200 200 200 200 200 200"),
    row("POST", POOL_TERMS, "pool", "401 201 403 403 403 403 403 403",
        body=NEW_TERMS, witness=POOL_TERMS),
    row("GET", TERMS_ONE, "terms", "401 200 200 200 200 200 200 200"),
    row("GET", TERMS_ONE, "missing", "401 404 404 404 404 404 404 404"),
    row("GET", POOL_OFFERS, "pool", "401 200 200 404 404 404 404 404"),
    row("POST", POOL_OFFERS, "pool", "401 201 403 403 403 403 403 403",
        body=new_offer, witness=POOL_OFFERS),
    row("POST", ACCEPT, "offer", "401 403 403 403 403 201 201 403", witness=AGREEMENTS),
    row("POST", ACCEPT, "missing", "401 404 404 404 404 404 404 404"),
    row("POST", WITHDRAW, "offer", "401 200 403 403 403 403 403 403",
        body={"withdrawn_on": "2025-06-02"}, witness=POOL_OFFERS),
    row("GET", PUBLIC_OFFERS, None, "200 200 200 200 200 200 200 200"),
    row("GET", PUBLIC_POOL_OFFERS, "pool", "200 200 200 200 200 200 200 200"),
    row("GET", AGREEMENTS, None, "401 200 200 404 404 200 200 200"),
    row("POST", AGREEMENTS, None, "401 201 403 403 403 403 403 403",
        body=new_agreement, witness=AGREEMENTS),
    row("GET", OVERDUE, None, "401 200 200 404 404 404 404 404"),
    row("GET", AGREEMENT, "sme_active", "401 200 200 404 404 200 404 404"),
    row("GET", AGREEMENT, "big_active", "401 200 200 404 404 404 200 404"),
    row("GET", AGREEMENT, "missing", "401 404 404 404 404 404 404 404"),
    row("POST", TRANSITIONS, "sme_draft", "401 200 403 404 404 403 404 404",
        body=ACTIVATE, witness=AGREEMENT),
    row("POST", TRANSITIONS, "big_draft", "401 200 403 404 404 404 403 404",
        body=ACTIVATE, witness=AGREEMENT),
    row("POST", FILING, "sme_active", "401 200 403 404 404 403 404 404",
        body=FILE, witness=AGREEMENT),
    row("POST", FILING, "big_active", "401 200 403 404 404 404 403 404",
        body=FILE, witness=AGREEMENT),
    row("GET", DOCUMENT, "sme_active", "401 200 200 404 404 200 404 404"),
    row("GET", DOCUMENT, "big_active", "401 200 200 404 404 404 200 404"),
    row("GET", AGREEMENT_PRODUCTS, "sme_active", "401 200 200 404 404 200 404 404"),
    row("GET", AGREEMENT_PRODUCTS, "big_active", "401 200 200 404 404 404 200 404"),
    row("POST", AGREEMENT_PRODUCTS, "sme_active", "401 403 403 404 404 201 404 404",
        body=new_product, witness=PRODUCTS),
    row("POST", AGREEMENT_PRODUCTS, "big_active", "401 403 403 404 404 404 201 404",
        body=new_product, witness=PRODUCTS),
    row("GET", PRODUCTS, None, "401 200 200 404 404 200 200 200"),
    row("GET", PRODUCT, "sme_product", "401 200 200 404 404 200 404 404"),
    row("GET", PRODUCT, "big_product", "401 200 200 404 404 404 200 404"),
    row("GET", PRODUCT, "missing", "401 404 404 404 404 404 404 404"),
    row("GET", REVIEW_FLAGS, "pool", "401 200 200 404 404 404 404 404"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def build_objects(client: TestClient, world: World) -> base.Objects:
    """Terms, an offer, a draft and an active agreement per licensee, a product each."""
    ids = {
        "pool": world.pool_id,
        "missing": base.MISSING_ID,
        "sme": world.licensee.organisation_id or 0,
        "big": world.other_licensee.organisation_id or 0,
    }
    ids["patent"] = accepted_patent(client, world)
    ids["terms"] = add_terms(client, world)["id"]
    ids["offer"] = ok(publish(client, world, ids["terms"]))["id"]
    for org, caller in (("sme", world.licensee), ("big", world.other_licensee)):
        ids[f"{org}_draft"] = draft(
            client, world, ids["terms"], licensee_organisation_id=caller.organisation_id
        )["id"]
        agreement = active(
            client, world, ids["terms"], licensee_organisation_id=caller.organisation_id
        )
        ids[f"{org}_active"] = agreement["id"]
        product = {"name": "TV", "model": org, "category": "TV", "patent_ids": [ids["patent"]]}
        url = f"{AGREEMENTS}/{agreement['id']}/products"
        ids[f"{org}_product"] = ok(client.post(url, json=product, headers=caller.headers))["id"]
    return base.Objects(ids)


_TEMPLATE: list[base.Template] = []


def build_template(
    request: pytest.FixtureRequest, client: TestClient, clock: FakeClock, directory: Path
) -> base.Template:
    engine: Engine = request.getfixturevalue("engine")
    settings: Settings = request.getfixturevalue("settings")
    world: World = request.getfixturevalue("world")
    with base.serving(client, engine, settings, clock):
        objects = build_objects(client, world)
    rows = base.dump(engine)
    if engine.dialect.name != "sqlite":
        return base.Template(world, objects, settings, rows, None)
    template = make_engine(f"sqlite:///{directory / 'scene.sqlite3'}")
    SQLModel.metadata.create_all(template)
    base.load(template, rows)
    template.dispose()
    return base.Template(world, objects, settings, rows, directory / "scene.sqlite3")


@pytest.fixture(scope="module")
def licensing_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    directory = tmp_path_factory.mktemp("authorization_licensing")
    unused = make_engine(f"sqlite:///{directory / 'unused.sqlite3'}")
    with TestClient(create_app(settings=Settings(data_dir=directory), engine=unused)) as client:
        yield client
    unused.dispose()


@pytest.fixture
def scene(
    request: pytest.FixtureRequest,
    licensing_client: TestClient,
    clock: FakeClock,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pg_schema_engine: Engine | None,
) -> Iterator[base.Scene]:
    if not _TEMPLATE:
        directory = tmp_path_factory.mktemp("licensing_scene")
        _TEMPLATE.append(build_template(request, licensing_client, clock, directory))
    template = _TEMPLATE[0]
    with base.fresh_copy(template, tmp_path, pg_schema_engine) as engine:
        url = engine.url.render_as_string(hide_password=False)
        settings = replace(template.settings, data_dir=tmp_path, database_url=url)
        with base.serving(licensing_client, engine, settings, clock) as client:
            yield base.Scene(client, template.world, template.objects)


@pytest.mark.parametrize(
    ("case", "role"),
    [
        pytest.param(case, role, id=f"{case.test_id} as {role} -> {case.expect[role]}")
        for case in POLICY
        for role in base.ROLES
    ],
)
def test_access(scene: base.Scene, case: base.Case, role: str) -> None:
    client, world, objects = scene.client, scene.world, scene.objects
    expected = case.expect[role]
    refused_write = case.method != "GET" and expected >= 400
    before = base.footprint(client, world, objects, case, role) if refused_write else None
    url = case.url(case.route, objects, role)

    response = base.send(client, case, url, base.headers_of(role, world, objects), objects)

    assert response.status_code == expected, response.text
    if expected >= 400:
        base.assert_problem(response, expected)
    if before is not None:
        assert base.footprint(client, world, objects, case, role) == before


@pytest.mark.parametrize(
    ("route", "names"),
    [
        (AGREEMENTS, ("sme_draft", "sme_active", "big_draft", "big_active")),
        (PRODUCTS, ("sme_product", "big_product")),
    ],
    ids=["agreements", "products"],
)
def test_lists_show_only_the_callers_own(
    scene: base.Scene, route: str, names: tuple[str, ...]
) -> None:
    client, world, objects = scene.client, scene.world, scene.objects
    ids = {objects.ids[name]: name for name in names}
    seen = {}
    for role in ("admin", "auditor", "licensee", "other_licensee"):
        body = ok(client.get(route, params={"limit": 500}, headers=world.callers[role].headers))
        seen[role] = {ids[item["id"]] for item in body["items"]}
        assert body["total"] == len(body["items"])
    assert seen["admin"] == seen["auditor"] == set(names)
    assert seen["licensee"] == {n for n in names if n.startswith("sme")}
    assert seen["other_licensee"] == {n for n in names if n.startswith("big")}
