"""Who may read a patent's grade history and regrade it. Statuses per role, in the order of
`ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee

Only the administrator regrades (the auditor and the owner: 403); the history is read like the
patent itself: administrators, auditors and its owner; another contributor and licensees get
404 (grades are not published). Writes run with the administrator last."""

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.authorization_table import API, ROLES, Case, call_as, check
from tests.pool.conftest import World

GRADES = f"{API}/patents/{{patent_id:int}}/grades"
REGRADE = {"tier": "2", "effective_on": "2025-01-01", "reason": "challenge upheld"}

# fmt: off
POLICY = [
    Case("POST", GRADES, "uni_patent", "401 201 403 403 404 404 404 404", REGRADE),
    Case("POST", GRADES, "lab_patent", "401 201 403 404 403 404 404 404", REGRADE),
    Case("POST", GRADES, "missing", "401 404 404 404 404 404 404 404", REGRADE),
    Case("GET", GRADES, "uni_patent", "401 200 200 200 404 404 404 404"),
    Case("GET", GRADES, "lab_patent", "401 200 200 404 200 404 404 404"),
    Case("GET", GRADES, "missing", "401 404 404 404 404 404 404 404"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def accepted(client: TestClient, world: World, who: str, number: str) -> int:
    body = {
        "number": number,
        "title": "Video coding",
        "filing_date": "2019-01-15",
        "grant_date": "2021-03-02",
        "expiry_date": "2039-01-15",
    }
    caller = world.callers[who]
    r = client.post(f"{API}/pools/{world.pool_id}/patents", json=body, headers=caller.headers)
    assert r.status_code == 201, r.text
    patent_id = int(r.json()["id"])
    admin = world.admin.headers
    assert client.post(f"{API}/patents/{patent_id}/evaluation", headers=admin).status_code == 200
    r = client.post(
        f"{API}/patents/{patent_id}/accept",
        json={"admitted_on": "2024-06-01", "tier": "1"},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    return patent_id


def build(client: TestClient, world: World) -> dict[str, int]:
    return {
        "uni_patent": accepted(client, world, "contributor", "US10123456B2"),
        "lab_patent": accepted(client, world, "other_contributor", "US10654321B2"),
        "missing": 987_654_321,
    }


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_grade_access(client: TestClient, engine: Engine, world: World, case: Case) -> None:
    ids = build(client, world)
    url = case.route.replace("{patent_id:int}", str(ids[case.on or ""]))
    expected = case.expected()
    for role in sorted(ROLES, key=lambda r: r == "admin"):
        response = call_as(client, world, role, case.method, url, case.body_for(ids))
        check(response, role, expected[role])
    if case.method == "POST" and case.on != "missing":  # only the administrator's change
        history = call_as(client, world, "admin", "GET", url).json()
        assert [(g["source"], g["tier"]) for g in history["items"]] == [
            ("admission", "1"),
            ("administrator", "2"),
        ]
