"""Property tests: after any sequence of invoices, payments (and retries), deferred parts
falling due, write-offs and corrections (an invoice cancelled and reissued for the same usage
period, as a corrected report does), the books balance and no money appears from nowhere."""

from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pool.models.billing import Invoice, Payment, PaymentAllocation, WriteOffCreate
from pool.models.ledger import Posting
from pool.services.billing import dues, invoices, ledger, payments, settlement
from tests.pool.billing import kit
from tests.pool.conftest import World

START = date(2025, 1, 1)
amounts = st.integers(min_value=1, max_value=500_00)
days = st.integers(min_value=0, max_value=200)
step = st.one_of(
    st.tuples(st.just("invoice"), amounts, amounts, days),
    st.tuples(st.just("pay"), amounts, days, st.booleans()),
    st.tuples(st.just("due"), days),
    st.tuples(st.just("write_off"), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("correct"), st.integers(min_value=0, max_value=5), amounts, amounts),
)


def correct(s: Session, world: World, deal: int, n: int, action: tuple) -> None:  # type: ignore[type-arg]
    """Cancel a live invoice and issue its replacement for the same period, then settle it
    from credit, exactly the steps of a report correction."""
    _, pick, now_part, later_part = action
    live = s.exec(
        select(Invoice).where(col(Invoice.status).in_(("open", "paid"))).order_by(col(Invoice.id))
    ).all()
    if not live:
        return
    old = live[pick % len(live)]
    invoices.cancel(s, principal=kit.admin(world), invoice=old, reason="test", now=kit.NOW)
    kit.invoice(
        s,
        agreement_id=deal,
        number=f"I{n}",
        usage=(old.usage_start, old.usage_end),
        issued_on=old.issued_on,
        parts=[(old.issued_on, now_part), (old.issued_on + timedelta(60), later_part)],
    )
    settlement.apply_credit(
        s,
        pool_id=world.pool_id,
        licensee_organisation_id=world.licensee.organisation_id or 0,
        now=kit.NOW,
    )


def apply(s: Session, world: World, deal: int, n: int, action: tuple) -> None:  # type: ignore[type-arg]
    if action[0] == "invoice":
        _, now_part, later_part, offset = action
        issued = START + timedelta(days=offset)
        kit.invoice(
            s,
            agreement_id=deal,
            number=f"I{n}",
            usage=(START, START + timedelta(90)),
            issued_on=issued,
            parts=[(issued, now_part), (issued + timedelta(60), later_part)],
        )
        settlement.apply_credit(
            s,
            pool_id=world.pool_id,
            licensee_organisation_id=world.licensee.organisation_id or 0,
            now=kit.NOW,
        )
    elif action[0] == "pay":
        _, amount, offset, retry = action
        on = START + timedelta(days=offset)
        kit.pay(s, world, reference=f"P{n}", amount_minor=amount, on=on)
        if retry:
            before = s.exec(select(func.count()).select_from(Posting)).one()
            kit.pay(s, world, reference=f"P{n}", amount_minor=amount, on=on)
            assert s.exec(select(func.count()).select_from(Posting)).one() == before
    elif action[0] == "correct":
        correct(s, world, deal, n, action)
    elif action[0] == "due":
        dues.recognise_due(
            s, pool_id=world.pool_id, as_of=START + timedelta(days=action[1]), now=kit.NOW
        )
    else:
        open_ids = [i.id for i in s.exec(select(Invoice).where(Invoice.status == "open")).all()]
        if open_ids:
            payments.write_off(
                s,
                principal=kit.admin(world),
                invoice_id=open_ids[action[1] % len(open_ids)] or 0,
                data=WriteOffCreate(on=START, reason="test"),
                now=kit.NOW,
            )


def check_books(s: Session, world: World) -> None:
    per_entry = s.exec(
        select(Posting.entry_id, func.sum(Posting.amount_minor)).group_by(Posting.entry_id)
    ).all()
    assert all(total == 0 for _, total in per_entry)
    assert sum(b for _, _, b in ledger.trial_balance(s, pool_id=world.pool_id)) == 0
    balances = kit.balances(s, world.licensee.organisation_id or 0)
    received = sum(p.amount_minor for p in s.exec(select(Payment)).all())
    live = s.exec(select(Invoice).where(Invoice.status != "cancelled")).all()
    invoiced = sum(i.total_minor for i in live)
    credit = -balances.get("licensee_credit", 0)
    attributed = sum(a for _, _, a in ledger.cash_by_usage_period(s, pool_id=world.pool_id))
    assert balances.get("cash", 0) == received
    assert credit >= 0
    assert attributed + credit == received
    assert received <= invoiced + credit  # cash never exceeds what is invoiced plus credit
    settled = 0
    for inv in s.exec(select(Invoice)).all():
        paid = s.exec(
            select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0)).where(
                PaymentAllocation.invoice_id == inv.id
            )
        ).one()
        assert 0 <= paid <= inv.total_minor
        assert (inv.status == "paid") == (paid == inv.total_minor)
        assert inv.status != "cancelled" or paid == 0  # released, not stranded
        settled += paid
    assert attributed == settled  # cash with a period is exactly what settles live invoices


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(step, min_size=1, max_size=12))
@example(  # always: a part-paid invoice corrected down, then up past what was paid
    actions=[
        ("invoice", 100_00, 50_00, 0),
        ("pay", 60_00, 10, False),
        ("correct", 0, 40_00, 10_00),
        ("correct", 0, 90_00, 0),
    ]
)
def test_any_sequence_keeps_the_books_balanced(
    engine: Engine,
    world: World,
    actions: list[tuple],  # type: ignore[type-arg]
) -> None:
    with Session(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        for n, action in enumerate(actions):
            apply(s, world, deal, n, action)
            check_books(s, world)
        s.rollback()
