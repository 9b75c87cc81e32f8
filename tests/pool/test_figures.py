"""Yearly figures (Beijing programme) worked by hand over 2024 and 2025, counted on
2026-01-15. Licensees: Tiny T (micro), SME L (small), Mid N (medium), Big M (large).

Agreements (through the agreement and offer services, so every move is in the audit trail):

    D1 SME   signed 2024-03-01, active from 2024-04-01 to 2027-04-01, net 30 days
    D2 Big   signed 2024-06-01, active 2024-07-01, grace 6 months, terminated 2025-10-01
    D3 Tiny  signed 2024-09-01, still a draft: never counted
    D4 Tiny  accepted the open licence on 2025-02-01 (12 months), revenue threshold
    D5 Mid   signed 2025-05-01 on free terms, terminated 2025-06-15
    D6 SME   signed 2025-09-01, 4 instalments, one product registered

    deals signed       2024: 2 (small 1, large 1; deferred 1)   2025: 3 (micro, small, medium;
                                                                 offer 1; deferred 2)
    active on 31 Dec   2024: D1, D2 = 2 (D2 was terminated later)   2025: D1, D4, D6 = 3
    growth 2 -> 3 = 50.0000 %: target met

Invoices (each due at issue) and payments:

    I1 SME  royalty 2024-10-01  40,000  paid 2024-10-15
    I2 Big  entry fee 2024-07-01  100,000  paid 60,000 on 2024-12-31 and 40,000 on 2025-01-01
    I3 SME  royalty 2024-11-15  20,000  paid 2024-11-20; cancelled 2025-03-01, the payment
            released (-20,000 on 2025-03-01) and applied to I6 the same day (+20,000)
    I6 SME  royalty 2025-03-01  25,000  (20,000 credit, then 5,000 paid 2025-03-10)
    I4 Tiny royalty 2025-05-01  15,000  paid 2025-05-05
    I7 Big  royalty 2025-09-01  50,000  unpaid
    I5 SME  royalty 2025-12-01  30,000  paid 2025-12-10, cancelled 2025-12-20: +30,000 and
            -30,000 in 2025; the 30,000 stays the licensee's credit

    contracted 2024: I1 + I2 = 140,000 (I3 is cancelled) -- small 40,000, large 100,000
    contracted 2025: I4 + I6 + I7 = 90,000 (I5 is cancelled) -- micro 15,000, small 25,000,
                     large 50,000; growth -50,000 / 140,000 = -35.714285...% -> -35.7143
    received 2024: 40,000 + 60,000 + 20,000 = 120,000 -- small 60,000, large 60,000
    received 2025: 40,000 (large) - 20,000 + 20,000 + 5,000 + 30,000 - 30,000 (small 5,000)
                   + 15,000 (micro) = 60,000; growth -50.0000 %
    over both years 180,000 = every payment (210,000) less the 30,000 credit left.

Distribution runs (rows): Q4 2023 approved (not in 2024), Q4 2024 approved, Q1 2025
approved, Q2 2025 still a draft (not counted).

Review flags on 2025's deals (as of 2026-01-15): D4 no product and its last two due quarters
(Q2, Q3 2025) without a report; D5 zero fee and terminated 45 days after signature. D1's own
flags are 2024's and not counted.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from pool.auth import Principal
from pool.db import session_scope
from pool.models.billing import Invoice, PaymentCreate
from pool.models.distribution import DistributionRun, RunContributor
from pool.models.licensing import AgreementCreate, AgreementMove, OfferCreate, Product, TermsCreate
from pool.models.organisation import OrganisationCreate, OrganisationKind, SizeClass
from pool.models.user import Role
from pool.services import audit, figures
from pool.services.accounts import organisations
from pool.services.billing import invoices, payments, settlement
from pool.services.figures.table import render_table
from pool.services.licensing import agreements, offers, terms
from tests.conftest import FakeClock
from tests.pool.billing import kit
from tests.pool.conftest import World, admin_principal
from tests.pool.distribution import kit as distribution_kit

API = "/api/v1"
NOW = datetime(2026, 1, 15, 9, tzinfo=UTC)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def royalty(version: str, rate: str = "0.50") -> dict[str, Any]:
    return {
        "terms_version": version,
        "currency": "USD",
        "minor_unit_exponent": 2,
        "categories": [
            {"category": "mobile", "basis": "per_unit", "tiers": [{"from_units": 0, "rate": rate}]}
        ],
    }


class Book:
    """Writes the example through the services, each step dated by its own `now`."""

    def __init__(self, s: Session, world: World) -> None:
        self.s, self.world, self.boss = s, world, admin_principal(world.admin)
        self.pool = world.pool_id

    def org(self, name: str, kind: OrganisationKind, size: SizeClass | None) -> int:
        data = OrganisationCreate(name=name, kind=kind, size_class=size, country="US")
        row = organisations.create(self.s, data=data, actor=audit.Actor.system("test"), now=NOW)
        return row.id or 0

    def terms(self, version: str, payment: dict[str, Any], rate: str = "0.50") -> int:
        data = TermsCreate(royalty_terms=royalty(version, rate), payment_terms=payment)
        made = terms.create(self.s, principal=self.boss, pool_id=self.pool, data=data, now=NOW)
        return made.id or 0

    def sign(self, licensee: int, terms_id: int, signed: date, start: date, end: date) -> int:
        data = AgreementCreate(
            pool_id=self.pool,
            licensee_organisation_id=licensee,
            terms_id=terms_id,
            territory="worldwide",
            product_categories=["mobile"],
            signed_on=signed,
            start_on=start,
            end_on=end,
        )
        made = agreements.create(self.s, principal=self.boss, data=data, now=at(signed))
        return made.id or 0

    def move(self, agreement_id: int, to: str, on: date) -> None:
        data = AgreementMove.model_validate({"to": to, "on": on})
        agreements.move(
            self.s, principal=self.boss, agreement_id=agreement_id, data=data, now=at(on)
        )

    def invoice(self, deal: int, number: str, issued: date, amount: int) -> Invoice:
        usage = (issued - timedelta(days=90), issued)
        return kit.invoice(
            self.s,
            agreement_id=deal,
            number=number,
            usage=usage,
            issued_on=issued,
            parts=[(issued, amount)],
            now=at(issued),
        )

    def pay(self, licensee: int, reference: str, amount: int, on: date) -> None:
        data = PaymentCreate(
            licensee_organisation_id=licensee,
            reference=reference,
            amount_minor=amount,
            currency="USD",
            received_on=on,
        )
        payments.record(self.s, principal=self.boss, pool_id=self.pool, data=data, now=at(on))

    def cancel(self, invoice: Invoice, on: date) -> None:
        invoices.cancel(
            self.s, principal=self.boss, invoice=invoice, reason="corrected", now=at(on)
        )

    def run(
        self,
        start: date,
        end: date,
        status: str,
        received: int,
        fee: int,
        paid: list[tuple[int, ...]],
    ) -> None:
        row = DistributionRun(
            pool_id=self.pool,
            period_start=start,
            period_end=end,
            currency="USD",
            status=status,
            formula_version="test",
            input_sha256="0" * 64,
            solver="none",
            solver_status="optimal",
            received_minor=received,
            admin_fee_minor=fee,
            distributable_minor=received - fee,
            withholding_minor=sum(p[3] for p in paid),
            net_payable_minor=sum(p[4] for p in paid),
            computed_at=at(end),
        )
        self.s.add(row)
        self.s.flush()
        for org, gross, adjustments, withholding, net in paid:
            self.s.add(
                RunContributor(
                    run_id=row.id or 0,
                    contributor_organisation_id=org,
                    gross_minor=gross,
                    adjustments_minor=adjustments,
                    withholding_rate="0.1",
                    withholding_minor=withholding,
                    net_payable_minor=net,
                )
            )
        self.s.flush()


def build(engine: Engine, world: World) -> dict[str, int]:
    """The example of the module docstring; returns organisation and agreement ids."""
    sme = world.licensee.organisation_id or 0
    big = world.other_licensee.organisation_id or 0
    uni = world.contributor.organisation_id or 0
    lab = world.other_contributor.organisation_id or 0
    with session_scope(engine) as s:
        b = Book(s, world)
        tiny = b.org("Tiny T", OrganisationKind.PRIVATE_COMPANY, SizeClass.MICRO)
        mid = b.org("Mid N", OrganisationKind.STATE_OWNED_ENTERPRISE, SizeClass.MEDIUM)
        soe = b.org("SOE S", OrganisationKind.STATE_OWNED_ENTERPRISE, None)
        std = b.terms("std", {"net_days": 30})
        grace = b.terms("grace", {"net_days": 30, "grace": {"months": 6}})
        threshold = b.terms("threshold", {"revenue_threshold": {"threshold_minor": 10_000_000}})
        instalments = b.terms("instalments", {"instalments": {"count": 4, "interval_months": 3}})
        free = b.terms("free", {"net_days": 30}, rate="0")

        d1 = b.sign(sme, std, date(2024, 3, 1), date(2024, 4, 1), date(2027, 4, 1))
        b.move(d1, "active", date(2024, 4, 1))
        d2 = b.sign(big, grace, date(2024, 6, 1), date(2024, 7, 1), date(2027, 7, 1))
        b.move(d2, "active", date(2024, 7, 1))
        b.sign(tiny, std, date(2024, 9, 1), date(2024, 10, 1), date(2025, 10, 1))  # D3 draft

        b.invoice(d1, "I1", date(2024, 10, 1), 40_000)
        b.pay(sme, "P1", 40_000, date(2024, 10, 15))
        i2 = b.invoice(d2, "I2", date(2024, 7, 1), 100_000)
        i2.kind, i2.fee_kind = "fixed_fee", "entry_fee"
        s.add(i2)
        i3 = b.invoice(d1, "I3", date(2024, 11, 15), 20_000)
        b.pay(sme, "P3", 20_000, date(2024, 11, 20))
        b.pay(big, "P2a", 60_000, date(2024, 12, 31))
        b.pay(big, "P2b", 40_000, date(2025, 1, 1))

        offer = offers.publish(
            s,
            principal=b.boss,
            pool_id=b.pool,
            data=OfferCreate(
                terms_id=threshold,
                term_months=12,
                jurisdiction="CN",
                payment_method="bank transfer",
                published_on=date(2025, 1, 15),
            ),
            now=at(date(2025, 1, 15)),
        )
        tiny_user = Principal(
            user_id=0, email="t@example.org", role=Role.LICENSEE, organisation_id=tiny, token_id=0
        )
        d4 = offers.accept(s, principal=tiny_user, offer_id=offer.id or 0, now=at(date(2025, 2, 1)))

        b.cancel(i3, date(2025, 3, 1))
        b.invoice(d1, "I6", date(2025, 3, 1), 25_000)
        settlement.apply_credit(
            s, pool_id=b.pool, licensee_organisation_id=sme, now=at(date(2025, 3, 1))
        )
        b.pay(sme, "P6", 5_000, date(2025, 3, 10))

        b.invoice(d4.id or 0, "I4", date(2025, 5, 1), 15_000)
        b.pay(tiny, "P4", 15_000, date(2025, 5, 5))

        d5 = b.sign(mid, free, date(2025, 5, 1), date(2025, 5, 1), date(2026, 5, 1))
        b.move(d5, "active", date(2025, 5, 1))
        b.move(d5, "terminated", date(2025, 6, 15))

        d6 = b.sign(sme, instalments, date(2025, 9, 1), date(2025, 9, 1), date(2028, 9, 1))
        b.move(d6, "active", date(2025, 9, 1))
        s.add(
            Product(
                agreement_id=d6,
                licensee_organisation_id=sme,
                name="Phone",
                model="P1",
                category="mobile",
                filing_code="PF-D6",
                registered_on=date(2025, 9, 15),
                created_at=NOW,
            )
        )
        b.invoice(d2, "I7", date(2025, 9, 1), 50_000)
        b.move(d2, "terminated", date(2025, 10, 1))

        i5 = b.invoice(d6, "I5", date(2025, 12, 1), 30_000)
        b.pay(sme, "P5", 30_000, date(2025, 12, 10))
        b.cancel(i5, date(2025, 12, 20))

        b.run(
            date(2023, 10, 1),
            date(2024, 1, 1),
            "approved",
            5_000,
            500,
            [(uni, 4_500, 0, 450, 4_050)],
        )
        b.run(
            date(2024, 10, 1),
            date(2025, 1, 1),
            "approved",
            60_000,
            6_000,
            [(uni, 32_400, 0, 3_240, 29_160), (lab, 21_600, 0, 2_160, 19_440)],
        )
        b.run(
            date(2025, 1, 1),
            date(2025, 4, 1),
            "approved",
            40_000,
            4_000,
            [(uni, 20_000, -1_000, 1_900, 17_100), (soe, 17_000, 0, 1_700, 15_300)],
        )
        b.run(
            date(2025, 4, 1),
            date(2025, 7, 1),
            "draft",
            10_000,
            1_000,
            [(uni, 9_000, 0, 900, 8_100)],
        )
        return {"d1": d1, "d2": d2, "d4": d4.id or 0, "d5": d5, "d6": d6, "sme": sme}


def sizes(micro: int = 0, small: int = 0, medium: int = 0, large: int = 0) -> dict[str, int]:
    return {"micro": micro, "small": small, "medium": medium, "large": large, "unknown": 0}


def kinds(found: Any) -> dict[str, tuple[int, int, int, int, int]]:
    """(contributors, gross, adjustments, withholding, net) per kind that received money."""
    return {
        k.contributor_kind.value: (
            k.contributors,
            k.gross_minor,
            k.adjustments_minor,
            k.withholding_minor,
            k.net_payable_minor,
        )
        for k in found.by_contributor_kind
        if k.contributors
    }


def test_two_years_worked_by_hand(engine: Engine, world: World) -> None:
    ids = build(engine, world)
    with session_scope(engine) as s:
        f = figures.yearly(
            s, principal=admin_principal(world.admin), pool_id=world.pool_id, year=2025, now=NOW
        )
    old, new = f.previous, f.current
    assert (old.year, old.start, old.end, old.as_of, old.complete) == (
        2024,
        date(2024, 1, 1),
        date(2025, 1, 1),
        date(2024, 12, 31),
        True,
    )
    assert (new.start, new.end, new.as_of, new.complete) == (
        date(2025, 1, 1),
        date(2026, 1, 1),
        date(2025, 12, 31),
        True,
    )

    assert old.deals.model_dump() == {
        "signed": 2,
        "by_licensee_size": sizes(small=1, large=1),
        "via_open_offer": 0,
        "use_first_pay_later": 1,
        "active_at_year_end": 2,
    }
    assert new.deals.model_dump() == {
        "signed": 3,
        "by_licensee_size": sizes(micro=1, small=1, medium=1),
        "via_open_offer": 1,
        "use_first_pay_later": 2,
        "active_at_year_end": 3,
    }

    assert old.contracted.model_dump() == {
        "invoices": 2,
        "total_minor": 140_000,
        "royalty_minor": 40_000,
        "fixed_fee_minor": 100_000,
        "by_licensee_size": sizes(small=40_000, large=100_000),
    }
    assert new.contracted.model_dump() == {
        "invoices": 3,
        "total_minor": 90_000,
        "royalty_minor": 90_000,
        "fixed_fee_minor": 0,
        "by_licensee_size": sizes(micro=15_000, small=25_000, large=50_000),
    }
    assert old.received.model_dump() == {
        "total_minor": 120_000,
        "by_licensee_size": sizes(small=60_000, large=60_000),
    }
    assert new.received.model_dump() == {
        "total_minor": 60_000,
        "by_licensee_size": sizes(micro=15_000, small=5_000, large=40_000),
    }
    # every payment (210,000) less the credit the SME still holds (30,000)
    assert old.received.total_minor + new.received.total_minor == 210_000 - 30_000

    assert (
        old.distributed.runs,
        old.distributed.received_minor,
        old.distributed.admin_fee_minor,
    ) == (
        1,
        60_000,
        6_000,
    )
    assert kinds(old.distributed) == {
        "university": (1, 32_400, 0, 3_240, 29_160),
        "research_institute": (1, 21_600, 0, 2_160, 19_440),
    }
    assert (
        new.distributed.runs,
        new.distributed.received_minor,
        new.distributed.admin_fee_minor,
    ) == (
        1,
        40_000,
        4_000,
    )
    assert kinds(new.distributed) == {
        "university": (1, 20_000, -1_000, 1_900, 17_100),
        "state_owned_enterprise": (1, 17_000, 0, 1_700, 15_300),
    }
    d = new.distributed
    assert (d.gross_minor, d.adjustments_minor, d.withholding_minor, d.net_payable_minor) == (
        37_000,
        -1_000,
        3_600,
        32_400,
    )
    assert d.admin_fee_minor + d.gross_minor + d.adjustments_minor == d.received_minor
    assert [k.contributor_kind for k in d.by_contributor_kind] == list(OrganisationKind)

    assert [(g.figure, g.previous, g.current, g.percent, g.meets_target) for g in f.growth] == [
        ("deals", 2, 3, Decimal("50.0000"), True),
        ("contracted", 140_000, 90_000, Decimal("-35.7143"), False),
        ("received", 120_000, 60_000, Decimal("-50.0000"), False),
        # no deals beyond the pool's licences: every deal type counts the same as they
        ("transactions", 2, 3, Decimal("50.0000"), True),
        ("transactions_contracted", 140_000, 90_000, Decimal("-35.7143"), False),
        ("transactions_received", 120_000, 60_000, Decimal("-50.0000"), False),
        ("pledge_amount", 0, 0, None, None),
        ("pledge_projects", 0, 0, None, None),
    ]

    assert f.review_flags == {
        "early_termination": 1,
        "nil_reports": 1,
        "no_product": 1,
        "zero_fee": 1,
    }
    assert f.flagged_agreements == 2
    assert sorted((x.agreement_id, x.kind) for x in f.flags) == sorted(
        [
            (ids["d4"], "no_product"),
            (ids["d4"], "nil_reports"),
            (ids["d5"], "zero_fee"),
            (ids["d5"], "early_termination"),
        ]
    )


def test_the_year_before_is_the_previous_of_2024(engine: Engine, world: World) -> None:
    """Asked for 2024, the current year is the previous one above; 2023 has only a run."""
    build(engine, world)
    with session_scope(engine) as s:
        f = figures.yearly(
            s, principal=admin_principal(world.admin), pool_id=world.pool_id, year=2024, now=NOW
        )
    assert f.current.contracted.total_minor == 140_000
    assert f.current.deals.active_at_year_end == 2
    assert (f.previous.deals.signed, f.previous.contracted.total_minor) == (0, 0)
    assert (f.previous.distributed.runs, f.previous.distributed.admin_fee_minor) == (1, 500)
    assert [(g.figure, g.percent, g.meets_target) for g in f.growth] == [
        ("deals", None, None),
        ("contracted", None, None),
        ("received", None, None),
        ("transactions", None, None),
        ("transactions_contracted", None, None),
        ("transactions_received", None, None),
        ("pledge_amount", None, None),
        ("pledge_projects", None, None),
    ]
    assert f.review_flags.get("no_product") == 1  # D1: signed in 2024, no product


@pytest.mark.parametrize(
    ("previous", "current", "percent", "meets"),
    [
        (10_000, 10_300, "3.0000", True),
        (10_000, 10_299, "2.9900", False),
        (100_000, 102_999, "2.9990", False),
        (3, 4, "33.3333", True),  # 33.333...: rounded down
        (3, 2, "-33.3334", False),  # -33.333...: rounded down too
        (7, 7, "0.0000", False),
        (1, 0, "-100.0000", False),
        (0, 5, None, None),  # no base year: no verdict either
        (0, 0, None, None),
        (-5, 5, None, None),  # releases exceeded cash applied in the base year
    ],
)
def test_growth_is_exact_and_the_target_is_3_percent(
    previous: int, current: int, percent: str | None, meets: bool | None
) -> None:
    g = figures.growth("received", previous, current, figures.TARGET_GROWTH_PERCENT)
    assert g.percent == (None if percent is None else Decimal(percent))
    assert str(g.percent) == str(percent)
    assert g.meets_target is meets


def test_growth_just_below_the_target_is_not_met_although_close() -> None:
    g = figures.growth("contracted", 3_000_000, 3_089_999, Decimal(3))  # 2.99997 %
    assert (g.percent, g.meets_target) == (Decimal("2.9999"), False)


def test_the_table_shows_both_years_growth_and_flags(engine: Engine, world: World) -> None:
    build(engine, world)
    with session_scope(engine) as s:
        f = figures.yearly(
            s, principal=admin_principal(world.admin), pool_id=world.pool_id, year=2025, now=NOW
        )
    text = render_table(f)
    lines = text.splitlines()
    assert lines[
        0
    ] == "Test pool (pool 1): figures for 2025 against 2024, money in USD minor units".replace(
        "pool 1", f"pool {world.pool_id}"
    )
    assert lines[1] == "2025 counted to 2025-12-31 (complete); growth target 3 % a year"
    assert lines[3].split() == ["figure", "2024", "2025", "growth", "%", "target"]
    expected = {
        "deals signed": ["2", "3", "50.0000", "met", "(3%)"],
        "contracted (invoiced, not cancelled)": [
            *("140000", "90000", "-35.7143", "not", "met", "(3%)"),
        ],
        "received (cash applied to invoices)": [
            *("120000", "60000", "-50.0000", "not", "met", "(3%)"),
        ],
        "all deal types (licences, transfers, ...)": ["2", "3", "50.0000", "met", "(3%)"],
        "  transfers signed": ["0", "0"],
        "pledge financing amount": ["0", "0", "n/a", "no", "base", "year", "(10%)"],
        "pledge financing projects": ["0", "0", "n/a", "no", "base", "year", "(5%)"],
        "  licensee micro": ["0", "1"],
        "  through an open-licence offer": ["0", "1"],
        "  active at year end (any year signed)": ["2", "3"],
        "  administrator fee": ["6000", "4000"],
        "  state owned enterprise net payable": ["0", "15300"],
        "  no_product": ["1"],
        "  zero_fee": ["1"],
    }
    for label, cells in expected.items():
        found = [line for line in lines if line.startswith(label + " ")]
        assert found, label
        assert found[0][len(label) :].split() == cells, found[0]
    assert "review flags on 2025's deals: 2 agreement(s) flagged" in lines
    assert text.endswith("\n")
    assert all(len(line) <= 100 for line in lines)


def test_through_http_a_year_not_over_is_counted_to_today(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """The distribution worked example (tests/pool/distribution): Q1 2025 invoice of 1,500.50,
    1,000.00 received 2025-05-20, Q2 closed and approved on 2025-08-01."""
    distribution_kit.worked_example(client, engine, world, clock)
    distribution_kit.pay(client, world, "Q2-1", 100_000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    run = distribution_kit.close(client, world, "2025-04-01")
    distribution_kit.approve(client, world, run["id"])

    for caller in (world.admin, world.auditor):
        r = client.get(
            f"{API}/pools/{world.pool_id}/figures", params={"year": 2025}, headers=caller.headers
        )
        assert r.status_code == 200, r.text
        body = r.json()
        now = body["current"]
        assert (now["end"], now["as_of"], now["complete"]) == ("2025-08-02", "2025-08-01", False)
        assert now["deals"]["signed"] == 1
        assert now["deals"]["by_licensee_size"]["small"] == 1
        assert now["contracted"]["total_minor"] == 150_050
        assert now["received"]["by_licensee_size"] == sizes(small=100_000)
        paid = {k["contributor_kind"]: k for k in now["distributed"]["by_contributor_kind"]}
        assert (paid["university"]["gross_minor"], paid["university"]["net_payable_minor"]) == (
            45_008,
            40_507,
        )
        assert paid["research_institute"]["withholding_minor"] == 4_499
        assert now["distributed"]["admin_fee_minor"] == 10_000
        assert body["growth"][0] == {
            "figure": "deals",
            "target_percent": "3",
            "previous": 0,
            "current": 1,
            "percent": None,
            "meets_target": None,
        }
        assert body["target_growth_percent"] == "3"
        assert (body["review_flags"], body["flags"]) == ({}, [])


def test_percentages_travel_as_decimal_strings(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    build(engine, world)
    clock.now = NOW
    r = client.get(f"{API}/pools/{world.pool_id}/figures?year=2025", headers=world.auditor.headers)
    assert r.status_code == 200, r.text
    assert [g["percent"] for g in r.json()["growth"]] == [
        *("50.0000", "-35.7143", "-50.0000"),  # the pool's licences
        *("50.0000", "-35.7143", "-50.0000", None, None),  # every deal type: no other deals
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?year=abc",
        "?year=1999",
        "?year=2101",
        "?year=2027",  # after this year (the clock says 2026): refused by the service
    ],
)
def test_a_bad_year_is_a_problem(
    client: TestClient, world: World, clock: FakeClock, query: str
) -> None:
    clock.now = NOW
    r = client.get(f"{API}/pools/{world.pool_id}/figures{query}", headers=world.admin.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "year" in r.text


def test_a_missing_pool_is_404(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/pools/987654/figures?year=2025", headers=world.admin.headers)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
