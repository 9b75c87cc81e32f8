"""A late report or a correction of an earlier period of a year re-charges the later periods
already invoiced: their invoices are cancelled (reversed, payments released) and issued again
in order, so tiers, the free allowance and the annual cap see the changed period. The later
reports stay as they are. Each result is checked against a one-shot chronological charging:
the other licensee sends the final reports in order on the same terms (neither terms set has
a discount, so the licensees' profiles do not matter).

Amounts are US cents; every invoice is issued on 10 October 2025 (net 30 days)."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.db import session_scope
from pool.models.billing import Invoice, PaymentAllocation
from pool.models.ledger import Posting
from pool.models.user import Role
from pool.services.billing import dues, ledger
from pool.services.reports import checks as report_checks
from tests.conftest import PG_URL, FakeClock
from tests.pool.conftest import World
from tests.pool.reporting.kit import API, Deal, count, cover, deal, invoice_of, line, priced, submit

TIERS_ALLOWANCE_CAP = {
    "terms_version": "tiers",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {
            "category": "mobile",
            "basis": "per_unit",
            "tiers": [{"from_units": 0, "rate": "0.50"}, {"from_units": 200000, "rate": "0.30"}],
        }
    ],
    "free_units_per_year": 100000,
    "annual_cap_minor": 12000000,
}
FLAT = {
    "terms_version": "flat",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "0.50"}],
}
Q1, Q2, Q3 = "2025-01-01", "2025-04-01", "2025-07-01"


@pytest.fixture(autouse=True)
def october(clock: FakeClock, engine: Engine, world: World) -> None:
    clock.now = datetime(2025, 10, 10, 9, 0, tzinfo=UTC)
    cover(engine, world, "CN", date(2020, 1, 1))


def deals(engine: Engine, world: World, terms: dict[str, Any], **payment: Any) -> list[Deal]:
    """The licensee's agreement and the other licensee's (the one-shot reference)."""
    terms_of = payment or {"net_days": 30}
    return [
        deal(engine, world, royalty=terms, payment=terms_of),
        deal(engine, world, royalty=terms, payment=terms_of, caller="other_licensee"),
    ]


def correct(
    client: TestClient, world: World, report_id: int, lines: list[Any], key: str | None = None
) -> Any:
    headers = dict(world.licensee.headers)
    if key:
        headers["Idempotency-Key"] = key
    return client.post(
        f"{API}/reports/{report_id}/correction", json={"lines": lines}, headers=headers
    )


def live_invoices(client: TestClient, world: World, d: Deal) -> list[dict[str, Any]]:
    """The agreement's invoices that are not cancelled, by usage period, with lines."""
    listed = client.get(
        f"{API}/invoices", params={"agreement_id": d.agreement_id}, headers=world.admin.headers
    ).json()["items"]
    live = sorted((x for x in listed if x["status"] != "cancelled"), key=lambda x: x["usage_start"])
    return [
        client.get(f"{API}/invoices/{x['id']}", headers=world.admin.headers).json() for x in live
    ]


def charged(invoices: list[dict[str, Any]]) -> list[tuple[str, Any, Any, Any]]:
    """What an invoice charges, whoever it is for: period, lines, total and due parts."""
    return [(x["usage_start"], priced(x), x["total_minor"], x["instalments"]) for x in invoices]


def one_shot(client: TestClient, world: World, d: Deal, reports: list[tuple[str, int, int]]) -> Any:
    """The reference: the final reports sent in chronological order, nothing corrected."""
    for period, units, net in reports:
        r = submit(client, world, d, period, [line(d.products["mobile"], units, net=net)])
        assert r.status_code == 201, r.text
    return charged(live_invoices(client, world, d))


def paid(engine: Engine, invoice_id: int) -> int:
    with Session(engine) as s:
        total = s.exec(
            select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0)).where(
                PaymentAllocation.invoice_id == invoice_id
            )
        ).one()
    return int(total)


def books(engine: Engine, world: World) -> dict[str, int]:
    """The licensee's balances; every entry and the pool's trial balance sum to zero."""
    with Session(engine) as s:
        per_entry = s.exec(
            select(Posting.entry_id, func.sum(Posting.amount_minor)).group_by(col(Posting.entry_id))
        ).all()
        assert all(total == 0 for _, total in per_entry)
        assert sum(b for _, _, b in ledger.trial_balance(s, pool_id=world.pool_id)) == 0
        found = ledger.licensee_balances(
            s, pool_id=world.pool_id, licensee_organisation_id=world.licensee.organisation_id or 0
        )
    return {k: v for k, v in found.items() if v}


def pay(client: TestClient, world: World, reference: str, amount: int, on: str) -> None:
    body = {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": reference,
        "amount_minor": amount,
        "currency": "USD",
        "received_on": on,
    }
    r = client.post(f"{API}/pools/{world.pool_id}/payments", json=body, headers=world.admin.headers)
    assert r.status_code == 201, r.text


def actions(client: TestClient, world: World, **query: Any) -> list[str]:
    r = client.get(f"{API}/audit", params={"limit": 200, **query}, headers=world.admin.headers)
    assert r.status_code == 200, r.text
    return [x["action"] for x in r.json()["items"]]


def test_correcting_q1_re_charges_q2_and_q3_as_one_chronological_charging_would(
    client: TestClient, world: World, engine: Engine
) -> None:
    mine, reference = deals(engine, world, TIERS_ALLOWANCE_CAP)
    mobile = mine.products["mobile"]
    # quarter  units    charged first (cents)               after Q1 is corrected to 160,000
    # Q1        60,000  all free                   0        100,000 free + 60,000 x 0.50
    #                                                         = 3,000,000
    # Q2        90,000  40,000 free + 50,000 x 0.50  2,500,000  40,000 x 0.50 + 50,000 x 0.30
    #                                                         = 3,500,000
    # Q3       250,000  50,000 x 0.50 + 200,000 x 0.30        250,000 x 0.30 = 7,500,000, cut
    #                   = 8,500,000 (cap not reached)         to the 12,000,000 cap: 5,500,000
    receipts = [
        submit(client, world, mine, q, [line(mobile, u)])
        for q, u in ((Q1, 60000), (Q2, 90000), (Q3, 250000))
    ]
    first = [invoice_of(client, world, r) for r in receipts]
    assert [x["total_minor"] for x in first] == [0, 2500000, 8500000]
    # Q2 in full, and 2,500,000 of Q3 although it is not due yet (paying early is paying)
    pay(client, world, "BANK-1", 5000000, "2025-10-10")
    assert [paid(engine, x["id"]) for x in first] == [0, 2500000, 2500000]
    assert "licensee_credit" not in books(engine, world)
    audit_before = count(client, world, "audit")

    r = correct(client, world, receipts[0].json()["id"], [line(mobile, 160000)])
    assert r.status_code == 201, r.text
    new_events = actions(client, world)[: count(client, world, "audit") - audit_before]

    after = live_invoices(client, world, mine)
    assert [x["total_minor"] for x in after] == [3000000, 3500000, 5500000]
    assert priced(after[2]) == [("per_unit", 250000, 5500000)]
    assert "cap" in after[2]["lines"][0]["explanation"]
    assert charged(after) == one_shot(
        client, world, reference, [(Q1, 160000, 0), (Q2, 90000, 0), (Q3, 250000, 0)]
    )
    # the later reports are the same rows, still current, now pointing at their new invoices
    for receipt, invoice in zip(receipts[1:], after[1:], strict=True):
        report = client.get(f"{API}/reports/{receipt.json()['id']}", headers=world.admin.headers)
        assert (report.json()["status"], report.json()["invoice_id"]) == ("accepted", invoice["id"])
        assert invoice["report_id"] == receipt.json()["id"]
    old = [
        client.get(f"{API}/invoices/{x['id']}", headers=world.admin.headers).json() for x in first
    ]
    assert [x["status"] for x in old] == ["cancelled"] * 3
    assert [paid(engine, x["id"]) for x in old] == [0, 0, 0]  # released, not stranded
    # the 5,000,000 settle again, oldest first: Q1 in full, 2,000,000 of Q2; Q3 is not due
    assert [paid(engine, x["id"]) for x in after] == [3000000, 2000000, 0]
    assert books(engine, world) == {
        "receivable": 1500000,
        "deferred_receivable": 5500000,
        "royalty_revenue": -12000000,
        "cash": 5000000,
    }
    payment = client.get(f"{API}/payments", headers=world.licensee.headers).json()["items"][0]
    assert [(a["invoice_id"], a["amount_minor"]) for a in payment["allocations"]] == [
        (first[1]["id"], 2500000),
        (first[2]["id"], 2500000),
        (first[1]["id"], -2500000),
        (first[2]["id"], -2500000),
        (after[0]["id"], 3000000),
        (after[1]["id"], 2000000),
    ]
    assert sorted(set(new_events)) == [
        "invoice.cancelled",
        "invoice.issued",
        "invoice.paid",
        "invoice.payments_released",
        "payment.credit_applied",
        "payment_allocation.made",
        "payment_allocation.released",
        "usage_report.corrected",
        "usage_report.recharged",
        "usage_report.superseded",
    ]
    # each allocation row written is audited with its row: one released, two made
    assert (
        new_events.count("payment_allocation.released") == 2
    )  # from Q2 and from Q3, each paid 2,500,000
    assert new_events.count("payment_allocation.made") == 2
    assert new_events.count("invoice.paid") == 1  # the new Q1 invoice, settled in full
    assert new_events.count("invoice.cancelled") == 3
    assert new_events.count("invoice.issued") == 3
    assert new_events.count("usage_report.recharged") == 2
    assert client.get(f"{API}/audit/verify", headers=world.admin.headers).json()["ok"] is True


def test_a_late_first_report_of_an_earlier_period_is_taken_and_re_charges_later_ones(
    client: TestClient, world: World, engine: Engine
) -> None:
    mine, reference = deals(engine, world, TIERS_ALLOWANCE_CAP)
    mobile = mine.products["mobile"]
    for q, units in ((Q2, 90000), (Q3, 250000)):  # Q1 never reported
        assert submit(client, world, mine, q, [line(mobile, units)]).status_code == 201
    # Q2: 90,000 free of 100,000; Q3: 10,000 free, 100,000 x 0.50, 140,000 x 0.30
    assert [x["total_minor"] for x in live_invoices(client, world, mine)] == [0, 9200000]
    late = client.post(
        f"{API}/agreements/{mine.agreement_id}/reports/import",
        params={"period_start": Q1},
        content=f"product_id,country_of_manufacture,country_of_sale,units,net_sales_minor\n"
        f"{mobile},CN,US,160000,0\n",
        headers={**world.licensee.headers, "Content-Type": "text/csv"},
    )
    assert late.status_code == 201, late.text
    after = live_invoices(client, world, mine)
    assert [x["total_minor"] for x in after] == [3000000, 3500000, 5500000]
    assert charged(after) == one_shot(
        client, world, reference, [(Q1, 160000, 0), (Q2, 90000, 0), (Q3, 250000, 0)]
    )
    assert count(client, world, "reports") == 6  # 3 each, none superseded
    assert books(engine, world) == {
        "receivable": 6500000,  # Q1 and Q2 were due on 1 May and 31 July
        "deferred_receivable": 5500000,
        "royalty_revenue": -12000000,
    }
    assert actions(client, world, entity_type="usage_report").count("usage_report.recharged") == 2


def test_a_retried_correction_with_the_same_key_re_charges_nothing_twice(
    client: TestClient, world: World, engine: Engine
) -> None:
    mine, _ = deals(engine, world, TIERS_ALLOWANCE_CAP)
    mobile = mine.products["mobile"]
    receipts = [
        submit(client, world, mine, q, [line(mobile, u)])
        for q, u in ((Q1, 60000), (Q2, 90000), (Q3, 250000))
    ]
    first = correct(client, world, receipts[0].json()["id"], [line(mobile, 160000)], key="fix-q1")
    assert first.status_code == 201, first.text
    state = [count(client, world, x) for x in ("reports", "invoices", "audit", "payments")]
    balances = books(engine, world)
    retry = correct(client, world, receipts[0].json()["id"], [line(mobile, 160000)], key="fix-q1")
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert [count(client, world, x) for x in ("reports", "invoices", "audit", "payments")] == state
    assert books(engine, world) == balances
    assert [x["total_minor"] for x in live_invoices(client, world, mine)] == [
        3000000,
        3500000,
        5500000,
    ]


def test_a_written_off_later_invoice_that_would_change_refuses_the_whole_correction(
    client: TestClient, world: World, engine: Engine
) -> None:
    mine, _ = deals(engine, world, TIERS_ALLOWANCE_CAP)
    mobile = mine.products["mobile"]
    receipts = [
        submit(client, world, mine, q, [line(mobile, u)])
        for q, u in ((Q1, 60000), (Q2, 90000), (Q3, 250000))
    ]
    q2_invoice = receipts[1].json()["invoice_id"]
    off = client.post(
        f"{API}/invoices/{q2_invoice}/write-off",
        json={"on": "2025-10-01", "reason": "insolvent"},
        headers=world.admin.headers,
    )
    assert off.status_code == 200, off.text
    state = [count(client, world, x) for x in ("reports", "invoices", "audit")]
    balances = books(engine, world)
    with Session(engine) as s:
        invoices_before = [(i.id, i.status) for i in s.exec(select(Invoice)).all()]
    r = correct(client, world, receipts[0].json()["id"], [line(mobile, 160000)])
    assert r.status_code == 409, r.text
    assert "written off" in r.json()["detail"]
    assert "2025-04-01" in r.json()["detail"]
    # all or nothing: Q1 was already superseded and re-invoiced, Q3 cancelled, in the same
    # transaction, and all of it was rolled back
    assert [count(client, world, x) for x in ("reports", "invoices", "audit")] == state
    assert books(engine, world) == balances
    with Session(engine) as s:
        assert [(i.id, i.status) for i in s.exec(select(Invoice)).all()] == invoices_before
    q1 = client.get(f"{API}/reports/{receipts[0].json()['id']}", headers=world.admin.headers)
    assert q1.json()["status"] == "accepted"


def test_at_a_flat_rate_the_later_invoices_are_kept(
    client: TestClient, world: World, engine: Engine
) -> None:
    mine, _ = deals(engine, world, FLAT)
    mobile = mine.products["mobile"]
    receipts = [submit(client, world, mine, q, [line(mobile, 1000)]) for q in (Q1, Q2, Q3)]
    later_ids = [r.json()["invoice_id"] for r in receipts[1:]]
    r = correct(client, world, receipts[0].json()["id"], [line(mobile, 400)])
    assert r.status_code == 201, r.text
    after = live_invoices(client, world, mine)
    assert [x["total_minor"] for x in after] == [20000, 50000, 50000]
    assert [x["id"] for x in after[1:]] == later_ids  # identical on re-charge: not re-issued
    assert "usage_report.recharged" not in actions(client, world)


def test_under_a_revenue_threshold_the_later_due_dates_move_with_the_corrected_sales(
    client: TestClient, world: World, engine: Engine, clock: FakeClock
) -> None:
    threshold = {"net_days": 30, "revenue_threshold": {"threshold_minor": 100000000}}
    mine, reference = deals(engine, world, FLAT, **threshold)
    mobile = mine.products["mobile"]
    sales = [(Q1, 1000, 60000000), (Q2, 1000, 30000000), (Q3, 1000, 60000000)]
    receipts = [submit(client, world, mine, q, [line(mobile, u, net=net)]) for q, u, net in sales]
    # net sales reach 1,000,000.00 only with Q3: all three fall due 30 days after 1 October
    before = live_invoices(client, world, mine)
    assert [x["due_on"] for x in before] == ["2025-10-31"] * 3
    r = correct(client, world, receipts[0].json()["id"], [line(mobile, 1000, net=80000000)])
    assert r.status_code == 201, r.text
    after = live_invoices(client, world, mine)
    # now reached with Q2: Q1 and Q2 due 30 days after 1 July, Q3 30 days after 1 October
    assert [x["due_on"] for x in after] == ["2025-07-31", "2025-07-31", "2025-10-31"]
    assert [x["total_minor"] for x in after] == [50000] * 3  # amounts unchanged, dates not
    assert charged(after) == one_shot(
        client, world, reference, [(Q1, 1000, 80000000), (Q2, 1000, 30000000), (Q3, 1000, 60000000)]
    )
    # Q1's new invoice was held when issued (Q2 and Q3 were cancelled) and dated 31 July
    # when Q2's reached the threshold: before its issue date, so receivable at once
    assert books(engine, world) == {
        "receivable": 100000,
        "deferred_receivable": 50000,
        "royalty_revenue": -150000,
    }
    with session_scope(engine) as s:  # the daily job moves only the two Q3 invoices
        assert (
            dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2025, 11, 1), now=clock.now)
            == 2
        )
    assert books(engine, world) == {"receivable": 150000, "royalty_revenue": -150000}


@pytest.mark.skipif(not PG_URL, reason="the per-licensee lock is PostgreSQL's")
def test_on_postgresql_one_licensee_s_reports_are_charged_one_request_at_a_time(
    world: World, engine: Engine
) -> None:
    mine, theirs = deals(engine, world, FLAT)

    def check(s: Session, d: Deal) -> None:
        caller = world.callers[d.caller]
        who = Principal(
            user_id=caller.user_id,
            email=f"{d.caller}@example.org",
            role=Role.LICENSEE,
            organisation_id=caller.organisation_id,
            token_id=0,
        )
        report_checks.target(
            s,
            principal=who,
            agreement_id=d.agreement_id,
            period_start=date(2025, 1, 1),
            today=date(2025, 10, 10),
        )

    with Session(engine) as first, Session(engine) as second:
        check(first, mine)  # holds the licensee's lock until its transaction ends
        second.execute(text("SET LOCAL lock_timeout = '300ms'"))
        check(second, theirs)  # another licensee is not held up
        with pytest.raises(OperationalError, match="lock timeout"):
            check(second, mine)
        second.rollback()
        first.rollback()
        check(second, mine)  # free once the first transaction is over
        second.rollback()
