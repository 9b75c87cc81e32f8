"""Worked examples: how payments settle invoices, what becomes credit, and retries.

Amounts are US cents. The licensee is SME L; invoices are for 2025 quarters."""

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.db import session_scope
from pool.errors import Conflict, IllegalTransition
from pool.models.billing import Invoice, Payment, PaymentAllocation, WriteOffCreate
from pool.services.billing import dues, payments
from tests.pool.billing import kit
from tests.pool.conftest import World

Q1 = (date(2025, 1, 1), date(2025, 4, 1))
Q2 = (date(2025, 4, 1), date(2025, 7, 1))


def setup(s: Session, world: World) -> int:
    return kit.agreement(s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0)


def statuses(s: Session) -> dict[str, str]:
    return {inv.number: inv.status for inv in s.exec(select(Invoice)).all()}


def test_a_partial_payment_leaves_the_rest_receivable(engine: Engine, world: World) -> None:
    with session_scope(engine) as s:
        deal = setup(s, world)
        kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 1000_00)],
        )
        kit.pay(s, world, reference="BANK-1", amount_minor=400_00, on=date(2025, 4, 20))
        #  account          | cents
        assert kit.balances(s, world.licensee.organisation_id or 0) == {
            "receivable": 600_00,
            "royalty_revenue": -1000_00,
            "cash": 400_00,
        }
        assert statuses(s) == {"Q1": "open"}


def test_an_over_payment_is_credit_that_the_next_invoice_consumes(
    engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        deal = setup(s, world)
        kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 300_00)],
        )
        payment = kit.pay(s, world, reference="BANK-1", amount_minor=500_00, on=date(2025, 4, 2))
        assert kit.balances(s, world.licensee.organisation_id or 0)["licensee_credit"] == -200_00
        kit.invoice(
            s,
            agreement_id=deal,
            number="Q2",
            usage=Q2,
            issued_on=date(2025, 7, 1),
            parts=[(date(2025, 7, 1), 250_00)],
        )
        from pool.services.billing import settlement

        applied = settlement.apply_credit(
            s,
            pool_id=world.pool_id,
            licensee_organisation_id=world.licensee.organisation_id or 0,
            now=kit.NOW,
        )
        assert applied == 200_00
        assert kit.balances(s, world.licensee.organisation_id or 0) == {
            "receivable": 50_00,
            "royalty_revenue": -550_00,
            "cash": 500_00,
        }
        assert statuses(s) == {"Q1": "paid", "Q2": "open"}
        assert payments.read(s, payment).credit_left_minor == 0


def test_payments_settle_the_oldest_due_invoice_first(engine: Engine, world: World) -> None:
    with session_scope(engine) as s:
        deal = setup(s, world)
        kit.invoice(
            s,
            agreement_id=deal,
            number="LATER",
            usage=Q2,
            issued_on=date(2025, 7, 1),
            parts=[(date(2025, 7, 1), 100_00)],
        )
        kit.invoice(
            s,
            agreement_id=deal,
            number="EARLIER",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 100_00)],
        )
        kit.pay(s, world, reference="BANK-1", amount_minor=150_00, on=date(2025, 7, 5))
        assert statuses(s) == {"LATER": "open", "EARLIER": "paid"}


def test_replaying_a_payment_reference_changes_nothing(engine: Engine, world: World) -> None:
    with session_scope(engine) as s:
        deal = setup(s, world)
        kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 100_00)],
        )
        first = kit.pay(s, world, reference="BANK-1", amount_minor=60_00, on=date(2025, 4, 2))
        before = kit.balances(s, world.licensee.organisation_id or 0)
        again = kit.pay(s, world, reference="BANK-1", amount_minor=60_00, on=date(2025, 4, 2))
        assert again.id == first.id
        assert kit.balances(s, world.licensee.organisation_id or 0) == before
        assert len(s.exec(select(Payment)).all()) == 1
        assert len(s.exec(select(PaymentAllocation)).all()) == 1
        with pytest.raises(Conflict, match="BANK-1"):
            kit.pay(s, world, reference="BANK-1", amount_minor=61_00, on=date(2025, 4, 2))


def test_a_write_off_moves_what_is_owed_to_bad_debt(engine: Engine, world: World) -> None:
    with session_scope(engine) as s:
        deal = setup(s, world)
        inv = kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 70_00), (date(2025, 10, 1), 30_00)],
        )
        kit.pay(s, world, reference="BANK-1", amount_minor=20_00, on=date(2025, 4, 2))
        done = payments.write_off(
            s,
            principal=kit.admin(world),
            invoice_id=inv.id or 0,
            data=WriteOffCreate(on=date(2025, 12, 1), reason="insolvent"),
            now=kit.recorded_on(date(2025, 12, 1)),
        )
        assert (done.amount_minor, done.status) == (80_00, "written_off")
        assert kit.balances(s, world.licensee.organisation_id or 0) == {
            "bad_debt": 80_00,
            "royalty_revenue": -100_00,
            "cash": 20_00,
        }
        with pytest.raises(IllegalTransition):
            payments.write_off(
                s,
                principal=kit.admin(world),
                invoice_id=inv.id or 0,
                data=WriteOffCreate(on=date(2025, 12, 2), reason="again"),
                now=kit.recorded_on(date(2025, 12, 2)),
            )
        assert (
            dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2026, 1, 1), now=kit.NOW) == 0
        )


def test_a_payment_settles_a_part_not_yet_due_at_once_and_only_the_rest_falls_due(
    engine: Engine, world: World
) -> None:
    """Issue 15: paying early is paying. 80.00 settles the 50.00 due and 30.00 of the half
    due in October at once (Cr deferred_receivable); in October only the unpaid 20.00 moves
    to receivable, once, however often the job runs."""
    with session_scope(engine) as s:
        deal = setup(s, world)
        inv = kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 50_00), (date(2025, 10, 1), 50_00)],
        )
        payment = kit.pay(s, world, reference="BANK-1", amount_minor=80_00, on=date(2025, 4, 2))
        who = world.licensee.organisation_id or 0
        assert [(a.invoice_id, a.amount_minor) for a in payments.read(s, payment).allocations] == [
            (inv.id, 80_00)
        ]
        assert kit.balances(s, who) == {
            "deferred_receivable": 20_00,
            "royalty_revenue": -100_00,
            "cash": 80_00,
        }
        assert (
            dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2025, 9, 30), now=kit.NOW) == 0
        )
        assert (
            dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2025, 10, 1), now=kit.NOW) == 1
        )
        assert (
            dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2025, 10, 2), now=kit.NOW) == 0
        )
        assert kit.balances(s, who) == {
            "receivable": 20_00,
            "royalty_revenue": -100_00,
            "cash": 80_00,
        }
        assert dues.overdue_parts(s, inv, as_of=date(2025, 10, 1)) == []
        [late] = dues.overdue_parts(s, inv, as_of=date(2025, 10, 11))
        assert (late.outstanding_minor, late.days_late) == (20_00, 10)


def test_a_part_paid_in_full_early_moves_nothing_when_it_falls_due(
    engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        deal = setup(s, world)
        inv = kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 10, 1), 100_00)],
        )
        kit.pay(s, world, reference="BANK-1", amount_minor=100_00, on=date(2025, 4, 2))
        s.refresh(inv)
        assert inv.status == "paid"
        who = world.licensee.organisation_id or 0
        assert kit.balances(s, who) == {"royalty_revenue": -100_00, "cash": 100_00}
        assert (
            dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2025, 10, 1), now=kit.NOW) == 0
        )
        assert kit.balances(s, who) == {"royalty_revenue": -100_00, "cash": 100_00}


def test_late_interest_runs_per_day_on_what_is_unpaid(engine: Engine, world: World) -> None:
    """7.3 % a year on 365 days is 0.02 % a day: 1,000.00 for 30 days is 6.00; after 400.00
    is paid 10 days late (0.80), 600.00 is late for 30 days (3.60)."""
    with session_scope(engine) as s:
        deal = setup(s, world)
        inv = kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 1000_00)],
        )
        [late] = dues.overdue_parts(s, inv, as_of=date(2025, 5, 1))
        assert (late.outstanding_minor, late.days_late, late.interest_minor) == (1000_00, 30, 6_00)
        kit.pay(s, world, reference="BANK-1", amount_minor=400_00, on=date(2025, 4, 11))
        [late] = dues.overdue_parts(s, inv, as_of=date(2025, 5, 1))
        assert (late.outstanding_minor, late.interest_minor) == (600_00, 80 + 3_60)
        assert dues.overdue_parts(s, inv, as_of=date(2025, 4, 1)) == []
