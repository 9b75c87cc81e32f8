"""What an invoice page says about when it is due and what is paid (issue 15): an invoice paid
before its due date reads paid at once; an invoice issued after its contractual due date (a late
report) says so, and that late interest runs from that date."""

from datetime import date

from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from tests.pool.billing import kit
from tests.web.conftest import World, sign_in


def invoice(engine: Engine, world: World, *, issued_on: date, due_on: date) -> int:
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        made = kit.invoice(
            s,
            agreement_id=deal,
            number="INV-000021",
            usage=(date(2025, 1, 1), date(2025, 4, 1)),
            issued_on=issued_on,
            parts=[(due_on, 300_00)],
        )
        return made.id or 0


def test_an_invoice_paid_before_its_due_date_reads_paid_at_once(
    client: TestClient, engine: Engine, world: World
) -> None:
    invoice_id = invoice(engine, world, issued_on=date(2025, 4, 1), due_on=date(2025, 10, 1))
    with session_scope(engine) as s:
        kit.pay(s, world, reference="EARLY-1", amount_minor=300_00, on=date(2025, 5, 2))
    sign_in(client, "sme@example.org")
    page = client.get(f"/licensee/invoices/{invoice_id}").text
    assert '<tr data-state="paid">' in page
    assert 'data-outstanding="0"' in page
    assert "How to pay" not in page
    account = client.get("/licensee/account").text
    assert 'data-balance="0"' in account
    assert 'Your credit with the pool</dt><dd><span class="num">$0.00' in account


def test_a_late_reports_invoice_names_its_contractual_due_date_and_interest_from_it(
    client: TestClient, engine: Engine, world: World
) -> None:
    # the clock reads 2 June 2025; due 1 May under the terms, issued 1 June
    invoice_id = invoice(engine, world, issued_on=date(2025, 6, 1), due_on=date(2025, 5, 1))
    sign_in(client, "sme@example.org")
    page = client.get(f"/licensee/invoices/{invoice_id}").text
    assert (
        "Under your agreement's payment terms this invoice fell due on May 1, 2025. It was "
        "issued on Jun 1, 2025 because the usage report came in after that date"
    ) in page
    assert "late interest runs from May 1, 2025, the contractual due date" in page
    assert "$300.00 was due on May 1, 2025 (32 days late)" in page
