"""The demo year's payouts: a batch for each approved quarter, the contributors without bank
details held by the first and paid by the next, one payment returned and re-paid in the next
batch; every issued statement with money is paid, and the ledger owes contributors nothing."""

import pytest
from sqlmodel import Session, select

from pool.models.distribution import DistributionRun, Statement
from pool.models.payout import PayoutBatch, PayoutLine
from pool.services import audit
from pool.services.payouts import owed, payout_of
from tests.scheduler.demo_year import Built

pytestmark = pytest.mark.xdist_group("demo")


def test_a_batch_per_quarter_and_the_returned_payment_is_paid_in_the_next(built: Built) -> None:
    with Session(built.engine) as s:
        runs = s.exec(select(DistributionRun).where(DistributionRun.status == "approved")).all()
        made = s.exec(select(PayoutBatch).order_by(PayoutBatch.id)).all()
        lines = s.exec(select(PayoutLine).order_by(PayoutLine.id)).all()
        assert len(made) == len(runs) == 4
        returned = [line for line in lines if line.status == "returned"]
        assert len(returned) == 1
        again = [
            x for x in lines
            if x.contributor_organisation_id == returned[0].contributor_organisation_id
            and x.batch_id == made[1].id
        ]  # fmt: skip
        assert [x.status for x in again] == ["paid"]
        assert again[0].amount_minor > returned[0].amount_minor  # the returned money, and Q2's
        first = {x.contributor_organisation_id for x in lines if x.batch_id == made[0].id}
        second = {x.contributor_organisation_id for x in lines if x.batch_id == made[1].id}
        assert len(second - first) == 2  # the two held by the first batch
        pool_id = made[0].pool_id
        assert owed.open_payable(s, pool_id=pool_id) == {}
        statements = s.exec(select(Statement)).all()
        told = {payout_of(s, st.id or 0).status for st in statements if st.net_payable_minor > 0}
        assert told == {"paid"}
        assert audit.verify_money(s).ok
