"""Corrections supersede (old report kept, old invoice cancelled and reversed, new invoice);
nil reports; an Idempotency-Key makes a retried submission change nothing."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from pool.db import session_scope
from pool.services.billing import dues, ledger
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.reporting.kit import (
    API,
    Deal,
    balances,
    count,
    cover,
    deal,
    invoice_of,
    line,
    priced,
    submit,
)

TERMS = {
    "terms_version": "v1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {
            "category": "mobile",
            "tiers": [{"from_units": 0, "rate": "0.35"}, {"from_units": 500, "rate": "0.2"}],
        },
        {"category": "PC", "basis": "percent_of_net_sales", "percent": "3.3"},
    ],
    "free_units_per_year": 50,
    "discounts": {"order": ["sme"], "sme": {"small": "0.7"}},
}


@pytest.fixture
def d(engine: Engine, world: World) -> Deal:
    cover(engine, world, "CN", date(2020, 1, 1))
    return deal(engine, world, royalty=TERMS)


def test_a_correction_supersedes_and_reissues(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    mobile = d.products["mobile"]
    first = submit(client, world, d, "2025-01-01", [line(mobile, 1050)])
    old_invoice = invoice_of(client, world, first)
    r = client.post(
        f"{API}/reports/{first.json()['id']}/correction",
        json={"lines": [line(mobile, 550)]},
        headers=world.licensee.headers,
    )
    new_invoice = invoice_of(client, world, r)
    assert r.json()["supersedes_id"] == first.json()["id"]
    old = client.get(f"{API}/reports/{first.json()['id']}", headers=world.licensee.headers).json()
    assert old["status"] == "superseded"
    assert old["lines"][0]["units"] == 1050
    old_invoice = client.get(
        f"{API}/invoices/{old_invoice['id']}", headers=world.admin.headers
    ).json()
    assert old_invoice["status"] == "cancelled"
    assert balances(engine, old_invoice["id"]) == {}  # issued and reversed
    # 50 free, then 450 at 0.35 x 0.7 and 50 at 0.2 x 0.7
    assert priced(new_invoice) == [
        ("free_allowance", 50, 0),
        ("per_unit", 450, 11025),
        ("per_unit", 50, 700),
    ]
    assert balances(engine, new_invoice["id"]) == {"receivable": 11725, "royalty_revenue": -11725}
    again = client.post(
        f"{API}/reports/{first.json()['id']}/correction",
        json={"lines": []},
        headers=world.licensee.headers,
    )
    assert again.status_code == 409
    actions = client.get(
        f"{API}/audit", params={"entity_type": "usage_report"}, headers=world.admin.headers
    ).json()["items"]
    assert {a["action"] for a in actions} == {
        "usage_report.accepted",
        "usage_report.superseded",
        "usage_report.corrected",
    }


def test_a_nil_report_is_a_report_without_an_invoice(
    client: TestClient, world: World, d: Deal
) -> None:
    r = client.post(
        f"{API}/agreements/{d.agreement_id}/reports/nil",
        json={"period_start": "2025-01-01"},
        headers=world.licensee.headers,
    )
    assert r.status_code == 201, r.text
    assert (r.json()["is_nil"], r.json()["invoice_id"], r.json()["line_count"]) == (True, None, 0)
    assert count(client, world, "invoices") == 0
    twice = client.post(
        f"{API}/agreements/{d.agreement_id}/reports/nil",
        json={"period_start": "2025-01-01"},
        headers=world.licensee.headers,
    )
    assert twice.status_code == 409


def test_a_retry_with_the_same_key_replays_and_changes_nothing(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    lines = [line(d.products["mobile"], 700)]
    first = submit(client, world, d, "2025-01-01", lines, key="q1-2025")
    after_first = [count(client, world, x) for x in ("reports", "invoices", "audit")]
    retry = submit(client, world, d, "2025-01-01", lines, key="q1-2025")
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert [count(client, world, x) for x in ("reports", "invoices", "audit")] == after_first
    other = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 1)], key="q1-2025")
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    # keys are per user: the administrator's "q1-2025" is a different key
    admin = submit(client, world, d, "2025-01-01", lines, key="q1-2025", caller="admin")
    assert admin.status_code == 409  # a real second submission: the period is taken
    assert [count(client, world, x) for x in ("reports", "invoices", "audit")] == after_first


def test_a_failed_request_stores_no_key_so_the_retry_runs(
    client: TestClient, world: World, d: Deal
) -> None:
    bad = submit(client, world, d, "2025-01-01", [line(999999, 1)], key="k")
    assert bad.status_code == 422
    good = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 1)], key="k")
    assert good.status_code == 201, good.text


lines_strategy = st.lists(
    st.tuples(
        st.sampled_from(["mobile", "PC"]),
        st.integers(0, 2000),  # units
        st.integers(0, 10**9),  # net sales
        st.sampled_from(["US", "CN", "IN"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=lines_strategy)
def test_invoice_total_is_the_sum_of_its_lines(
    client: TestClient, world: World, d: Deal, drawn: list[tuple[str, int, int, str]]
) -> None:
    lines = [line(d.products[c], units, net=net, sold=sold) for c, units, net, sold in drawn]
    current = client.get(
        f"{API}/reports", params={"status": "accepted"}, headers=world.licensee.headers
    ).json()["items"]
    if current:  # each example corrects the one Q1 report, so every example starts fresh
        url = f"{API}/reports/{current[0]['id']}/correction"
        r = client.post(url, json={"lines": lines}, headers=world.licensee.headers)
    else:
        r = submit(client, world, d, "2025-01-01", lines)
    invoice = invoice_of(client, world, r)
    assert invoice["total_minor"] == sum(x["amount_minor"] for x in invoice["lines"])
    assert sum(x["amount_minor"] for x in invoice["instalments"]) == invoice["total_minor"]


def test_correcting_after_a_deferred_part_fell_due_takes_it_all_off_the_books(
    client: TestClient, world: World, engine: Engine, clock: FakeClock
) -> None:
    cover(engine, world, "CN", date(2020, 1, 1))
    flat = {
        "terms_version": "grace",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [{"category": "mobile", "rate": "0.50"}],
    }
    d = deal(engine, world, royalty=flat, payment={"grace": {"months": 6}}, caller="other_licensee")
    first = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 1000)])
    assert first.status_code == 201
    clock.now = datetime(2025, 10, 2, tzinfo=UTC)
    with session_scope(engine) as s:  # the daily job: the part due 1 October falls due
        assert (
            dues.recognise_due(s, pool_id=world.pool_id, as_of=clock.now.date(), now=clock.now) == 1
        )
    r = client.post(
        f"{API}/reports/{first.json()['id']}/correction",
        json={"lines": [line(d.products["mobile"], 400)]},
        headers=world.other_licensee.headers,
    )
    assert r.status_code == 201, r.text
    with Session(engine) as s:
        books = ledger.licensee_balances(
            s,
            pool_id=world.pool_id,
            licensee_organisation_id=world.other_licensee.organisation_id or 0,
        )
    # only the corrected invoice remains: 400 x 0.50, due 1 October, so receivable at once
    assert {k: v for k, v in books.items() if v} == {"receivable": 20000, "royalty_revenue": -20000}
