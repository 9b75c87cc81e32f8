"""Who may call the deal routes. Statuses per role, in the order of `ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

The administrator records and changes any deal; the auditor reads them all and changes none
(403); a contributor records deals of its own patents (another's: 422 on the supplier) and
reads only its own deals (another's: 404); licensees have no part in the register (403 on the
pool's list, 404 on a deal). Writes run in the table's order, the administrator last: what a
contributor already did (a release, a consent) is then a 409 for it."""

from datetime import UTC, date, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.authorization_table import API, ROLES, Case, call_as, check
from tests.pool.conftest import World
from tests.pool.distribution import kit

DEALS = f"{API}/pools/{{pool_id:int}}/deals"
DEAL = f"{API}/deals/{{deal_id:int}}"
END = f"{API}/deals/{{deal_id:int}}/end"
CONSENT = f"{API}/deals/{{deal_id:int}}/consent"
RECEIPTS = f"{API}/deals/{{deal_id:int}}/receipts"


def licence_of_uni(ids: dict[str, int]) -> dict[str, object]:
    return {
        "kind": "licence", "supplier_organisation_id": ids["uni"],
        "counterparty_organisation_id": ids["big"], "patent_ids": [ids["uni_patent"]],
        "signed_on": "2025-03-01", "effective_on": "2025-03-01", "contract_amount_minor": 100,
    }  # fmt: skip


ENDED, CONSENTED = {"ended_on": "2025-04-01"}, {"consent_on": "2025-04-01"}
RECEIPT = {"received_on": "2025-04-01", "amount_minor": 500, "reference": "R-1"}

# fmt: off
POLICY = [
    Case("POST", DEALS, "pool", "401 201 403 201 422 403 403 403", licence_of_uni),
    Case("POST", DEALS, "missing", "401 404 404 404 404 404 404 404", licence_of_uni),
    Case("GET", DEALS, "pool", "401 200 200 200 200 403 403 403"),
    Case("GET", DEALS, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", DEAL, "uni_pledge", "401 200 200 200 404 404 404 404"),
    Case("GET", DEAL, "lab_pledge", "401 200 200 404 200 404 404 404"),
    Case("GET", DEAL, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", END, "uni_pledge", "401 409 403 200 404 404 404 404", ENDED),
    Case("POST", END, "missing", "401 404 404 404 404 404 404 404", ENDED),
    Case("POST", CONSENT, "lab_pledge", "401 409 403 404 200 404 404 404", CONSENTED),
    Case("POST", CONSENT, "missing", "401 404 404 404 404 404 404 404", CONSENTED),
    Case("POST", RECEIPTS, "uni_pledge", "401 200 403 200 404 404 404 404", RECEIPT),
    Case("POST", RECEIPTS, "missing", "401 404 404 404 404 404 404 404", RECEIPT),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def build(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> dict[str, int]:
    """A CN patent of each contributor, each pledged to Big M from 2025-03-01."""
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    ids = {
        "pool": world.pool_id, "missing": 987_654_321,
        "uni": world.contributor.organisation_id or 0,
        "lab": world.other_contributor.organisation_id or 0,
        "big": world.other_licensee.organisation_id or 0,
    }  # fmt: skip
    for who, org in (("contributor", "uni"), ("other_contributor", "lab")):
        patent = kit.patent(engine, world, who, "CN", date(2020, 1, 1))
        ids[f"{org}_patent"] = patent
        body = {
            "kind": "pledge", "supplier_organisation_id": ids[org],
            "counterparty_organisation_id": ids["big"], "patent_ids": [patent],
            "signed_on": "2025-03-01", "effective_on": "2025-03-01",
            "contract_amount_minor": 1_000_000,
        }  # fmt: skip
        r = client.post(
            f"{API}/pools/{world.pool_id}/deals", json=body, headers=world.admin.headers
        )
        assert r.status_code == 201, r.text
        ids[f"{org}_pledge"] = r.json()["id"]
    return ids


def url(case: Case, ids: dict[str, int]) -> str:
    target = str(ids.get(case.on or "", 0))
    return case.route.replace("{pool_id:int}", target).replace("{deal_id:int}", target)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_deal_access(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, case: Case
) -> None:
    ids = build(client, engine, world, clock)
    expected = case.expected()
    for role in sorted(ROLES, key=lambda r: r == "admin"):
        response = call_as(client, world, role, case.method, url(case, ids), case.body_for(ids))
        check(response, role, expected[role])


def test_each_contributor_lists_only_its_own_deals(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = build(client, engine, world, clock)
    for who, own in (("contributor", "uni_pledge"), ("other_contributor", "lab_pledge")):
        listed = call_as(client, world, who, "GET", f"{API}/pools/{world.pool_id}/deals").json()
        assert [d["id"] for d in listed["items"]] == [ids[own]], who
    staff = call_as(client, world, "auditor", "GET", f"{API}/pools/{world.pool_id}/deals").json()
    assert staff["total"] == 2
