"""Payouts in the demo year: the pool's payee is set on the first day and most contributors
give their bank details (Chinese ones a CNAPS account, foreign ones an IBAN); the last two
give none until the first batch has held them. The day after each quarter's statements are
issued, the administrator makes a payout batch, marks it sent and records every payment
paid, except, in the first batch, one payment the bank returns (account closed): that
contributor's money is payable again and is paid in the next batch."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.distribution import DistributionRun, Statement
from pool.models.payout import AccountScheme, BankDetailsWrite, PayoutBatch
from pool.models.pool import PayeeWrite
from pool.services.payouts import bank_details, batches, owed, settling
from pool.services.pools import payee
from scheduler.demo.founding import Built
from scheduler.demo.records import Org, Plan

PAYEE = PayeeWrite(
    legal_name="Beijing Implementation Patent Pool Administration Co., Ltd.",
    bank_name="Bank of China, Beijing Branch", account_number="350045678901234",
    swift_bic="BKCHCNBJ110", cnaps_code="104100000004",
)  # fmt: skip
IBANS = ("DE89370400440532013000", "FR1420041010050500013M02606", "GB82WEST12345698765432")


def _account(org: Org, n: int) -> BankDetailsWrite:
    if org.country == "CN":
        return BankDetailsWrite(
            account_holder=org.name, scheme=AccountScheme.CN, account_number=f"62220202{n:011d}",
            bank_name="中国工商银行北京分行", cnaps_code="102100099996",
        )  # fmt: skip
    return BankDetailsWrite(
        account_holder=org.name,
        scheme=AccountScheme.IBAN,
        iban=IBANS[n % len(IBANS)],
        bic="COBADEFFXXX",
    )


class Payouts:
    """Called once a day after the nightly jobs; returns what it did, for the year's log."""

    def __init__(self, engine: Engine, the_plan: Plan, built: Built) -> None:
        self.engine, self.built = engine, built
        self.contributors = sorted(the_plan.contributors, key=lambda o: o.key)
        self.late = self.contributors[-2:]  # held by the first batch
        self.returned = False

    def day(self, day: date) -> list[str]:
        now = datetime.combine(day, time(15), UTC)
        with session_scope(self.engine) as session:
            if (
                day == date(day.year, 1, 1)
                and payee.for_invoice(session, pool_id=self.built.pool_id) is None
            ):
                self._found(session, now)
            if not self._due(session):
                return []
            return self._pay(session, day, now)

    def _found(self, session: Session, now: datetime) -> None:
        built = self.built
        payee.put(session, principal=built.admin, pool_id=built.pool_id, data=PAYEE, now=now)
        for n, org in enumerate(self.contributors):
            if org not in self.late:
                self._give(session, org, n, now)

    def _give(self, session: Session, org: Org, n: int, now: datetime) -> None:
        bank_details.put(
            session, principal=self.built.users[org.key], organisation_id=self.built.orgs[org.key],
            data=_account(org, n), now=now,
        )  # fmt: skip

    def _due(self, session: Session) -> bool:
        """A run approved, its statements issued, and fewer batches than such runs."""
        pool_id = self.built.pool_id
        issued = session.exec(
            select(func.count(func.distinct(Statement.run_id))).where(
                Statement.pool_id == pool_id,
                col(Statement.run_id).in_(
                    select(DistributionRun.id).where(DistributionRun.status == "approved")
                ),
            )
        ).one()
        made = session.exec(select(func.count()).where(PayoutBatch.pool_id == pool_id)).one()
        return int(issued) > int(made) and bool(owed.open_payable(session, pool_id=pool_id))

    def _pay(self, session: Session, day: date, now: datetime) -> list[str]:
        admin, pool_id = self.built.admin, self.built.pool_id
        batch = batches.create(
            session, principal=admin, pool_id=pool_id, execution_date=day, now=now
        )
        held = owed.held(session, pool_id=pool_id)
        settling.mark_sent(session, principal=admin, batch_id=batch.id or 0, sent_on=day, now=now)
        returned = 0
        for n, line in enumerate(batches.lines_of(session, batch.id or 0)):
            later = now + timedelta(minutes=n + 1)
            if not self.returned:
                self.returned, returned = True, 1
                settling.record_returned(
                    session, principal=admin, line_id=line.id or 0, returned_on=day,
                    reason="beneficiary account closed", now=later,
                )  # fmt: skip
                continue
            settling.record_paid(
                session, principal=admin, line_id=line.id or 0, paid_on=day,
                bank_reference=f"BOC{day:%Y%m%d}{n + 1:04d}", now=later,
            )  # fmt: skip
        if held and self.late:
            for org in self.late:  # told they were held, they give their details
                self._give(session, org, self.contributors.index(org), now)
            self.late = []
        return [
            f"batch {batch.message_id}: {batch.line_count} payments, {returned} returned, "
            f"{len(held)} held"
        ]
