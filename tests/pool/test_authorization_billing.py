"""Who may call the billing routes: payments, write-offs, overdue invoices, accounts, positions
and the trial balance. Statuses per role, in the order of `ROLES` (see test_authorization.py):

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Only administrators record payments, write invoices off and issue fixed fees (a licensee's
word that it paid is not a bank receipt); a licensee reads its own payments, account and position;
another licensee's ids answer 404; contributors see none of it (404)."""

from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from tests.pool.authorization_table import API, Case, call_as, check
from tests.pool.billing import kit
from tests.pool.conftest import World

POOL_PAYMENTS = f"{API}/pools/{{pool_id:int}}/payments"
PAYMENTS = f"{API}/payments"
PAYMENT = f"{API}/payments/{{payment_id:int}}"
WRITE_OFF = f"{API}/invoices/{{invoice_id:int}}/write-off"
OVERDUE = f"{API}/invoices/overdue"
ACCOUNT = f"{API}/licensees/{{organisation_id:int}}/account"
POSITION = f"{API}/licensees/{{organisation_id:int}}/position"
TRIAL_BALANCE = f"{API}/pools/{{pool_id:int}}/ledger/trial-balance"
FIXED_FEES = f"{API}/pools/{{pool_id:int}}/fixed-fees/issue"


def pay(payer: str) -> Any:
    return lambda ids: {
        "licensee_organisation_id": ids[payer],
        "reference": "NEW-1",
        "amount_minor": 10_00,
        "currency": "USD",
        "received_on": "2025-05-01",
    }


WRITE_OFF_BODY = {"on": "2025-06-01", "reason": "insolvent"}  # not in the future

# fmt: off
POLICY = [
    Case("POST", POOL_PAYMENTS, "pool", "401 201 403 403 403 403 404 403", pay("sme")),
    Case("POST", POOL_PAYMENTS, "pool", "401 201 403 403 403 404 403 403", pay("big")),
    Case("GET", PAYMENTS, None, "401 200 200 404 404 200 200 404"),
    Case("GET", PAYMENT, "sme_payment", "401 200 200 404 404 200 404 404"),
    Case("GET", PAYMENT, "big_payment", "401 200 200 404 404 404 200 404"),
    Case("GET", PAYMENT, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", WRITE_OFF, "sme_invoice", "401 200 403 404 404 403 404 404", WRITE_OFF_BODY),
    Case("POST", WRITE_OFF, "big_invoice", "401 200 403 404 404 404 403 403", WRITE_OFF_BODY),
    Case("POST", WRITE_OFF, "missing", "401 404 404 404 404 404 404 404", WRITE_OFF_BODY),
    Case("GET", OVERDUE, None, "401 200 200 404 404 200 200 404"),
    Case("GET", ACCOUNT, "sme", "401 200 200 404 404 200 404 404"),
    Case("GET", ACCOUNT, "big", "401 200 200 404 404 404 200 404"),
    Case("GET", ACCOUNT, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", POSITION, "sme", "401 200 200 404 404 200 404 404"),
    Case("GET", POSITION, "big", "401 200 200 404 404 404 200 404"),
    Case("GET", POSITION, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", TRIAL_BALANCE, "pool", "401 200 200 404 404 404 404 404"),
    Case("POST", FIXED_FEES, "pool", "401 200 403 403 403 403 403 403"),
    Case("POST", FIXED_FEES, "missing", "401 404 403 403 403 403 403 403"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def build(engine: Engine, world: World) -> dict[str, int]:
    """Each licensee: an agreement, an invoice overdue since 2025-05-01, a part payment."""
    ids = {
        "pool": world.pool_id,
        "missing": 987_654_321,
        "sme": world.licensee.organisation_id or 0,
        "big": world.other_licensee.organisation_id or 0,
    }
    with session_scope(engine) as s:
        for name, caller in (("sme", world.licensee), ("big", world.other_licensee)):
            deal = kit.agreement(s, pool_id=world.pool_id, licensee_id=ids[name])
            inv = kit.invoice(
                s,
                agreement_id=deal,
                number=f"{name}-Q1",
                usage=(date(2025, 1, 1), date(2025, 4, 1)),
                issued_on=date(2025, 4, 1),
                parts=[(date(2025, 5, 1), 100_00)],
            )
            ids[f"{name}_invoice"] = inv.id or 0
            payment = kit.pay(
                s,
                world,
                reference=f"{name}-1",
                amount_minor=1_00,
                on=date(2025, 4, 2),
                payer=caller.organisation_id,
            )
            ids[f"{name}_payment"] = payment.id or 0
    return ids


def url(case: Case, ids: dict[str, int]) -> str:
    path = case.route
    for param in ("pool_id", "payment_id", "invoice_id", "organisation_id"):
        path = path.replace(f"{{{param}:int}}", str(ids.get(case.on or "", 0)))
    return path


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.label()) for c in POLICY],
)
def test_billing_access(client: TestClient, engine: Engine, world: World, case: Case) -> None:
    ids = build(engine, world)
    for role, expected in case.expected().items():
        body = case.body_for(ids)
        if case.method == "POST" and expected == 201:
            body = {**body, "reference": f"NEW-{role}"}
        check(call_as(client, world, role, case.method, url(case, ids), body), role, expected)
        if case.route == WRITE_OFF and expected == 200:  # written off; undo for the next role
            return


def test_lists_show_only_the_callers_own(client: TestClient, engine: Engine, world: World) -> None:
    ids = build(engine, world)
    for role, payment, invoice in (
        ("licensee", "sme_payment", "sme_invoice"),
        ("other_licensee", "big_payment", "big_invoice"),
    ):
        headers = world.callers[role].headers
        listed = client.get(PAYMENTS, headers=headers).json()
        assert [p["id"] for p in listed["items"]] == [ids[payment]]
        assert listed["total"] == 1
        overdue = client.get(OVERDUE, params={"as_of": "2025-06-01"}, headers=headers).json()
        assert [o["invoice_id"] for o in overdue["items"]] == [ids[invoice]]
        assert overdue["total"] == 1
        position = client.get(
            POSITION.replace("{organisation_id:int}", str(world.callers[role].organisation_id)),
            params={"as_of": "2025-06-01"},
            headers=headers,
        ).json()
        assert [i["invoice_id"] for i in position["invoices"]] == [ids[invoice]]
    staff = client.get(PAYMENTS, headers=world.auditor.headers).json()
    assert staff["total"] == 2
