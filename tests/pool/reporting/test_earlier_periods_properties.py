"""Property test: any sequence of reports sent in any order (late ones included), corrections
of any period (earlier ones included), nil reports, payments and deferred parts falling due
keeps the invariants:

* every journal entry and the pool's trial balance sum to zero;
* each current report has exactly one live invoice (none when nil), superseded ones none;
* the live invoices are what one chronological charging of the current reports gives
  (`contracts.royalty_due` chained over the quarters in order, computed here on its own);
* money is conserved: cash is what was received, cash with a usage period is what settles
  live invoices, the rest is credit; cancelled invoices keep nothing paid.

Each example runs in one session that is rolled back, as `test_ledger_properties` does."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, text
from sqlmodel import Session, col, select

from contracts import (
    Coverage,
    CoverageInterval,
    LicenseeProfile,
    YearToDate,
    parse_report,
    parse_terms,
    royalty_due,
)
from pool.auth import Principal
from pool.models.billing import Invoice, InvoiceLine, Payment, PaymentAllocation, PaymentCreate
from pool.models.ledger import Posting
from pool.models.reporting import (
    NilReportCreate,
    UsageLineIn,
    UsageReport,
    UsageReportCorrection,
    UsageReportCreate,
)
from pool.models.user import Role
from pool.services import reports
from pool.services.billing import dues, ledger, payments
from tests.pool.conftest import World, admin_principal
from tests.pool.reporting.kit import Deal, cover, deal

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
QUARTERS = [date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]
TERMS = {
    "terms_version": "props",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {
            "category": "mobile",
            "tiers": [{"from_units": 0, "rate": "0.35"}, {"from_units": 500, "rate": "0.2"}],
        }
    ],
    "free_units_per_year": 300,
    "annual_cap_minor": 80000,
    "discounts": {"order": ["sme"], "sme": {"small": "0.7"}},
}
PROFILE = LicenseeProfile(size_class="small")  # SME L; the terms have no other discount
COVERAGE = Coverage(intervals=(CoverageInterval(country="CN", start=date(2020, 1, 1), end=None),))

Lines = list[tuple[int, str]]  # (units, country of sale), made in CN
lines_drawn = st.lists(
    st.tuples(st.integers(0, 1500), st.sampled_from(["US", "IN"])), min_size=1, max_size=2
)
report = st.tuples(st.just("report"), st.integers(0, 3), lines_drawn)
step = st.one_of(
    report,
    report,  # twice as likely: reports out of order and corrections are the point
    st.tuples(st.just("nil"), st.integers(0, 3)),
    st.tuples(st.just("pay"), st.integers(1, 60000), st.integers(0, 370)),
    st.tuples(st.just("due"), st.integers(0, 370)),
)


@pytest.fixture
def d(engine: Engine, world: World) -> Deal:
    cover(engine, world, "CN", date(2020, 1, 1))
    return deal(engine, world, royalty=TERMS)


def licensee(world: World) -> Principal:
    return Principal(
        user_id=world.licensee.user_id,
        email="sme@example.org",
        role=Role.LICENSEE,
        organisation_id=world.licensee.organisation_id,
        token_id=0,
    )


def current(s: Session, d: Deal, start: date) -> UsageReport | None:
    return s.exec(
        select(UsageReport).where(
            UsageReport.agreement_id == d.agreement_id,
            UsageReport.period_start == start,
            UsageReport.status == "accepted",
        )
    ).first()


def send(s: Session, world: World, d: Deal, start: date, lines: Lines | None) -> None:
    """A report of the quarter (None: nil); a correction if it already has one."""
    items = [
        UsageLineIn(
            product_id=d.products["mobile"],
            country_of_manufacture="CN",
            country_of_sale=sold,
            units=units,
            net_sales_minor=0,
        )
        for units, sold in lines or []
    ]
    who = licensee(world)
    found = current(s, d, start)
    if found is not None:
        data = UsageReportCorrection(lines=items)
        reports.correct(s, principal=who, report_id=found.id or 0, data=data, now=NOW)
    elif lines is None:
        data_nil = NilReportCreate(period_start=start)
        reports.submit(s, principal=who, agreement_id=d.agreement_id, data=data_nil, now=NOW)
    else:
        new = UsageReportCreate(period_start=start, lines=items)
        reports.submit(s, principal=who, agreement_id=d.agreement_id, data=new, now=NOW)


def apply(s: Session, world: World, d: Deal, n: int, action: tuple[Any, ...]) -> None:
    if action[0] in ("report", "nil"):
        send(s, world, d, QUARTERS[action[1]], action[2] if action[0] == "report" else None)
    elif action[0] == "pay":
        _, amount, offset = action
        payments.record(
            s,
            principal=admin_principal(world.admin),
            pool_id=world.pool_id,
            data=PaymentCreate(
                licensee_organisation_id=world.licensee.organisation_id or 0,
                reference=f"P{n}",
                amount_minor=amount,
                currency="USD",
                received_on=QUARTERS[0] + timedelta(days=offset),
            ),
            now=NOW,
        )
    else:
        as_of = QUARTERS[0] + timedelta(days=action[1])
        dues.recognise_due(s, pool_id=world.pool_id, as_of=as_of, now=NOW)


def expected(sent: dict[int, Lines | None]) -> dict[int, list[int] | None]:
    """Line amounts per quarter from one chronological charging of the current reports."""
    terms = parse_terms(TERMS)
    ytd = YearToDate.start_of(2025)
    amounts: dict[int, list[int] | None] = {}
    for q in sorted(sent):
        lines = [
            {
                "category": "mobile",
                "country_of_manufacture": "CN",
                "country_of_sale": sold,
                "units": units,
                "net_sales_minor": 0,
            }
            for units, sold in sent[q] or []
        ]
        end = QUARTERS[q + 1] if q < 3 else date(2026, 1, 1)
        report = parse_report(
            {
                "currency": "USD",
                "period": {"start": QUARTERS[q].isoformat(), "end": end.isoformat()},
                "lines": lines,
            }
        )
        result = royalty_due(terms, report, ytd, profile=PROFILE, in_force=COVERAGE.in_force)
        ytd = result.year_to_date
        amounts[q] = None if sent[q] is None else [line.amount_minor for line in result.lines]
    return amounts


def paid(s: Session, invoice_id: int | None) -> int:
    total = s.exec(
        select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0)).where(
            PaymentAllocation.invoice_id == invoice_id
        )
    ).one()
    return int(total)


def check_invoices(s: Session, d: Deal, sent: dict[int, Lines | None]) -> None:
    for q, amounts in expected(sent).items():
        report = current(s, d, QUARTERS[q])
        assert report is not None
        live = s.exec(
            select(Invoice).where(Invoice.report_id == report.id, Invoice.status != "cancelled")
        ).all()
        if amounts is None:
            assert live == []
            continue
        assert len(live) == 1
        stored = s.exec(
            select(InvoiceLine.amount_minor)
            .where(InvoiceLine.invoice_id == live[0].id)
            .order_by(col(InvoiceLine.line_no))
        ).all()
        assert (list(stored), live[0].total_minor) == (amounts, sum(amounts)), q
    superseded = select(UsageReport.id).where(UsageReport.status == "superseded")
    stale = select(Invoice).where(
        col(Invoice.report_id).in_(superseded), Invoice.status != "cancelled"
    )
    assert s.exec(stale).all() == []


def check_money(s: Session, world: World) -> None:
    per_entry = s.exec(
        select(Posting.entry_id, func.sum(Posting.amount_minor)).group_by(col(Posting.entry_id))
    ).all()
    assert all(total == 0 for _, total in per_entry)
    assert sum(b for _, _, b in ledger.trial_balance(s, pool_id=world.pool_id)) == 0
    balances = ledger.licensee_balances(
        s, pool_id=world.pool_id, licensee_organisation_id=world.licensee.organisation_id or 0
    )
    received = sum(p.amount_minor for p in s.exec(select(Payment)).all())
    credit = -balances.get("licensee_credit", 0)
    attributed = sum(a for _, _, a in ledger.cash_by_usage_period(s, pool_id=world.pool_id))
    assert balances.get("cash", 0) == received
    assert credit >= 0
    assert attributed + credit == received
    assert balances.get("receivable", 0) >= 0
    assert balances.get("deferred_receivable", 0) >= 0
    settled = 0
    for inv in s.exec(select(Invoice)).all():
        on_it = paid(s, inv.id)
        assert 0 <= on_it <= inv.total_minor
        assert inv.status != "cancelled" or on_it == 0  # released, not stranded
        if inv.status != "cancelled" and inv.total_minor:
            assert (inv.status == "paid") == (on_it == inv.total_minor)
        settled += on_it
    assert attributed == settled


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(step, min_size=1, max_size=10))
@example(  # always: Q2 and Q3 charged and paid, then a late Q1, then Q1 corrected to nil
    actions=[
        ("report", 1, [(900, "US")]),
        ("report", 2, [(700, "IN"), (100, "US")]),
        ("pay", 30000, 200),
        ("report", 0, [(1200, "US")]),
        ("report", 0, [(1500, "IN")]),
        ("nil", 0),
    ]
)
def test_any_order_of_reports_and_corrections_keeps_the_invariants(
    engine: Engine,
    world: World,
    d: Deal,
    actions: list[tuple[Any, ...]],
) -> None:
    sent: dict[int, Lines | None] = {}
    with Session(engine) as s:
        # pysqlite opens its transaction at the first write: without one, the SAVEPOINT that
        # `payments.record` takes would be outermost and its RELEASE would commit the payment
        s.execute(text("UPDATE licence_agreement SET early_signer = early_signer"))
        for n, action in enumerate(actions):
            apply(s, world, d, n, action)
            if action[0] in ("report", "nil"):
                sent[action[1]] = action[2] if action[0] == "report" else None
            check_invoices(s, d, sent)
            check_money(s, world)
        s.rollback()
