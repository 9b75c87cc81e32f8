"""Who may read a pool's yearly figures. Statuses per role, in the order of `ROLES` (see
test_authorization.py):

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Administrators and auditors only: the figures name licensees and what contributors were
paid, so everyone else is told the route does not exist (404), like other staff-only reads.
A year outside 2000-2100 or not a number is refused by validation before anyone is looked
at (422 for every signed-in caller); a year after the current one is refused by the service,
after the staff check (so others still get 404)."""

from datetime import date

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from tests.pool.authorization_table import API, Case, call_as, check
from tests.pool.billing import kit
from tests.pool.conftest import World

FIGURES = f"{API}/pools/{{pool_id:int}}/figures"
TABLE = f"{FIGURES}/table.csv"

# fmt: off
POLICY = [
    Case("GET", FIGURES, "pool", "401 200 200 404 404 404 404 404", query="year=2025"),
    Case("GET", FIGURES, "missing", "401 404 404 404 404 404 404 404", query="year=2025"),
    Case("GET", FIGURES, "pool", "401 422 422 422 422 422 422 422", query="year=1999"),
    Case("GET", FIGURES, "pool", "401 422 422 404 404 404 404 404", query="year=2026"),
    Case("GET", TABLE, "pool", "401 200 200 404 404 404 404 404", query="year=2025"),
    Case("GET", TABLE, "missing", "401 404 404 404 404 404 404 404", query="year=2025"),
    Case("GET", TABLE, "pool", "401 422 422 422 422 422 422 422", query="year=1999"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def build(engine: Engine, world: World) -> dict[str, int]:
    """Something to count: the licensee's agreement and a paid invoice of 2025."""
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=(date(2025, 1, 1), date(2025, 4, 1)),
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 100_00)],
        )
        kit.pay(s, world, reference="R1", amount_minor=100_00, on=date(2025, 4, 2))
    return {"pool": world.pool_id, "missing": 987_654_321}


def url(case: Case, ids: dict[str, int]) -> str:
    path = case.route.replace("{pool_id:int}", str(ids.get(case.on or "", 0)))
    return f"{path}?{case.query}"


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.label()) for c in POLICY],
)
def test_figures_access(client: TestClient, engine: Engine, world: World, case: Case) -> None:
    ids = build(engine, world)
    for role, expected in case.expected().items():
        response = call_as(client, world, role, case.method, url(case, ids))
        check(response, role, expected)
        if expected < 400 and case.route == TABLE:  # the received row: 100.00 in 2025
            assert "\r\npool licences,received,,0.00,100.00,USD," in response.text
        elif expected < 400:
            assert response.json()["current"]["received"]["total_minor"] == 100_00
