"""Worked examples from DOMAIN.md's rate structures, end to end through HTTP: report in,
invoice lines (basis, units, cents) and ledger out."""

from datetime import UTC, date, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from pool.db import session_scope
from pool.services.billing import dues, ledger
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.reporting.kit import (
    NOW,
    balances,
    cover,
    deal,
    invoice_of,
    line,
    priced,
    submit,
)

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
    "annual_cap_minor": 15000000,
}


def test_tiers_free_allowance_and_cap_over_successive_quarters(
    client: TestClient, world: World, engine: Engine, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 1, 10, tzinfo=UTC)
    cover(engine, world, "CN", date(2020, 1, 1))
    d = deal(engine, world, royalty=TIERS_ALLOWANCE_CAP)
    mobile = d.products["mobile"]
    # quarter      units    expected lines (basis, units, cents)
    table = [
        ("2025-01-01", 60000, [("free_allowance", 60000, 0)]),
        # the allowance runs out inside Q2: 40,000 free, 50,000 at tier 0
        ("2025-04-01", 90000, [("free_allowance", 40000, 0), ("per_unit", 50000, 2500000)]),
        # year to date crosses 200,000 inside Q3: split at the tier boundary
        ("2025-07-01", 250000, [("per_unit", 50000, 2500000), ("per_unit", 200000, 6000000)]),
        # 400,000 x 0.30 = 12,000,000 but only 4,000,000 of the 15,000,000 cap is left
        ("2025-10-01", 400000, [("per_unit", 400000, 4000000)]),
    ]
    totals = []
    for start, units, expected in table:
        invoice = invoice_of(client, world, submit(client, world, d, start, [line(mobile, units)]))
        assert priced(invoice) == expected, start
        assert invoice["total_minor"] == sum(amount for _, _, amount in expected)
        totals.append(invoice["total_minor"])
    assert sum(totals) == 15000000
    assert "cap" in invoice["lines"][0]["explanation"]


def test_percent_of_net_sales_and_upstream_paid_units(
    client: TestClient, world: World, engine: Engine
) -> None:
    cover(engine, world, "CN", date(2020, 1, 1))
    terms = {
        "terms_version": "pct",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [
            {"category": "PC", "basis": "percent_of_net_sales", "percent": "3.5"},
            {"category": "mobile", "basis": "per_unit", "rate": "0.50"},
        ],
    }
    d = deal(engine, world, royalty=terms)
    pc, mobile = d.products["PC"], d.products["mobile"]
    lines = [
        line(pc, 1000, net=45000000),  # 3.5 % of 450,000.00
        line(pc, 1000, net=45000000, upstream=200),  # upstream share removed pro rata
        line(mobile, 1000, upstream=400),  # 400 never charged, 600 x 0.50
    ]
    invoice = invoice_of(client, world, submit(client, world, d, "2025-01-01", lines))
    assert priced(invoice) == [
        ("percent_of_net_sales", 1000, 1575000),
        ("upstream_paid", 200, 0),
        ("percent_of_net_sales", 800, 1260000),
        ("upstream_paid", 400, 0),
        ("per_unit", 600, 30000),
    ]
    assert invoice["total_minor"] == 1575000 + 1260000 + 30000


def test_price_bands_at_their_edges(client: TestClient, world: World, engine: Engine) -> None:
    cover(engine, world, "US", date(2020, 1, 1))
    terms = {
        "terms_version": "bands",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [
            {
                "category": "TV",
                "bands": [
                    {
                        "lower_minor": 0,
                        "lower_inclusive": True,
                        "upper_minor": 50000,
                        "upper_inclusive": False,
                        "rate": "0.50",
                    },
                    {"lower_minor": 50000, "lower_inclusive": True, "rate": "1.00"},
                ],
            }
        ],
    }
    d = deal(engine, world, royalty=terms)
    tv = d.products["TV"]
    # unit price (cents)  units  expected cents
    table = [(0, 100, 5000), (49999, 100, 5000), (50000, 100, 10000), (50001, 100, 10000)]
    lines = [line(tv, units, price=price) for price, units, _ in table]
    invoice = invoice_of(client, world, submit(client, world, d, "2025-01-01", lines))
    assert [amount for _, _, amount in priced(invoice)] == [cents for _, _, cents in table]


def test_sme_and_region_discounts_combined(
    client: TestClient, world: World, engine: Engine
) -> None:
    cover(engine, world, "CN", date(2020, 1, 1))
    terms = {
        "terms_version": "discounts",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [{"category": "mobile", "rate": "1.00"}],
        "discounts": {
            "order": ["sme", "region"],
            "stacking": "compound",
            "sme": {"small": "0.7"},
            "regions": [{"country": "IN", "multiplier": "0.5"}],
        },
    }
    small = deal(engine, world, royalty=terms)  # SME L is a small enterprise
    large = deal(engine, world, royalty=terms, caller="other_licensee")  # Big M is large
    # licensee  quarter       sold in  units  expected cents
    table = [
        (small, "2025-01-01", "IN", 1000, 35000),  # 0.7 x 0.5
        (small, "2025-04-01", "US", 1000, 70000),  # 0.7
        (large, "2025-01-01", "IN", 1000, 50000),  # 0.5
        (large, "2025-04-01", "US", 1000, 100000),  # none
    ]
    for d, quarter, sold, units, cents in table:
        lines = [line(d.products["mobile"], units, sold=sold)]
        invoice = invoice_of(client, world, submit(client, world, d, quarter, lines))
        assert invoice["total_minor"] == cents, (d.caller, sold)


def test_no_patent_in_force_in_either_country_charges_nothing(
    client: TestClient, world: World, engine: Engine
) -> None:
    cover(engine, world, "CN", date(2020, 1, 1), date(2025, 1, 1))  # ended before Q1 2025
    cover(engine, world, "US", date(2025, 3, 31))  # in force on the last day of Q1
    terms = {
        "terms_version": "flat",
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [{"category": "mobile", "rate": "0.50"}],
    }
    d = deal(engine, world, royalty=terms)
    mobile = d.products["mobile"]
    lines = [line(mobile, 100, made="CN", sold="JP"), line(mobile, 100, made="CN", sold="US")]
    invoice = invoice_of(client, world, submit(client, world, d, "2025-01-01", lines))
    assert priced(invoice) == [("not_in_force", 100, 0), ("per_unit", 100, 5000)]


FLAT = {
    "terms_version": "flat",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "0.50"}],
}


def test_use_first_pay_later_falls_due_after_the_grace_period(
    client: TestClient, world: World, engine: Engine
) -> None:
    cover(engine, world, "CN", date(2020, 1, 1))
    d = deal(engine, world, royalty=FLAT, payment={"net_days": 30, "grace": {"months": 6}})
    receipt = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 1000)])
    invoice = invoice_of(client, world, receipt)
    # accrued when Q1 ended (1 April), due six months later, not 30 days later
    assert invoice["instalments"] == [{"due_on": "2025-10-01", "amount_minor": 50000}]
    assert invoice["due_on"] == "2025-10-01"
    assert balances(engine, invoice["id"]) == {
        "deferred_receivable": 50000,
        "royalty_revenue": -50000,
    }


def test_ordinary_terms_are_receivable_at_once_when_reported_after_the_due_date(
    client: TestClient, world: World, engine: Engine
) -> None:
    cover(engine, world, "CN", date(2020, 1, 1))
    d = deal(engine, world, royalty=FLAT, payment={"net_days": 30})
    receipt = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 1000)])
    invoice = invoice_of(client, world, receipt)  # issued 2 June, due 1 May
    assert invoice["instalments"] == [{"due_on": "2025-05-01", "amount_minor": 50000}]
    assert balances(engine, invoice["id"]) == {"receivable": 50000, "royalty_revenue": -50000}


def test_revenue_threshold_holds_then_releases_earlier_accruals(
    client: TestClient, world: World, engine: Engine, clock: FakeClock
) -> None:
    clock.now = datetime(2025, 10, 2, tzinfo=UTC)
    cover(engine, world, "CN", date(2020, 1, 1))
    payment = {"net_days": 30, "revenue_threshold": {"threshold_minor": 1000000}}
    d = deal(engine, world, royalty=FLAT, payment=payment)
    mobile = d.products["mobile"]
    first = invoice_of(
        client, world, submit(client, world, d, "2025-01-01", [line(mobile, 100, net=600000)])
    )
    assert first["instalments"] == [{"due_on": None, "amount_minor": 5000}]
    assert first["due_on"] is None
    second = invoice_of(
        client, world, submit(client, world, d, "2025-04-01", [line(mobile, 100, net=600000)])
    )
    # cumulative net sales reach the threshold with Q2: both fall due 30 days after 1 July
    assert second["instalments"] == [{"due_on": "2025-07-31", "amount_minor": 5000}]
    first = client.get(f"/api/v1/invoices/{first['id']}", headers=world.admin.headers).json()
    assert first["instalments"] == [{"due_on": "2025-07-31", "amount_minor": 5000}]
    assert first["due_on"] == "2025-07-31"


def test_a_held_part_dated_before_its_invoice_was_issued_is_receivable_at_once(
    client: TestClient, world: World, engine: Engine, clock: FakeClock
) -> None:
    """Q1 and Q2 reported late, both on 10 October: Q1's invoice is issued held, then Q2's
    reaches the threshold and dates Q1's part 31 July, before Q1 was issued. Settlement and
    the daily job take such a part as due at issue, so it is moved to `receivable` there and
    then (it used to stay in `deferred_receivable` for good)."""
    clock.now = datetime(2025, 10, 10, tzinfo=UTC)
    cover(engine, world, "CN", date(2020, 1, 1))
    payment = {"net_days": 30, "revenue_threshold": {"threshold_minor": 1000000}}
    d = deal(engine, world, royalty=FLAT, payment=payment)
    mobile = d.products["mobile"]
    for quarter in ("2025-01-01", "2025-04-01"):
        receipt = submit(client, world, d, quarter, [line(mobile, 100, net=600000)])
        assert receipt.status_code == 201, receipt.text
    assert books(engine, world) == {"receivable": 10000, "royalty_revenue": -10000}
    body = {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": "BANK-1",
        "amount_minor": 10000,
        "currency": "USD",
        "received_on": "2025-10-10",
    }
    r = client.post(
        f"/api/v1/pools/{world.pool_id}/payments", json=body, headers=world.admin.headers
    )
    assert r.status_code == 201, r.text
    assert books(engine, world) == {"royalty_revenue": -10000, "cash": 10000}
    with session_scope(engine) as s:
        assert dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2026, 1, 1), now=NOW) == 0


def books(engine: Engine, world: World) -> dict[str, int]:
    with Session(engine) as s:
        found = ledger.licensee_balances(
            s, pool_id=world.pool_id, licensee_organisation_id=world.licensee.organisation_id or 0
        )
    return {k: v for k, v in found.items() if v}


def test_good_standing_discount_needs_no_missing_report_and_nothing_overdue(
    client: TestClient, world: World, engine: Engine, clock: FakeClock
) -> None:
    clock.now = datetime(2025, 7, 10, tzinfo=UTC)
    cover(engine, world, "CN", date(2020, 1, 1))
    terms = {
        **FLAT,
        "terms_version": "standing",
        "discounts": {"order": ["good_standing"], "good_standing": "0.9"},
    }
    d = deal(engine, world, royalty=terms, start=date(2024, 10, 1), caller="other_licensee")
    mobile = d.products["mobile"]
    nil = f"/api/v1/agreements/{d.agreement_id}/reports/nil"
    # period        what is sent        cents  standing as the period begins
    table = [
        ("2025-01-01", 1000, 50000),  # Q4 2024 unreported: not in good standing
        ("2024-10-01", None, None),  # the nil report for Q4 2024 (another year: allowed)
        ("2025-04-01", 1000, 45000),  # all reported, Q1's invoice not due until 1 May
        ("2025-07-01", 1000, 50000),  # Q1's invoice overdue since 1 May: no discount
    ]
    for period, units, cents in table:
        if units is None:
            r = client.post(
                nil, json={"period_start": period}, headers=world.other_licensee.headers
            )
            assert r.status_code == 201, r.text
            continue
        invoice = invoice_of(client, world, submit(client, world, d, period, [line(mobile, units)]))
        assert invoice["total_minor"] == cents, period
