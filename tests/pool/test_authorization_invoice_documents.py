"""Who may call the routes of invoices a finance department can pay: the pool's payee, a
licensee's fapiao details and the invoice document. Statuses per role, in the order of
`ROLES` (see test_authorization.py):

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Administrators set the payee and staff read it; licensees read it only on their invoices
(the payee route: 404). A licensee keeps its own fapiao details, staff read them (and may not
change them: 403), anyone else finds none (404). The invoice document is the licensee's own
and every one for staff. A refused write changes nothing (no audit event)."""

from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from pool.db import session_scope
from pool.models.audit import AuditEvent
from tests.pool.authorization_table import API, Case, call_as, check
from tests.pool.billing import kit as billing
from tests.pool.conftest import World
from tests.pool.invoice_documents.kit import FAPIAO, PAYEE

PAYEE_ROUTE = f"{API}/pools/{{pool_id:int}}/payee"
FAPIAO_ROUTE = f"{API}/organisations/{{organisation_id:int}}/fapiao"
DOCUMENT = f"{API}/invoices/{{invoice_id:int}}/document"
BIG_FAPIAO = {**FAPIAO, "buyer_name": "Big M Ltd", "uscc": "91110108MA01234537"}

# fmt: off
POLICY = [
    Case("GET", PAYEE_ROUTE, "pool", "401 200 200 404 404 404 404 404"),
    Case("GET", PAYEE_ROUTE, "missing", "401 404 404 404 404 404 404 404"),
    Case("PUT", PAYEE_ROUTE, "pool", "401 200 403 403 403 403 403 403", PAYEE),
    Case("PUT", PAYEE_ROUTE, "missing", "401 404 403 403 403 403 403 403", PAYEE),
    Case("GET", FAPIAO_ROUTE, "sme", "401 200 200 404 404 200 404 404"),
    Case("GET", FAPIAO_ROUTE, "big", "401 200 200 404 404 404 200 404"),
    Case("GET", FAPIAO_ROUTE, "uni", "401 200 200 404 404 404 404 404"),  # none: null
    Case("GET", FAPIAO_ROUTE, "missing", "401 404 404 404 404 404 404 404"),
    Case("PUT", FAPIAO_ROUTE, "sme", "401 403 403 404 404 200 404 404", FAPIAO),
    Case("PUT", FAPIAO_ROUTE, "big", "401 403 403 404 404 404 200 404", BIG_FAPIAO),
    Case("PUT", FAPIAO_ROUTE, "uni", "401 403 403 404 404 404 404 404", FAPIAO),
    Case("PUT", FAPIAO_ROUTE, "missing", "401 404 404 404 404 404 404 404", FAPIAO),
    Case("GET", DOCUMENT, "sme_invoice", "401 200 200 404 404 200 404 404"),
    Case("GET", DOCUMENT, "big_invoice", "401 200 200 404 404 404 200 404"),
    Case("GET", DOCUMENT, "sme_invoice", "401 200 200 404 404 200 404 404", query="format=pdf"),
    Case("GET", DOCUMENT, "missing", "401 404 404 404 404 404 404 404", query="format=pdf"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def build(client: TestClient, engine: Engine, world: World) -> dict[str, int]:
    """The pool's payee; each licensee its fapiao details and an invoice."""
    ids = {
        "pool": world.pool_id,
        "missing": 987_654_321,
        "uni": world.contributor.organisation_id or 0,
        "sme": world.licensee.organisation_id or 0,
        "big": world.other_licensee.organisation_id or 0,
    }
    with session_scope(engine) as s:
        for name in ("sme", "big"):
            deal = billing.agreement(s, pool_id=world.pool_id, licensee_id=ids[name])
            invoice = billing.invoice(
                s,
                agreement_id=deal,
                number=f"{name.upper()}-Q1",
                usage=(date(2025, 1, 1), date(2025, 4, 1)),
                issued_on=date(2025, 4, 1),
                parts=[(date(2025, 5, 1), 100_00)],
            )
            ids[f"{name}_invoice"] = invoice.id or 0
    assert (
        client.put(
            f"{API}/pools/{world.pool_id}/payee", json=PAYEE, headers=world.admin.headers
        ).status_code
        == 200
    )
    for name, caller, body in (
        ("sme", world.licensee, FAPIAO),
        ("big", world.other_licensee, BIG_FAPIAO),
    ):
        saved = client.put(
            f"{API}/organisations/{ids[name]}/fapiao", json=body, headers=caller.headers
        )
        assert saved.status_code == 200, saved.text
    return ids


def url(case: Case, ids: dict[str, int]) -> str:
    path = case.route
    for param in ("pool_id", "organisation_id", "invoice_id"):
        path = path.replace(f"{{{param}:int}}", str(ids.get(case.on or "", 0)))
    return f"{path}?{case.query}" if case.query else path


def audit_events(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(AuditEvent)).one())


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_invoice_document_access(
    client: TestClient, engine: Engine, world: World, case: Case
) -> None:
    ids = build(client, engine, world)
    for role, expected in case.expected().items():
        before = audit_events(engine)
        body: Any = case.body_for(ids)
        check(call_as(client, world, role, case.method, url(case, ids), body), role, expected)
        if case.method == "PUT" and expected >= 400:
            assert audit_events(engine) == before, role  # a refused write changes nothing
