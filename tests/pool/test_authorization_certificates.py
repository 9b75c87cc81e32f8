"""Who may ask for a withholding-tax certificate. The positive cases (the contributor its own,
staff every one; another contributor and licensees 404) run on the demo's year, where tax is
withheld (tests/scheduler/test_withholding_certificate.py); here, with no statement issued,
every caller who may ask is told there is nothing to certify and visitors must sign in."""

from litestar.testing import TestClient

from tests.pool.authorization_table import API, call_as
from tests.pool.conftest import World

CERTIFICATE = f"{API}/organisations/{{organisation_id:int}}/withholding-certificate"
COVERED_ROUTES = {("GET", CERTIFICATE)}
ROLES = ("anonymous", "admin", "auditor", "contributor", "other_contributor", "licensee")


def test_without_tax_withheld_there_is_no_certificate_for_anyone(
    client: TestClient, world: World
) -> None:
    url = CERTIFICATE.replace("{organisation_id:int}", str(world.contributor.organisation_id))
    url += f"?pool_id={world.pool_id}&year=2025"
    statuses = {role: call_as(client, world, role, "GET", url, None).status_code for role in ROLES}
    assert statuses == {
        "anonymous": 401,
        "admin": 404,
        "auditor": 404,
        "contributor": 404,
        "other_contributor": 404,
        "licensee": 404,
    }
