"""The ledger core: balanced entries, the invoice-issue entry and its split."""

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.ledger import Posting
from pool.services.billing import ledger
from tests.pool.billing import kit
from tests.pool.conftest import World

Q1 = (date(2025, 1, 1), date(2025, 4, 1))


def test_an_invoice_with_a_deferred_instalment_debits_both_receivables(
    engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        inv = kit.invoice(
            s,
            agreement_id=deal,
            number="INV-1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 60_00), (date(2025, 10, 1), 40_00)],
        )
        legs = {(p.account, p.amount_minor, p.usage_start) for p in s.exec(select(Posting)).all()}
        assert inv.total_minor == 100_00
    assert legs == {
        ("receivable", 60_00, Q1[0]),
        ("deferred_receivable", 40_00, Q1[0]),
        ("royalty_revenue", -100_00, Q1[0]),
    }


def test_a_split_that_disagrees_with_the_instalments_is_refused(
    engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        inv = kit.invoice(
            s,
            agreement_id=deal,
            number="INV-1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 5, 1), 10_00)],
        )
        with pytest.raises(ledger.UnbalancedEntry, match="disagrees"):
            ledger.post_invoice_issued(
                s, invoice=inv, due_now_minor=10_00, deferred_minor=0, now=kit.NOW
            )


def test_an_unbalanced_entry_is_never_written(engine: Engine, world: World) -> None:
    with session_scope(engine) as s, pytest.raises(ledger.UnbalancedEntry):
        ledger.post(
            s,
            pool_id=world.pool_id,
            currency="USD",
            occurred_on=date(2025, 1, 1),
            kind="x",
            source_type="test",
            source_id=1,
            legs=[ledger.Leg("cash", 1)],
            now=kit.NOW,
        )
