"""Patent onboarding: numbers, dates, the evaluation workflow and inclusion intervals."""

from datetime import date
from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.patent import PatentInclusion
from tests.conftest import FakeClock
from tests.pool.conftest import World

GOOD = {
    "number": "us 10,123,456 b2",
    "title": "Adaptive partitioning",
    "filing_date": "2016-01-04",
    "grant_date": "2018-11-13",
    "expiry_date": "2036-01-04",
    "standard_sections": ["7.3"],
}


def submit(client: TestClient, world: World, **overrides: Any) -> Response:
    return client.post(
        f"/api/v1/pools/{world.pool_id}/patents",
        json={**GOOD, **overrides},
        headers=world.contributor.headers,
    )


def evaluate(client: TestClient, world: World, patent_id: int) -> None:
    r = client.post(f"/api/v1/patents/{patent_id}/evaluation", headers=world.admin.headers)
    assert r.status_code == 200, r.text


def accept(
    client: TestClient, world: World, patent_id: int, admitted_on: str = "2025-01-01"
) -> Response:
    evaluate(client, world, patent_id)
    return client.post(
        f"/api/v1/patents/{patent_id}/accept",
        headers=world.admin.headers,
        json={"admitted_on": admitted_on, "grade": "A", "notes": "reads on 7.3"},
    )


def test_submission_normalises_the_number_and_records_the_owner(
    client: TestClient, world: World
) -> None:
    r = submit(client, world)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["number"] == "US10123456B2"
    assert (body["jurisdiction"], body["country"]) == ("US", "US")
    assert body["owner_organisation_id"] == world.contributor.organisation_id
    assert body["status"] == "submitted"


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"number": "CN201810123456.7"}, "number", "check"),
        ({"number": "DE 10 2014 218 224.3"}, "number", "check digit should be 7, got 3"),
        ({"number": "XX123"}, "number", ""),
        ({"number": "US12"}, "number", ""),
        ({"number": "EP1234567B1"}, "country", "country"),
        ({"number": "US10123456B2", "country": "DE"}, "country", "not in DE"),
        ({"number": "EP1234567B1", "country": "ZZ"}, "country", ""),
        ({"grant_date": "2015-01-01"}, "grant_date", "filing_date"),
        ({"expiry_date": "2017-01-01"}, "expiry_date", "after"),
    ],
    ids=[
        "cn-wrong-check-digit",
        "de-wrong-check-digit",
        "unknown-office",
        "too-short",
        "ep-without-country",
        "us-in-germany",
        "unknown-country",
        "granted-before-filed",
        "expires-before-grant",
    ],
)
def test_bad_patents_are_refused_with_the_field_at_fault(
    client: TestClient, world: World, overrides: dict[str, str], field: str, fragment: str
) -> None:
    r = submit(client, world, **overrides)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert problem["errors"][0]["field"] == field
    assert fragment in problem["errors"][0]["message"]
    listed = client.get(f"/api/v1/pools/{world.pool_id}/patents", headers=world.admin.headers)
    assert listed.json()["total"] == 0


def test_body_validation_errors_name_the_field(client: TestClient, world: World) -> None:
    r = submit(client, world, filing_date="not a date")
    assert r.status_code == 422
    assert any("filing_date" in (e.get("field") or "") for e in r.json()["errors"])


def test_a_european_patent_counts_in_the_country_named(client: TestClient, world: World) -> None:
    r = submit(client, world, number="EP 1 234 567 B1", country="de")
    assert r.status_code == 201, r.text
    assert (r.json()["number"], r.json()["country"]) == ("EP1234567B1", "DE")


def test_a_german_patent_is_submitted_by_its_file_number(client: TestClient, world: World) -> None:
    r = submit(client, world, number="DE 10 2014 218 224.7", grant_date="2017-06-01")
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["number"], body["jurisdiction"], body["country"]) == (
        "DE102014218224.7",
        "DE",
        "DE",
    )
    # the DPMA publishes under the file number: its patent specification is the same patent
    again = submit(client, world, number="DE 10 2014 218 224 B4")
    assert again.status_code == 409, again.text
    assert submit(client, world, number="DE 10 2014 218 224.7", country="FR").status_code == 422


def test_duplicate_numbers_in_a_pool_conflict(client: TestClient, world: World) -> None:
    assert submit(client, world).status_code == 201
    again = submit(client, world, number="US10123456B2")
    assert again.status_code == 409
    assert "already" in again.json()["detail"]


def test_non_members_cannot_submit(client: TestClient, world: World) -> None:
    withdraw = client.get(
        f"/api/v1/pools/{world.pool_id}/memberships", headers=world.contributor.headers
    )
    membership_id = withdraw.json()["items"][0]["id"]
    client.post(
        f"/api/v1/memberships/{membership_id}/withdraw",
        json={"withdrawn_on": "2025-05-01"},
        headers=world.contributor.headers,
    )
    r = submit(client, world)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "owner_organisation_id"


def test_accepting_admits_the_patent_for_its_in_force_interval(
    client: TestClient, world: World
) -> None:
    pid = submit(client, world).json()["id"]
    r = accept(client, world, pid, admitted_on="2017-06-01")
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["grade"], r.json()["essential"]) == ("accepted", "A", True)
    inclusions = client.get(f"/api/v1/patents/{pid}/inclusions", headers=world.admin.headers).json()
    # counts from the later of grant (2018-11-13) and admission, until expiry
    assert inclusions == {
        "items": [
            {"patent_id": pid, "country": "US", "start_on": "2018-11-13", "end_on": "2036-01-04"}
        ],
        "total": 1,
        "limit": 50,
        "offset": 0,
    }


def test_inclusions_are_listed_earliest_first_a_page_at_a_time(
    client: TestClient, world: World, engine: Engine
) -> None:
    """Intervals stored out of date order still page by start date, and `total` counts all."""
    pid = submit(client, world).json()["id"]
    accept(client, world, pid)  # 2025-01-01 to 2036-01-04
    with session_scope(engine) as s:
        for start, end in ((date(2040, 1, 1), None), (date(2019, 1, 1), date(2020, 1, 1))):
            s.add(
                PatentInclusion(
                    patent_id=pid, pool_id=world.pool_id, country="US", start_on=start, end_on=end
                )
            )
    url = f"/api/v1/patents/{pid}/inclusions"
    page = client.get(url, params={"limit": 1, "offset": 1}, headers=world.admin.headers).json()
    assert [i["start_on"] for i in page["items"]] == ["2025-01-01"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)


def test_invalidation_ends_the_interval_on_its_date(client: TestClient, world: World) -> None:
    pid = submit(client, world).json()["id"]
    accept(client, world, pid)
    r = client.post(
        f"/api/v1/patents/{pid}/end",
        headers=world.admin.headers,
        json={"status": "invalidated", "on": "2025-03-15", "reason": "CNIPA decision"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["ended_on"] == "2025-03-15"
    listed = client.get(f"/api/v1/patents/{pid}/inclusions", headers=world.admin.headers).json()
    inclusion = listed["items"][0]
    assert (inclusion["start_on"], inclusion["end_on"]) == ("2025-01-01", "2025-03-15")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("accept", {"admitted_on": "2025-01-01", "grade": "A"}),
        ("reject", {"reason": "no"}),
        ("end", {"status": "expired", "on": "2025-01-01"}),
    ],
)
def test_a_submitted_patent_must_be_evaluated_first(
    client: TestClient, world: World, path: str, body: dict[str, str]
) -> None:
    pid = submit(client, world).json()["id"]
    r = client.post(f"/api/v1/patents/{pid}/{path}", json=body, headers=world.admin.headers)
    assert r.status_code == 409
    assert r.json()["title"] == "Illegal state transition"
    assert (
        client.get(f"/api/v1/patents/{pid}", headers=world.admin.headers).json()["status"]
        == "submitted"
    )


def test_ended_and_rejected_patents_are_final(client: TestClient, world: World) -> None:
    rejected = submit(client, world).json()["id"]
    evaluate(client, world, rejected)
    assert (
        client.post(
            f"/api/v1/patents/{rejected}/reject",
            json={"reason": "not essential"},
            headers=world.admin.headers,
        ).status_code
        == 200
    )
    r = client.post(f"/api/v1/patents/{rejected}/evaluation", headers=world.admin.headers)
    assert r.status_code == 409
    ended = submit(client, world, number="US9876543B1").json()["id"]
    accept(client, world, ended)
    client.post(
        f"/api/v1/patents/{ended}/end",
        json={"status": "lapsed", "on": "2025-02-01"},
        headers=world.admin.headers,
    )
    again = client.post(
        f"/api/v1/patents/{ended}/end",
        json={"status": "expired", "on": "2025-03-01"},
        headers=world.admin.headers,
    )
    assert again.status_code == 409


def test_end_cannot_predate_admission(client: TestClient, world: World) -> None:
    pid = submit(client, world).json()["id"]
    accept(client, world, pid)
    r = client.post(
        f"/api/v1/patents/{pid}/end",
        json={"status": "lapsed", "on": "2024-12-31"},
        headers=world.admin.headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "on"


def test_ungranted_or_already_expired_patents_cannot_be_admitted(
    client: TestClient, world: World
) -> None:
    ungranted = submit(client, world, grant_date=None, expiry_date=None).json()["id"]
    r = accept(client, world, ungranted)
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "grant_date")
    old = submit(client, world, number="US9876543B1", expiry_date="2024-06-01").json()["id"]
    r = accept(client, world, old)
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "admitted_on")


def test_grade_weighted_pools_need_a_grade(client: TestClient, world: World) -> None:
    client.patch(
        f"/api/v1/pools/{world.pool_id}",
        headers=world.admin.headers,
        json={
            "allocation_method": "grade_weighted",
            "allocation_parameters": {"grade_points": {"A": "3", "B": "2", "C": "1", "D": "1"}},
        },
    )
    pid = submit(client, world).json()["id"]
    evaluate(client, world, pid)
    r = client.post(
        f"/api/v1/patents/{pid}/accept",
        json={"admitted_on": "2025-01-01"},
        headers=world.admin.headers,
    )
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "grade")


def test_owner_may_correct_data_until_decided_then_not(client: TestClient, world: World) -> None:
    pid = submit(client, world).json()["id"]
    r = client.patch(
        f"/api/v1/patents/{pid}", json={"title": "Better title"}, headers=world.contributor.headers
    )
    assert (r.status_code, r.json()["title"]) == (200, "Better title")
    bad = client.patch(
        f"/api/v1/patents/{pid}",
        json={"expiry_date": "2010-01-01"},
        headers=world.contributor.headers,
    )
    assert bad.status_code == 422
    assert (
        client.get(f"/api/v1/patents/{pid}", headers=world.admin.headers).json()["expiry_date"]
        == "2036-01-04"
    )
    accept(client, world, pid)
    late = client.patch(
        f"/api/v1/patents/{pid}", json={"title": "Too late"}, headers=world.contributor.headers
    )
    assert late.status_code == 409


def test_owner_may_withdraw_but_not_invalidate(client: TestClient, world: World) -> None:
    pid = submit(client, world).json()["id"]
    accept(client, world, pid)
    refused = client.post(
        f"/api/v1/patents/{pid}/end",
        json={"status": "invalidated", "on": "2025-04-01"},
        headers=world.contributor.headers,
    )
    assert refused.status_code == 403
    r = client.post(
        f"/api/v1/patents/{pid}/end",
        json={"status": "withdrawn", "on": "2025-04-01"},
        headers=world.contributor.headers,
    )
    assert (r.status_code, r.json()["status"]) == (200, "withdrawn")


def test_lists_filter_and_paginate(client: TestClient, world: World) -> None:
    for number in ("US10123456B2", "US9876543B1", "US8765432B2"):
        assert submit(client, world, number=number, title=f"Title {number}").status_code == 201
    page = client.get(
        f"/api/v1/pools/{world.pool_id}/patents?limit=2&offset=0", headers=world.admin.headers
    ).json()
    assert (page["total"], len(page["items"]), page["limit"]) == (3, 2, 2)
    found = client.get(
        f"/api/v1/pools/{world.pool_id}/patents?q=9876", headers=world.admin.headers
    ).json()
    assert [p["number"] for p in found["items"]] == ["US9876543B1"]
    none = client.get(
        f"/api/v1/pools/{world.pool_id}/patents?status=accepted", headers=world.admin.headers
    ).json()
    assert none["total"] == 0
    too_big = client.get(
        f"/api/v1/pools/{world.pool_id}/patents?limit=5000", headers=world.admin.headers
    )
    assert too_big.status_code in (400, 422)


def test_public_list_shows_patents_in_force_on_the_date(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    kept = submit(client, world).json()["id"]
    accept(client, world, kept, admitted_on="2025-01-01")
    gone = submit(client, world, number="US9876543B1").json()["id"]
    accept(client, world, gone, admitted_on="2025-01-01")
    client.post(
        f"/api/v1/patents/{gone}/end",
        json={"status": "invalidated", "on": "2025-04-01"},
        headers=world.admin.headers,
    )
    submit(client, world, number="US8765432B2")  # never evaluated: never public

    def numbers(on: str) -> list[str]:
        r = client.get(f"/api/v1/public/pools/{world.pool_id}/patents?on={on}")
        assert r.status_code == 200
        return [p["number"] for p in r.json()["items"]]

    assert numbers("2024-12-31") == []
    assert numbers("2025-03-31") == ["US10123456B2", "US9876543B1"]
    assert numbers("2025-04-01") == ["US10123456B2"]
    item = client.get(f"/api/v1/public/pools/{world.pool_id}/patents?on=2025-05-01").json()[
        "items"
    ][0]
    assert item["owner"] == "Uni A"
    assert "grade" not in item


def test_a_publication_and_its_grant_are_the_same_patent(client: TestClient, world: World) -> None:
    assert submit(client, world, number="EP1234567A1", country="DE").status_code == 201
    again = submit(client, world, number="EP1234567B1", country="DE")
    assert again.status_code == 409
    assert "EP1234567B1" in again.json()["detail"]


def test_a_european_patent_may_count_once_per_validation_country(
    client: TestClient, world: World
) -> None:
    assert submit(client, world, number="EP1234567B1", country="DE").status_code == 201
    assert submit(client, world, number="EP1234567B1", country="FR").status_code == 201
