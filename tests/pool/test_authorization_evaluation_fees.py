"""Who may read an evaluation fee (issue 19): the contributor billed, and staff. Statuses per
role, in the order of `ROLES` (see test_authorization.py):

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Uni A's fee is Uni A's: Lab B, both licensees and the evaluator (who never sees money) find
none (404), through the invoice, its document and every list. The contributor's portal pages
are for contributors only: other roles find nothing there (404), a visitor is sent to sign in,
and Lab B finds none of Uni A's fee ids."""

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.authorization_table import API, Case, call_as, check
from tests.pool.conftest import World
from tests.pool.evaluation.fee_kit import charged_patent
from tests.web.conftest import sign_in

INVOICE = f"{API}/invoices/{{invoice_id:int}}"
DOCUMENT = f"{API}/invoices/{{invoice_id:int}}/document"

# fmt: off
POLICY = [
    Case("GET", INVOICE, "uni_fee", "401 200 200 200 404 404 404 404"),
    Case("GET", DOCUMENT, "uni_fee", "401 200 200 200 404 404 404 404"),
    Case("GET", DOCUMENT, "uni_fee", "401 200 200 200 404 404 404 404", query="format=pdf"),
]
# fmt: on
COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}
PORTAL = "/contributor/evaluation-fees"
EMAILS = {
    "admin": "admin@example.org",
    "auditor": "auditor@example.org",
    "contributor": "uni@example.org",
    "other_contributor": "lab@example.org",
    "licensee": "sme@example.org",
    "other_licensee": "big@example.org",
    "evaluator": "eve@example.org",
}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_fee_access(client: TestClient, world: World, clock: FakeClock, case: Case) -> None:
    ids = charged_patent(client, world, clock)
    url = case.route.replace("{invoice_id:int}", str(ids[case.on or ""]))
    for role, expected in case.expected().items():
        full = f"{url}?{case.query}" if case.query else url
        check(call_as(client, world, role, case.method, full, None), role, expected)


def test_only_the_billed_contributor_lists_the_fee(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    ids = charged_patent(client, world, clock)
    sees = {"admin": [ids["uni_fee"]], "auditor": [ids["uni_fee"]], "contributor": [ids["uni_fee"]]}
    for role, caller in world.callers.items():
        for query in ({}, {"kind": "evaluation_fee"}):
            listed = client.get(f"{API}/invoices", params=query, headers=caller.headers).json()
            assert [i["id"] for i in listed["items"]] == sees.get(role, []), (role, query)


def test_the_portal_pages_are_the_contributors_own(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = charged_patent(client, world, clock)
    fee = ids["uni_fee"]
    urls = [PORTAL, f"{PORTAL}/{fee}", f"{PORTAL}/{fee}/document", f"{PORTAL}/{fee}/document.pdf"]
    for url in urls:
        visitor = client.get(url, follow_redirects=False)
        assert visitor.status_code in (302, 303)
        assert "/login" in visitor.headers["location"]
    for role, email in EMAILS.items():
        client.cookies.clear()
        sign_in(client, email)
        for url in urls:
            got = client.get(url).status_code
            if role == "contributor":
                assert got == 200, (role, url)
            elif role == "other_contributor" and url == PORTAL:
                assert got == 200  # its own list, without Uni A's fee
                assert f"{PORTAL}/{fee}" not in client.get(url).text
            else:
                assert got == 404, (role, url)
