"""Who may call the distribution and statement routes. Statuses per role, in the order of
`ROLES` (see test_authorization.py):

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Administrators close periods, approve runs and issue statements; auditors read runs and every
statement; a contributor reads only its own statements (another contributor's id answers
404, as a missing one does); licensees see no statement at all."""

from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.authorization_table import API, ROLES, Case, call_as, check
from tests.pool.conftest import World
from tests.pool.distribution import kit

POOL_RUNS = f"{API}/pools/{{pool_id:int}}/distribution-runs"
RUN = f"{API}/distribution-runs/{{run_id:int}}"
RECOMPUTE = f"{API}/distribution-runs/{{run_id:int}}/recompute"
APPROVE = f"{API}/distribution-runs/{{run_id:int}}/approve"
ISSUE = f"{API}/distribution-runs/{{run_id:int}}/statements"
STATEMENTS = f"{API}/statements"
STATEMENT = f"{API}/statements/{{statement_id:int}}"
DOCUMENT = f"{API}/statements/{{statement_id:int}}/documents/{{fmt:str}}"
PATENT_LINES = f"{API}/statements/{{statement_id:int}}/patent-lines"
READ = f"{API}/statements/{{statement_id:int}}/read"

Q3 = {"period_start": "2025-07-01"}

# fmt: off
POLICY = [
    Case("POST", POOL_RUNS, "pool", "401 200 403 403 403 403 403 403", Q3),
    Case("POST", POOL_RUNS, "missing", "401 404 403 403 403 403 403 403", Q3),
    Case("GET", POOL_RUNS, "pool", "401 200 200 404 404 404 404 404"),
    Case("GET", RUN, "approved", "401 200 200 404 404 404 404 404"),
    Case("GET", RUN, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", RECOMPUTE, "draft", "401 200 403 404 404 404 404 404"),
    Case("POST", RECOMPUTE, "approved", "401 409 403 404 404 404 404 404"),
    Case("POST", APPROVE, "draft", "401 200 403 404 404 404 404 404"),
    Case("POST", APPROVE, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", ISSUE, "approved", "401 200 403 404 404 404 404 404"),
    Case("POST", ISSUE, "draft", "401 409 403 404 404 404 404 404"),
    Case("GET", STATEMENTS, None, "401 200 200 200 200 403 403 403"),
    Case("GET", STATEMENT, "uni_statement", "401 200 200 200 404 404 404 404"),
    Case("GET", STATEMENT, "lab_statement", "401 200 200 404 200 404 404 404"),
    Case("GET", STATEMENT, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", DOCUMENT, "uni_statement", "401 200 200 200 404 404 404 404"),
    Case("GET", DOCUMENT, "lab_statement", "401 200 200 404 200 404 404 404"),
    Case("GET", DOCUMENT, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", PATENT_LINES, "uni_statement", "401 200 200 200 404 404 404 404"),
    Case("GET", PATENT_LINES, "lab_statement", "401 200 200 404 200 404 404 404"),
    Case("GET", PATENT_LINES, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", READ, "uni_statement", "401 200 200 200 404 404 404 404"),
    Case("GET", READ, "lab_statement", "401 200 200 404 200 404 404 404"),
    Case("GET", READ, "missing", "401 404 404 404 404 404 404 404"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def build(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> dict[str, int]:
    """Q2 closed, approved and issued (a statement each); Q3 closed as a draft."""
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    kit.pay(client, world, "Q3-1", 50050, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    kit.approve(client, world, q2["id"])
    issued = {s["contributor_organisation_id"]: s["id"] for s in kit.issue(client, world, q2["id"])}
    q3 = kit.close(client, world, "2025-07-01")
    return {
        "pool": world.pool_id,
        "missing": 987_654_321,
        "approved": q2["id"],
        "draft": q3["id"],
        "uni_statement": issued[world.contributor.organisation_id],
        "lab_statement": issued[world.other_contributor.organisation_id],
    }


def url(case: Case, ids: dict[str, int]) -> str:
    path = case.route.replace("{fmt:str}", "csv")
    for param in ("pool_id", "run_id", "statement_id"):
        path = path.replace(f"{{{param}:int}}", str(ids.get(case.on or "", 0)))
    return path


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.label()) for c in POLICY],
)
def test_distribution_access(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, case: Case
) -> None:
    ids = build(client, engine, world, clock)
    expected = case.expected()
    # the administrator last: its call may change state (approve) the others must not see
    for role in sorted(ROLES, key=lambda r: r == "admin"):
        response = call_as(client, world, role, case.method, url(case, ids), case.body_for(ids))
        check(response, role, expected[role])


def test_a_contributor_lists_only_its_own_statements_even_by_serial(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = build(client, engine, world, clock)
    everything = client.get(STATEMENTS, headers=world.auditor.headers).json()
    assert everything["total"] == 2
    lab_serial = next(s["serial"] for s in everything["items"] if s["id"] == ids["lab_statement"])
    mine = client.get(STATEMENTS, headers=world.contributor.headers).json()
    assert [s["id"] for s in mine["items"]] == [ids["uni_statement"]]
    guessed = client.get(
        STATEMENTS, params={"serial": lab_serial}, headers=world.contributor.headers
    )
    assert guessed.status_code == 200
    assert guessed.json()["total"] == 0
    pdf = client.get(
        f"{API}/statements/{ids['lab_statement']}/documents/pdf", headers=world.contributor.headers
    )
    assert pdf.status_code == 404
