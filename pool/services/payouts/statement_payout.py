"""Each statement's payout: paid on a day with the bank's reference, or not yet paid.

A payout line pays a contributor's whole open payable, which may be several statements'
net payable (a contributor held for want of bank details is paid later, in one line). So the
payments are matched to the statements first in, first out: a statement is paid by the paid
line whose running total first covers the running total of the contributor's net payable in
the pool up to and including that statement (periods in order; returned lines do not count).
A statement with nothing to pay (zero or negative net payable) says so."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from pool.errors import NotFound
from pool.models.distribution import Statement
from pool.models.payout import LineStatus, PayoutLine


@dataclass(frozen=True)
class StatementPayout:
    statement_id: int
    status: str  # "paid", "not_yet_paid", "nothing_to_pay"
    paid_on: date | None = None
    reference: str | None = None  # the bank's reference of the payment
    end_to_end_id: str | None = None  # the payment's id in the pain.001 file
    batch_id: int | None = None


def payout_of(session: Session, statement_id: int) -> StatementPayout:
    """The statement's payout. The caller has scoped the statement (contributor: its own)."""
    statement = session.get(Statement, statement_id)
    if statement is None:
        raise NotFound("statement not found")
    if statement.net_payable_minor <= 0:
        return StatementPayout(statement_id, "nothing_to_pay")
    earlier = session.exec(
        select(Statement.net_payable_minor).where(
            Statement.pool_id == statement.pool_id,
            Statement.contributor_organisation_id == statement.contributor_organisation_id,
            col(Statement.period_start) <= statement.period_start,
        )
    ).all()
    needed = sum(int(amount) for amount in earlier)
    paid = session.exec(
        select(PayoutLine)
        .where(
            PayoutLine.pool_id == statement.pool_id,
            PayoutLine.contributor_organisation_id == statement.contributor_organisation_id,
            PayoutLine.status == LineStatus.PAID,
        )
        .order_by(col(PayoutLine.paid_on), col(PayoutLine.id))
    ).all()
    running = 0
    for line in paid:
        running += line.amount_minor
        if running >= needed:
            return StatementPayout(
                statement_id, "paid", paid_on=line.paid_on, reference=line.bank_reference,
                end_to_end_id=line.end_to_end_id, batch_id=line.batch_id,
            )  # fmt: skip
    return StatementPayout(statement_id, "not_yet_paid")
