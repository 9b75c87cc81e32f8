"""Who may ask for a withholding-tax certificate. Statuses per role, in the order of `ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

The positive cases (the contributor its own, staff every one; another contributor and licensees
404) run on the demo's year, where tax is withheld (tests/scheduler/
test_withholding_certificate.py). Here no statement is issued: every caller who may ask is told
there is nothing to certify (404), another contributor's or a licensee's asking too, and
visitors must sign in."""

import pytest
from litestar.testing import TestClient

from tests.pool.authorization_table import API, Case, call_as, check
from tests.pool.conftest import World

CERTIFICATE = f"{API}/organisations/{{organisation_id:int}}/withholding-certificate"

# fmt: off
POLICY = [
    Case("GET", CERTIFICATE, "uni", "401 404 404 404 404 404 404 404", query="year=2025"),
    Case("GET", CERTIFICATE, "missing", "401 404 404 404 404 404 404 404", query="year=2025"),
]
# fmt: on
COVERED_ROUTES = {(case.method, case.route) for case in POLICY}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_certificate_access(client: TestClient, world: World, case: Case) -> None:
    ids = {"uni": world.contributor.organisation_id or 0, "missing": 987_654_321}
    url = CERTIFICATE.replace("{organisation_id:int}", str(ids[case.on or ""])) + "?" + case.query
    for role, expected in case.expected().items():
        check(call_as(client, world, role, case.method, url), role, expected)
