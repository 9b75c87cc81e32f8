"""Who may call the bank statement routes. Statuses per role, in the order of `ROLES` (see
test_authorization.py):

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Only administrators import a statement and decide a waiting credit; auditors read the credits
(and are refused a decision, 403); contributors and licensees are told the credits do not
exist (404), even a credit that is their own money, and are refused an import (403)."""

from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.db import session_scope
from pool.models.bank import BankCredit
from tests.pool.authorization_table import API, Case, call_as, check
from tests.pool.billing import kit
from tests.pool.billing.bank.test_import import camt053
from tests.pool.conftest import World

STATEMENTS = f"{API}/pools/{{pool_id:int}}/bank-statements"
CREDITS = f"{API}/pools/{{pool_id:int}}/bank-credits"
CREDIT = f"{API}/bank-credits/{{credit_id:int}}"
ASSIGN = f"{CREDIT}/assign"
DISMISS = f"{CREDIT}/dismiss"


def assign_to(licensee: str) -> Any:
    return lambda ids: {"licensee_organisation_id": ids[licensee]}


# fmt: off
POLICY = [
    Case("POST", STATEMENTS, "pool", "401 201 403 403 403 403 403 403"),
    Case("POST", STATEMENTS, "missing", "401 404 403 403 403 403 403 403"),
    Case("GET", CREDITS, "pool", "401 200 200 404 404 404 404 404"),
    Case("GET", CREDITS, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", CREDIT, "credit", "401 200 200 404 404 404 404 404"),
    Case("GET", CREDIT, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", ASSIGN, "credit", "401 200 403 404 404 404 404 404", assign_to("sme")),
    Case("POST", ASSIGN, "missing", "401 404 404 404 404 404 404 404", assign_to("sme")),
    Case("POST", DISMISS, "credit", "401 200 403 404 404 404 404 404", {"note": "bank interest"}),
    Case("POST", DISMISS, "missing", "401 404 404 404 404 404 404 404", {"note": "bank interest"}),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def build(client: TestClient, engine: Engine, world: World) -> dict[str, int]:
    """SME L holds an agreement; one imported statement has a waiting credit (nobody's
    reference, nobody's name)."""
    with session_scope(engine) as s:
        kit.agreement(s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0)
    content = camt053([("W-1", "2025-05-20", 12_34, "no reference", "Somebody")])
    answer = client.post(
        STATEMENTS.replace("{pool_id:int}", str(world.pool_id)),
        content=content,
        headers=world.admin.headers,
    )
    assert answer.status_code == 201, answer.text
    with Session(engine) as s:
        credit = s.exec(select(BankCredit.id)).one()
    return {
        "pool": world.pool_id,
        "credit": credit or 0,
        "missing": 987_654_321,
        "sme": world.licensee.organisation_id or 0,
    }


def url(case: Case, ids: dict[str, int]) -> str:
    path = case.route
    for param in ("pool_id", "credit_id"):
        path = path.replace(f"{{{param}:int}}", str(ids.get(case.on or "", 0)))
    return path


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_bank_statement_access(
    client: TestClient, engine: Engine, world: World, case: Case
) -> None:
    ids = build(client, engine, world)
    for role, expected in case.expected().items():
        if case.route == STATEMENTS:
            headers = {} if role == "anonymous" else world.callers[role].headers
            content = camt053([(f"N-{role}", "2025-05-21", 1_00, "", "")])
            response = client.post(url(case, ids), content=content, headers=headers)
        else:
            response = call_as(client, world, role, case.method, url(case, ids), case.body_for(ids))
        check(response, role, expected)
