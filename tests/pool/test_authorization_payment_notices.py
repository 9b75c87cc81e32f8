"""Who may call the payment-notice routes. Statuses per role, in the order of `ROLES` (see
test_authorization.py):

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Only a licensee sends a notice, for its own invoices (another licensee's invoice id in the
body is refused as input, 422, without saying whether it exists); staff read every notice, a
licensee its own (another's id answers 404); only administrators confirm or reject (auditors
and the notice's own licensee 403); contributors see none of it (404)."""

from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.auth import Principal
from pool.db import session_scope
from pool.models.billing.payment_notice import PaymentNoticeCreate
from pool.models.user import Role
from pool.services.billing import payment_notices
from tests.pool.authorization_table import API, Case, call_as, check
from tests.pool.billing import kit
from tests.pool.conftest import Caller, World

NOTICES = f"{API}/payment-notices"
NOTICE = f"{API}/payment-notices/{{notice_id:int}}"
CONFIRM = f"{API}/payment-notices/{{notice_id:int}}/confirm"
REJECT = f"{API}/payment-notices/{{notice_id:int}}/reject"


def notice_for(invoice: str) -> Any:
    return lambda ids: {
        "invoice_id": ids[invoice],
        "reference": "NEW-1",
        "amount_minor": 10_00,
        "paid_on": "2025-05-30",
    }


REJECT_BODY = {"reason": "no such transfer on our account"}

# fmt: off
POLICY = [
    Case("POST", NOTICES, None, "401 403 403 403 403 201 422 403", notice_for("sme_invoice")),
    Case("POST", NOTICES, None, "401 403 403 403 403 422 201 403", notice_for("big_invoice")),
    Case("GET", NOTICES, None, "401 200 200 404 404 200 200 404"),
    Case("GET", NOTICE, "sme_notice", "401 200 200 404 404 200 404 404"),
    Case("GET", NOTICE, "big_notice", "401 200 200 404 404 404 200 404"),
    Case("GET", NOTICE, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", CONFIRM, "sme_notice", "401 200 403 404 404 403 404 404", {}),
    Case("POST", CONFIRM, "big_notice", "401 200 403 404 404 404 403 404", {}),
    Case("POST", CONFIRM, "missing", "401 404 404 404 404 404 404 404", {}),
    Case("POST", REJECT, "sme_notice", "401 200 403 404 404 403 404 404", REJECT_BODY),
    Case("POST", REJECT, "big_notice", "401 200 403 404 404 404 403 404", REJECT_BODY),
    Case("POST", REJECT, "missing", "401 404 404 404 404 404 404 404", REJECT_BODY),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def licensee_principal(caller: Caller) -> Principal:
    return Principal(
        user_id=caller.user_id,
        email=f"{caller.role}@example.org",
        role=Role.LICENSEE,
        organisation_id=caller.organisation_id,
        token_id=0,
    )


def build(engine: Engine, world: World) -> dict[str, int]:
    """Each licensee: an agreement, an open invoice and a pending notice for it."""
    ids = {"missing": 987_654_321}
    with session_scope(engine) as s:
        for name, caller in (("sme", world.licensee), ("big", world.other_licensee)):
            deal = kit.agreement(s, pool_id=world.pool_id, licensee_id=caller.organisation_id or 0)
            inv = kit.invoice(
                s,
                agreement_id=deal,
                number=f"{name}-Q1",
                usage=(date(2025, 1, 1), date(2025, 4, 1)),
                issued_on=date(2025, 4, 1),
                parts=[(date(2025, 5, 1), 100_00)],
            )
            ids[f"{name}_invoice"] = inv.id or 0
            notice, _ = payment_notices.declare(
                s,
                principal=licensee_principal(caller),
                data=PaymentNoticeCreate(
                    invoice_id=inv.id,
                    reference=f"{name}-TR-1",
                    amount_minor=100_00,
                    paid_on=date(2025, 5, 28),
                ),
                now=kit.NOW,
            )
            ids[f"{name}_notice"] = notice.id or 0
    return ids


def url(case: Case, ids: dict[str, int]) -> str:
    return case.route.replace("{notice_id:int}", str(ids.get(case.on or "", 0)))


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c.label()) for c in POLICY],
)
def test_payment_notice_access(
    client: TestClient, engine: Engine, world: World, case: Case
) -> None:
    ids = build(engine, world)
    for role, expected in case.expected().items():
        response = call_as(client, world, role, case.method, url(case, ids), case.body_for(ids))
        check(response, role, expected)


def test_lists_show_only_the_callers_own(client: TestClient, engine: Engine, world: World) -> None:
    ids = build(engine, world)
    for role, notice in (("licensee", "sme_notice"), ("other_licensee", "big_notice")):
        listed = client.get(NOTICES, headers=world.callers[role].headers).json()
        assert [n["id"] for n in listed["items"]] == [ids[notice]]
        assert listed["total"] == 1
    staff = client.get(NOTICES, headers=world.auditor.headers).json()
    assert {n["id"] for n in staff["items"]} == {ids["sme_notice"], ids["big_notice"]}
