"""Money invariants of distribution runs, over random pools and random payment schedules:

* every run: the contributors' gross and adjustments plus the fee equal the money received,
  and so do their net amounts plus withholding plus the fee, to the unit;
* paying an invoice in parts over several quarters gives each contributor, in the sum of the
  runs, exactly what one payment of the whole would give (the cumulative rule never drifts);
* the ledger balances after every approval.
"""

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

import allocation
from contracts.money import add_months
from pool.db import session_scope
from pool.models.billing import InvoiceLine, PaymentCreate
from pool.models.distribution import RunContributor, RunLine
from pool.models.organisation import Organisation
from pool.models.pool import Pool, PoolCreate, PoolStatus, PoolUpdate, TechnologyField
from pool.services import audit, distribution, pools
from pool.services.billing import ledger, payments
from pool.services.distribution import runs as distribution_runs
from pool.services.distribution.cash import buckets_for
from pool.services.distribution.inputs import allocation_input, organisation_of, pool_patents
from tests.pool.billing import kit as billing
from tests.pool.conftest import World, admin_principal
from tests.pool.distribution import kit

ACTOR = audit.Actor.system("property-test")
Q1 = (date(2025, 1, 1), date(2025, 4, 1))
IN_POOL = date(2020, 1, 1)
COUNTRIES = ("CN", "US", "DE")

patent_sets = st.lists(
    st.tuples(
        st.integers(0, 3),  # owner (index into the pool's contributors)
        st.sampled_from(COUNTRIES),
        st.none() | st.integers(1, 89),  # leaves the pool on day N of Q1
    ),
    min_size=1,
    max_size=8,
)
invoice_lines = st.lists(
    st.tuples(st.sampled_from(COUNTRIES), st.integers(1, 5_000_000)), min_size=1, max_size=4
)


@st.composite
def schedules(draw: st.DrawFn) -> list[tuple[int, int]]:
    """(share of the invoice in basis points, quarter index 0..3 it arrives in)."""
    parts = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *cuts, 10000]
    return [
        (edges[i + 1] - edges[i], draw(st.integers(0, 3)))
        for i in range(parts)
        if edges[i + 1] > edges[i]
    ]


def make_pool(s: Session, world: World, fee: str, now: datetime) -> Pool:
    boss = admin_principal(world.admin)
    pool = pools.create(
        s,
        principal=boss,
        data=PoolCreate(
            name=f"Property pool {uuid.uuid4().hex[:12]}",
            technology_field=TechnologyField.ICT_MANUFACTURING,
            currency="USD",
            admin_fee_rate=Decimal(fee),
        ),
        now=now,
    )
    pools.update(
        s, principal=boss, pool_id=pool.id or 0, data=PoolUpdate(status=PoolStatus.OPEN), now=now
    )
    return pool


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fee=st.sampled_from(["0", "0.10", "0.125", "0.3333"]),
    patents=patent_sets,
    lines=invoice_lines,
    schedule=schedules(),
)
def test_partial_payments_add_up_to_the_one_shot_split(
    engine: Engine,
    world: World,
    fee: str,
    patents: list[tuple[int, str, int | None]],
    lines: list[tuple[str, int]],
    schedule: list[tuple[int, int]],
) -> None:
    now = datetime(2025, 4, 2, tzinfo=UTC)
    owners = [world.contributor.organisation_id or 0, world.other_contributor.organisation_id or 0]
    with session_scope(engine) as s:
        pool = make_pool(s, world, fee, now)
        pool_id = pool.id or 0
        for n in range(2):
            org = Organisation(name=f"Extra {n}", kind="university", country="CN", created_at=now)
            s.add(org)
            s.flush()
            owners.append(org.id or 0)
        kit.add_patent(s, pool_id, owners[0], "CN", IN_POOL, None)  # CN is always bucketable
        for owner, country, leaves in patents:
            end = Q1[0] + timedelta(days=leaves) if leaves else None
            kit.add_patent(s, pool_id, owners[owner], country, IN_POOL, end)
        deal = billing.agreement(
            s, pool_id=pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        total = sum(amount for _, amount in lines)
        invoice = billing.invoice(
            s,
            agreement_id=deal,
            number=f"INV-{pool_id}",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), total)],
        )
        s.add_all(
            InvoiceLine(
                invoice_id=invoice.id or 0,
                line_no=n,
                category="mobile",
                country_of_manufacture="CN",
                country_of_sale=sold,
                amount_minor=amount,
            )
            for n, (sold, amount) in enumerate(lines, start=1)
        )
    paid = 0
    for n, (basis_points, quarter) in enumerate(schedule):
        amount = total * basis_points // 10000 if n < len(schedule) - 1 else total - paid
        paid += amount
        if amount == 0:
            continue
        received_on = add_months(date(2025, 4, 1), 3 * quarter) + timedelta(days=10)
        with session_scope(engine) as s:
            payments.record(
                s,
                principal=admin_principal(world.admin),
                pool_id=pool_id,
                data=PaymentCreate(
                    licensee_organisation_id=world.licensee.organisation_id or 0,
                    reference=f"P{pool_id}-{n}",
                    amount_minor=amount,
                    currency="USD",
                    received_on=received_on,
                ),
                now=datetime.combine(received_on, datetime.min.time(), UTC),  # not before it came
            )

    paid_per_contributor: dict[int, int] = defaultdict(int)
    fees = 0
    for quarter in range(4):
        start = add_months(date(2025, 4, 1), 3 * quarter)
        when = datetime.combine(add_months(start, 3), datetime.min.time(), UTC) + timedelta(40)
        with session_scope(engine) as s:
            run = distribution.compute(
                s, pool_id=pool_id, period_start=start, actor=ACTOR, now=when
            )
            distribution_runs.approve(s, run=run, actor=ACTOR, now=when)
            totals = s.exec(select(RunContributor).where(RunContributor.run_id == run.id)).all()
            before_tax = sum(c.gross_minor + c.adjustments_minor for c in totals)
            assert before_tax + run.admin_fee_minor == run.received_minor
            assert (
                sum(c.net_payable_minor + c.withholding_minor for c in totals) + run.admin_fee_minor
                == run.received_minor
            )
            for line in s.exec(select(RunLine).where(RunLine.run_id == run.id)).all():
                paid_per_contributor[line.contributor_organisation_id] += line.amount_minor
            fees += run.admin_fee_minor
            assert sum(b for _, _, b in ledger.trial_balance(s, pool_id=pool_id)) == 0

    with Session(engine) as s:
        pool_row = s.get(Pool, pool_id)
        assert pool_row is not None
        buckets = buckets_for(s, pool_id=pool_id, before=date(2030, 1, 1), periods=[Q1])[Q1]
        one_shot = allocation.allocate(
            allocation_input(pool_row, pool_patents(s, pool_id=pool_id), Q1, buckets)
        )
    assert sum(buckets.values()) == total
    assert fees == one_shot.admin_fee_minor
    expected = {organisation_of(c.id): c.amount_minor for c in one_shot.contributors}
    assert {k: v for k, v in paid_per_contributor.items() if v} == {
        k: v for k, v in expected.items() if v
    }
