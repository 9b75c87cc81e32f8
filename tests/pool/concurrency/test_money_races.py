"""A licensee's money under concurrency, over real HTTP from real threads, on both databases.

Before payments took the licensee's money lock, ten concurrent payments on one open invoice
allocated to it eight times over: each transaction read the invoice as unpaid. Whatever the
interleaving, no invoice may be allocated more than its total, every ledger entry balances,
and what did not settle an invoice is the licensee's credit."""

from datetime import date
from typing import Any

import httpx
from sqlalchemy import Engine, func
from sqlmodel import select

from pool.db import session_scope
from pool.models.billing import Invoice, Payment, PaymentAllocation
from pool.models.ledger import Posting
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.billing import kit as billing
from tests.pool.billing.bank.test_import import camt053
from tests.pool.concurrency.kit import Call, burst, live_app, statuses
from tests.pool.conftest import World
from tests.pool.reporting.kit import cover, deal, line

API = "/api/v1"
Q1 = (date(2025, 1, 1), date(2025, 4, 1))
# generous bounds: these tests are about correctness, the 503 path has its own tests
PATIENT = {"db_lock_timeout_ms": 60_000, "db_wait_seconds": 60.0}


def _open_invoice(engine: Engine, world: World, total: int) -> int:
    with session_scope(engine) as s:
        deal_id = billing.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        invoice = billing.invoice(
            s,
            agreement_id=deal_id,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), total)],
        )
        return invoice.id or 0


def _payment(world: World, reference: str, amount: int) -> Call:
    body = {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": reference,
        "amount_minor": amount,
        "currency": "USD",
        "received_on": "2025-05-02",
    }
    url = f"{API}/pools/{world.pool_id}/payments"
    return lambda client: client.post(url, json=body, headers=world.admin.headers)


def _allocated(engine: Engine) -> dict[int, tuple[int, int, str]]:
    """Per invoice: (allocated, total, status)."""
    with session_scope(engine) as s:
        sums = dict(
            s.exec(
                select(
                    PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount_minor)
                ).group_by(PaymentAllocation.invoice_id)
            ).all()
        )
        return {
            inv.id or 0: (int(sums.get(inv.id, 0) or 0), inv.total_minor, inv.status)
            for inv in s.exec(select(Invoice)).all()
        }


def _books(engine: Engine, world: World) -> dict[str, int]:
    """The licensee's balances; and every journal entry must balance."""
    with session_scope(engine) as s:
        unbalanced = s.exec(
            select(Posting.entry_id)
            .group_by(Posting.entry_id)
            .having(func.sum(Posting.amount_minor) != 0)
        ).all()
        assert unbalanced == [], f"journal entries that do not balance: {unbalanced}"
        return billing.balances(s, world.licensee.organisation_id or 0)


def test_fifty_concurrent_payments_settle_an_invoice_once_and_the_rest_is_credit(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    invoice_id = _open_invoice(engine, world, 1000_00)
    calls = [_payment(world, f"BANK-{k}", 100_00) for k in range(50)]
    with live_app(settings, engine, clock, **PATIENT) as url:
        responses = burst(url, calls)
    assert statuses(responses) == {201: 50}
    assert _allocated(engine)[invoice_id] == (1000_00, 1000_00, "paid")
    books = _books(engine, world)
    assert books["licensee_credit"] == -(50 * 100_00 - 1000_00)
    assert books.get("receivable", 0) == 0
    # each payment says what it settled: together exactly the invoice
    settled = sum(a["amount_minor"] for r in responses for a in r.json()["allocations"])
    assert settled == 1000_00


def test_payments_racing_a_write_off_never_settle_what_was_written_off(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    invoice_id = _open_invoice(engine, world, 1000_00)
    write_off: Call = lambda client: client.post(  # noqa: E731
        f"{API}/invoices/{invoice_id}/write-off",
        json={"on": "2025-05-02", "reason": "licensee insolvent"},
        headers=world.admin.headers,
    )
    calls = [_payment(world, f"BANK-{k}", 70_00) for k in range(20)]
    calls.insert(7, write_off)
    with live_app(settings, engine, clock, **PATIENT) as url:
        responses = burst(url, calls)
    off = responses.pop(7)
    assert statuses(responses) == {201: 20}
    allocated, total, status = _allocated(engine)[invoice_id]
    assert allocated <= total
    if off.status_code == 200:  # written off with what was still owed at that moment
        assert status == "written_off"
        assert allocated + off.json()["amount_minor"] == total
    else:  # the payments had already paid it in full
        assert off.status_code == 409, off.text
        assert (allocated, status) == (total, "paid")
    books = _books(engine, world)
    assert books["licensee_credit"] == -(20 * 70_00 - allocated)
    assert books.get("receivable", 0) == 0


def test_payments_racing_a_report_correction_settle_only_the_live_invoice(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    terms: dict[str, Any] = {
        "terms_version": "v1",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [{"category": "mobile", "tiers": [{"from_units": 0, "rate": "1.00"}]}],
    }
    cover(engine, world, "CN", date(2020, 1, 1))
    d = deal(engine, world, royalty=terms)
    mobile = d.products["mobile"]
    with live_app(settings, engine, clock, **PATIENT) as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            first = client.post(
                f"{API}/agreements/{d.agreement_id}/reports",
                json={"period_start": "2025-01-01", "lines": [line(mobile, 1000)]},
                headers=world.licensee.headers,
            )
            assert first.status_code == 201, first.text
        correction: Call = lambda client: client.post(  # noqa: E731
            f"{API}/reports/{first.json()['id']}/correction",
            json={"lines": [line(mobile, 600)]},
            headers=world.licensee.headers,
        )
        calls = [_payment(world, f"BANK-{k}", 150_00) for k in range(8)]
        calls.insert(3, correction)
        responses = burst(url, calls)
    corrected = responses.pop(3)
    assert corrected.status_code == 201, corrected.text
    assert statuses(responses) == {201: 8}
    invoices = _allocated(engine)
    for allocated, total, status in invoices.values():
        assert allocated <= total
        if status == "cancelled":  # what it had settled was released as credit
            assert allocated == 0
    live = [v for v in invoices.values() if v[2] != "cancelled"]
    assert live == [(600_00, 600_00, "paid")]
    books = _books(engine, world)
    assert books["licensee_credit"] == -(8 * 150_00 - 600_00)
    assert books.get("receivable", 0) == 0


def test_licensees_reporting_at_once_all_get_invoices_numbered_without_gaps(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    """Each report's invoice takes the pool's next number; two issued at once used to take
    the same one, and the second report was refused (409)."""
    terms: dict[str, Any] = {
        "terms_version": "v1",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [{"category": "mobile", "tiers": [{"from_units": 0, "rate": "1.00"}]}],
    }
    cover(engine, world, "CN", date(2020, 1, 1))
    deals = [deal(engine, world, royalty=terms, caller=c) for c in ("licensee", "other_licensee")]
    calls: list[Call] = []
    for d in deals:
        headers = world.callers[d.caller].headers
        for quarter in ("2025-01-01", "2025-04-01"):
            body = {"period_start": quarter, "lines": [line(d.products["mobile"], 100)]}
            url = f"{API}/agreements/{d.agreement_id}/reports"
            calls.append(lambda c, u=url, b=body, h=headers: c.post(u, json=b, headers=h))
    with live_app(settings, engine, clock, **PATIENT) as url:
        responses = burst(url, calls)
    assert statuses(responses) == {201: 4}, [r.text for r in responses if r.status_code != 201]
    with session_scope(engine) as s:
        numbers = sorted(s.exec(select(Invoice.number)).all())
    assert numbers == [f"INV-{n:06d}" for n in range(1, len(numbers) + 1)]
    assert len(numbers) >= 4


def test_overlapping_bank_statements_uploaded_at_once_record_each_credit_once(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    """Eight statements, each repeating the entries of the one before, uploaded together:
    every entry new to one of them, none recorded twice, the invoice allocated at most once."""
    invoice_id = _open_invoice(engine, world, 1000_00)
    entries = [(f"B-{k}", "2025-05-02", 250_00, "Q1 INV-000001", "SME L") for k in range(9)]
    with session_scope(engine) as s:  # the open invoice's number, as a licensee would quote it
        invoice = s.get(Invoice, invoice_id)
        assert invoice is not None
        invoice.number = "INV-000001"
        s.add(invoice)
    url_of = f"{API}/pools/{world.pool_id}/bank-statements"
    headers = {**world.admin.headers, "Content-Type": "application/octet-stream"}
    calls: list[Call] = [
        (lambda client, body=camt053(entries[k : k + 2]): client.post(url_of, content=body,
                                                                      headers=headers))
        for k in range(8)
    ]  # fmt: skip
    with live_app(settings, engine, clock, **PATIENT) as url:
        responses = burst(url, calls)
    assert statuses(responses) == {201: 8}, [r.text for r in responses]
    assert sum(r.json()["matched"] for r in responses) == 9  # each of the 9 entries once
    assert sum(r.json()["seen_before"] for r in responses) == 16 - 9
    assert _allocated(engine)[invoice_id] == (1000_00, 1000_00, "paid")
    books = _books(engine, world)
    assert books["licensee_credit"] == -(9 * 250_00 - 1000_00)


def test_two_administrators_deciding_one_waiting_credit_at_once_record_it_once(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    _open_invoice(engine, world, 1000_00)
    with session_scope(engine) as s:
        billing.agreement(
            s, pool_id=world.pool_id, licensee_id=world.other_licensee.organisation_id or 0
        )
    with live_app(settings, engine, clock, **PATIENT) as url:
        imported = httpx.post(
            f"{url}{API}/pools/{world.pool_id}/bank-statements",
            content=camt053([("W-1", "2025-05-02", 400_00, "no reference", "Somebody")]),
            headers=world.admin.headers,
        )
        assert imported.status_code == 201, imported.text
        credit_id = imported.json()["credit_ids"][0]
        decide = f"{API}/bank-credits/{credit_id}"
        calls: list[Call] = [
            (lambda client, who=who: client.post(f"{decide}/assign",
                                                  json={"licensee_organisation_id": who},
                                                  headers=world.admin.headers))
            for who in [world.licensee.organisation_id, world.other_licensee.organisation_id] * 3
        ]  # fmt: skip
        calls.append(lambda client: client.post(f"{decide}/dismiss", json={"note": "interest"},
                                                headers=world.admin.headers))  # fmt: skip
        responses = burst(url, calls)
    codes = statuses(responses)
    assert set(codes) <= {200, 409}, [r.text for r in responses]
    winners = {r.json()["licensee_organisation_id"] for r in responses if r.status_code == 200}
    assert len(winners) == 1  # one decision; the same one repeated is a 200, another a 409
    with session_scope(engine) as s:
        recorded = s.exec(select(func.count()).select_from(Payment)).one()
        assert recorded == (0 if winners == {None} else 1)
