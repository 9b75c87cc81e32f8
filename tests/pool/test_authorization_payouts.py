"""Who may call the payout routes. Statuses per role, in the order of `ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

A contributor keeps its own bank details (staff read them, 403 on a write; anyone else finds
none: 404); administrators make, send and settle payout batches, auditors read them, nobody
else sees one (404); a statement's payout is read as the statement is."""

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.authorization_table import API, ROLES, Case, call_as, check
from tests.pool.conftest import World
from tests.pool.payouts import kit

BANK = f"{API}/organisations/{{organisation_id:int}}/bank-details"
BATCHES = f"{API}/pools/{{pool_id:int}}/payout-batches"
HELD = f"{API}/pools/{{pool_id:int}}/payouts-held"
BATCH = f"{API}/payout-batches/{{batch_id:int}}"
FILE = f"{API}/payout-batches/{{batch_id:int}}/pain001"
SENT = f"{API}/payout-batches/{{batch_id:int}}/sent"
PAID = f"{API}/payout-lines/{{line_id:int}}/paid"
RETURNED = f"{API}/payout-lines/{{line_id:int}}/returned"
PAYOUT = f"{API}/statements/{{statement_id:int}}/payout"

ON = {"execution_date": "2025-11-03"}
DAY = {"sent_on": "2025-11-01"}
PAY = {"paid_on": "2025-11-01", "bank_reference": "BANK-1"}
BACK = {"returned_on": "2025-11-01", "reason": "account closed"}

# fmt: off
POLICY = [
    Case("GET", BANK, "uni", "401 200 200 200 404 404 404 404"),
    Case("GET", BANK, "missing", "401 404 404 404 404 404 404 404"),
    Case("PUT", BANK, "uni", "401 403 403 200 404 404 404 404", kit.IBAN),
    Case("PUT", BANK, "lab", "401 403 403 404 200 404 404 404", kit.CN),
    Case("GET", BATCHES, "pool", "401 200 200 404 404 404 404 404"),
    Case("POST", BATCHES, "pool", "401 409 403 403 403 403 403 403", ON),  # all in the batch
    Case("POST", BATCHES, "missing", "401 404 403 403 403 403 403 403", ON),
    Case("GET", HELD, "pool", "401 200 200 404 404 404 404 404"),
    Case("GET", BATCH, "batch", "401 200 200 404 404 404 404 404"),
    Case("GET", BATCH, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", FILE, "batch", "401 200 200 404 404 404 404 404"),
    Case("POST", SENT, "batch", "401 200 403 403 403 403 403 403", DAY),
    Case("POST", PAID, "line", "401 409 403 403 403 403 403 403", PAY),  # not sent yet
    Case("POST", RETURNED, "line", "401 409 403 403 403 403 403 403", BACK),
    Case("GET", PAYOUT, "uni_statement", "401 200 200 200 404 404 404 404"),
    Case("GET", PAYOUT, "lab_statement", "401 200 200 404 200 404 404 404"),
    Case("GET", PAYOUT, "missing", "401 404 404 404 404 404 404 404"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}
PARAMS = ("organisation_id", "pool_id", "batch_id", "line_id", "statement_id")


def build(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> dict[str, int]:
    """Q2 approved and issued; a batch paying Uni A, not yet sent."""
    books = kit.approved(client, engine, world, clock)
    batch = kit.create(client, world)
    uni, lab = world.contributor.organisation_id or 0, world.other_contributor.organisation_id or 0
    return {
        "uni": uni, "lab": lab, "pool": world.pool_id, "missing": 987_654_321,
        "batch": batch["id"], "line": batch["lines"][0]["id"],
        "uni_statement": books["statements"][uni], "lab_statement": books["statements"][lab],
    }  # fmt: skip


def url(case: Case, ids: dict[str, int]) -> str:
    path = case.route
    for param in PARAMS:
        path = path.replace(f"{{{param}:int}}", str(ids.get(case.on or "", 0)))
    return path


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_payout_access(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, case: Case
) -> None:
    ids = build(client, engine, world, clock)
    expected = case.expected()
    for role in sorted(ROLES, key=lambda r: r == "admin"):
        response = call_as(client, world, role, case.method, url(case, ids), case.body_for(ids))
        check(response, role, expected[role])
