"""The patents of a registered product, chosen on the licensee's form without a checkbox per
patent: every patent of the pool in force, by standard section, by family, by number typed,
or ticked among those a search found. What is stored is the patents, as before; a section,
family or number the pool does not have in force, or a patent of another pool, is refused on
its field (422) and nothing is saved. The clock says 2025-06-02."""

import re
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, insert
from sqlmodel import select

from pool.db import session_scope
from pool.models.licensing import Product
from pool.models.patent import Patent, PatentInclusion
from tests.pool.licensing.helpers import active, add_terms, ok
from tests.pool.reporting.kit import NOW
from tests.web.conftest import World, csrf_from, post_form, sign_in

PATENTS = {  # number: (family, sections)
    "US10000001B2": ("FAM-A", ["7.1.2"]),
    "CN100000002A": ("FAM-A", ["7.1.2", "8.2.1"]),
    "US10000003B2": ("FAM-B", ["8.2.1"]),
    "JP7000004B2": (None, ["9.4.5"]),
}


def accepted(
    client: TestClient, world: World, number: str, pool: int | None = None, **extra: Any
) -> int:
    body = {"number": number, "title": f"Entropy coding {number}", "filing_date": "2019-01-15",
            "grant_date": "2021-03-02", "expiry_date": "2039-01-15", **extra}  # fmt: skip
    url = f"/api/v1/pools/{pool or world.pool_id}/patents"
    patent_id = int(ok(client.post(url, json=body, headers=world.contributor.headers))["id"])
    ok(client.post(f"/api/v1/patents/{patent_id}/evaluation", headers=world.admin.headers))
    accept = {"admitted_on": "2024-06-01"}
    ok(client.post(f"/api/v1/patents/{patent_id}/accept", json=accept, headers=world.admin.headers))
    return patent_id


@pytest.fixture
def setting(client: TestClient, world: World) -> tuple[str, dict[str, int]]:
    """The pool's four patents in force, and SME L's active agreement (its product form)."""
    ids = {
        number: accepted(client, world, number, family_id=family, standard_sections=sections)
        for number, (family, sections) in PATENTS.items()
    }
    agreement = active(client, world, add_terms(client, world)["id"])
    sign_in(client, "sme@example.org")
    return f"/licensee/agreements/{agreement['id']}/products", ids


def register(client: TestClient, url: str, **choice: Any) -> Any:
    token = csrf_from(client.get(f"{url}/new"))
    data = {"name": "Phone", "model": choice.pop("model", "P1"), "category": "mobile", **choice}
    return client.post(url, data={**data, "_csrf_token": token}, follow_redirects=False)


def stored(engine: Engine) -> dict[str, list[int]]:
    with session_scope(engine) as s:
        return {p.model: p.patent_ids for p in s.exec(select(Product))}


def test_the_form_offers_sections_with_counts_not_a_checkbox_per_patent(
    client: TestClient, setting: tuple[str, dict[str, int]]
) -> None:
    url, _ = setting
    form = client.get(f"{url}/new").text
    assert 'name="patent_ids"' not in form
    assert "All 4 patents of the pool in force" in form
    assert re.search(r'value="8.2.1"> 8.2.1 <span class="muted">\(2 patents\)', form)
    assert re.search(r'value="9.4.5"> 9.4.5 <span class="muted">\(1 patent\)', form)


def test_each_way_of_choosing_stores_the_patents_it_covers(
    client: TestClient, engine: Engine, setting: tuple[str, dict[str, int]]
) -> None:
    url, ids = setting
    us1, cn2, us3, ep4 = ids.values()
    ways: dict[str, dict[str, Any]] = {
        "every": {"every": "yes"},
        "section": {"sections": "8.2.1"},
        "sections": {"sections": ["7.1.2", "9.4.5"]},
        "family": {"families": "FAM-B"},
        "numbers": {"numbers": "us10000001b2, JP7000004B2"},
        "ticked": {"patent_ids": [str(us3)]},
        "together": {"families": "FAM-A", "numbers": "JP7000004B2", "patent_ids": str(us1)},
    }
    for model, choice in ways.items():
        response = register(client, url, model=model, **choice)
        assert response.status_code == 303, (model, response.text[-2000:])
    assert stored(engine) == {
        "every": sorted([us1, cn2, us3, ep4]),
        "section": sorted([cn2, us3]),
        "sections": sorted([us1, cn2, ep4]),
        "family": [us3],
        "numbers": sorted([us1, ep4]),
        "ticked": [us3],
        "together": sorted([us1, cn2, ep4]),
    }


def test_find_shows_the_matches_to_tick_and_registers_nothing(
    client: TestClient, engine: Engine, setting: tuple[str, dict[str, int]]
) -> None:
    url, ids = setting
    found = register(client, url, numbers="US10000001B2, entropy coding us", find="yes")
    assert found.status_code == 200
    ticks = re.findall(r'name="patent_ids" value="(\d+)"', found.text)
    assert sorted(map(int, ticks)) == sorted([ids["US10000001B2"], ids["US10000003B2"]])
    assert 'name="numbers" type="text" value="US10000001B2"' in found.text  # the search moved
    assert stored(engine) == {}


@pytest.mark.parametrize(
    ("choice", "field", "words"),
    [
        ({"sections": ["7.1.2", "99.9"]}, "sections", "99.9"),
        ({"families": "FAM-A, FAM-Z"}, "families", "FAM-Z"),
        ({"numbers": "US10000001B2, US123"}, "numbers", "US123"),
        ({"patent_ids": "999999"}, "patent_ids", "999999"),
        ({"patent_ids": "abc"}, "patent_ids", ""),
        ({}, "patent_ids", ""),
    ],
)
def test_what_the_pool_does_not_have_is_refused_on_its_field(
    client: TestClient,
    engine: Engine,
    setting: tuple[str, dict[str, int]],
    choice: dict[str, Any],
    field: str,
    words: str,
) -> None:
    url, _ = setting
    response = register(client, url, **choice)
    assert response.status_code == 422, response.text[-2000:]
    assert f'id="e-{field}"' in response.text
    assert words in response.text
    assert stored(engine) == {}


def test_a_section_or_patent_of_another_pool_is_refused(
    client: TestClient, engine: Engine, world: World, setting: tuple[str, dict[str, int]]
) -> None:
    url, _ = setting
    other = ok(client.post("/api/v1/pools", json=other_pool(), headers=world.admin.headers))
    join = {"organisation_id": world.contributor.organisation_id, "joined_on": "2024-01-01",
            "agreement_version": "v1"}  # fmt: skip
    members = f"/api/v1/pools/{other['id']}/memberships"
    ok(client.post(members, json=join, headers=world.admin.headers))
    theirs = accepted(client, world, "US20000001B2", pool=other["id"], standard_sections=["6.6.6"])
    section = register(client, url, sections="6.6.6")
    assert section.status_code == 422
    assert 'id="e-sections"' in section.text
    patent = register(client, url, patent_ids=str(theirs))
    assert patent.status_code == 422
    assert 'id="e-patent_ids"' in patent.text
    assert stored(engine) == {}


def other_pool() -> dict[str, Any]:
    return {"name": "Other pool", "technology_field": "ict_manufacturing", "currency": "USD"}


def test_the_form_stays_short_for_fifteen_thousand_patents(
    client: TestClient, engine: Engine, world: World, setting: tuple[str, dict[str, int]]
) -> None:
    url, _ = setting
    owner = world.contributor.organisation_id or 0
    numbers = range(200_000, 215_000)
    with session_scope(engine) as s:
        s.execute(insert(Patent), [
            {"id": n, "pool_id": world.pool_id, "owner_organisation_id": owner,
             "number": f"CN{n}A", "number_key": f"CN{n}", "jurisdiction": "CN", "country": "CN",
             "family_id": f"F{n // 3}", "title": f"Method {n}", "filing_date": date(2019, 1, 1),
             "standard_sections": [f"{n % 40}.1"], "status": "accepted", "submitted_at": NOW,
             "updated_at": NOW}
            for n in numbers
        ])  # fmt: skip
        s.execute(insert(PatentInclusion), [
            {"patent_id": n, "pool_id": world.pool_id, "country": "CN",
             "start_on": date(2024, 6, 1)}
            for n in numbers
        ])  # fmt: skip
    form = client.get(f"{url}/new").text
    assert "All 15,004 patents of the pool in force" in form
    assert form.count("<input") < 60  # 40 sections, the other fields: no box per patent
    assert len(form) < 40_000
    done = register(client, url, sections="7.1")
    assert done.status_code == 303
    assert len(stored(engine)["P1"]) == 375


def test_the_form_and_its_refusals_speak_chinese(
    client: TestClient, engine: Engine, setting: tuple[str, dict[str, int]]
) -> None:
    url, _ = setting
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    form = client.get(f"{url}/new").text
    assert "专利池全部 4 件有效专利" in form
    assert "按标准章节" in form
    refused = register(client, url, families="FAM-Z")
    assert refused.status_code == 422
    assert "本专利池中无此有效项：FAM-Z" in refused.text
    assert stored(engine) == {}
