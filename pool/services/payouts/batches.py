"""Payout batches: made by an administrator once distribution runs are approved, one line per
contributor owed money who gave bank details (its whole open net payable), the others held
and listed. Read by administrators and auditors; contributors and licensees find none (404)."""

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, NotFound
from pool.models.payout import (
    BatchStatus,
    HeldContributor,
    LineStatus,
    PayoutBatch,
    PayoutBatchRead,
    PayoutLine,
    PayoutLineRead,
)
from pool.models.pool import PoolPayee
from pool.services import audit
from pool.services.audit.money_tables import state
from pool.services.common.pages import Page, paginate
from pool.services.payouts import owed
from pool.services.payouts.locking import serialize
from pool.services.pools.registry import get as get_pool

NO_PAYEE = "the pool has no payee details: set the account payouts are paid from first"
NOTHING = "no contributor with bank details is owed money that is not in a batch yet"


def create(
    session: Session, *, principal: Principal, pool_id: int, execution_date: date, now: datetime
) -> PayoutBatch:
    """One line per contributor owed money with bank details (audited, each line too)."""
    principal.require_admin()
    pool = get_pool(session, pool_id=pool_id)
    if session.get(PoolPayee, pool_id) is None:
        raise Conflict(NO_PAYEE)
    serialize(session, pool_id)
    payable = owed.open_payable(session, pool_id=pool_id)
    accounts = owed.accounts(session, list(payable))
    paid = [(who, amount) for who, amount in payable.items() if who in accounts]
    if not paid:
        raise Conflict(NOTHING)
    number = 1 + int(session.exec(select(func.count()).where(PayoutBatch.pool_id == pool_id)).one())
    batch = PayoutBatch(
        pool_id=pool_id, message_id=f"PP{pool_id}-PO{number:05d}", currency=pool.currency,
        status=BatchStatus.CREATED, execution_date=execution_date,
        total_minor=sum(amount for _, amount in paid), line_count=len(paid), created_at=now,
    )  # fmt: skip
    session.add(batch)
    session.flush()
    lines = [_line(batch, who, amount, accounts[who]) for who, amount in paid]
    session.add_all(lines)
    session.flush()
    events: list[audit.EventSpec] = [
        ("payout_batch.created", "payout_batch", batch.id, None, state(session, batch), pool_id)
    ]
    events += [
        ("payout_line.created", "payout_line", line.id, None, state(session, line), pool_id)
        for line in lines
    ]
    audit.record_many(session, events, actor=audit.Actor.of(principal), now=now)
    return batch


def _line(batch: PayoutBatch, who: int, amount: int, account: object) -> PayoutLine:
    copied = {
        name: getattr(account, name)
        for name in ("account_holder", "scheme", "iban", "bic", "account_number", "bank_name",
                     "cnaps_code")
    }  # fmt: skip
    return PayoutLine(
        batch_id=batch.id or 0, pool_id=batch.pool_id, contributor_organisation_id=who,
        end_to_end_id=f"{batch.message_id}-{who}", amount_minor=amount,
        status=LineStatus.PENDING, **copied,
    )  # fmt: skip


def get(session: Session, *, principal: Principal, batch_id: int) -> PayoutBatch:
    principal.require_staff()
    batch = session.get(PayoutBatch, batch_id)
    if batch is None:
        raise NotFound("payout batch not found")
    return batch


def lines_of(session: Session, batch_id: int) -> list[PayoutLine]:
    return list(
        session.exec(
            select(PayoutLine)
            .where(PayoutLine.batch_id == batch_id)
            .order_by(col(PayoutLine.contributor_organisation_id))
        ).all()
    )


def listing(
    session: Session, *, principal: Principal, pool_id: int, limit: int, offset: int
) -> Page[PayoutBatchRead]:
    """The pool's batches, newest first, each with its lines (staff)."""
    principal.require_staff()
    get_pool(session, pool_id=pool_id)
    query = (
        select(PayoutBatch)
        .where(PayoutBatch.pool_id == pool_id)
        .order_by(col(PayoutBatch.id).desc())
    )
    return paginate(
        session, query, limit=limit, offset=offset, convert=lambda batch: read(session, batch)
    )


def held(
    session: Session, *, principal: Principal, pool_id: int, limit: int, offset: int
) -> Page[HeldContributor]:
    """Contributors owed money who gave no bank details (staff), by id."""
    principal.require_staff()
    get_pool(session, pool_id=pool_id)
    every = owed.held(session, pool_id=pool_id)
    return Page[HeldContributor](
        items=every[offset : offset + limit], total=len(every), limit=limit, offset=offset
    )


def read(session: Session, batch: PayoutBatch) -> PayoutBatchRead:
    """The batch, its lines with the contributors' names, and who is held now."""
    lines = lines_of(session, batch.id or 0)
    named = owed.names(session, [line.contributor_organisation_id for line in lines])
    return PayoutBatchRead(
        **batch.model_dump(exclude={"status"}),
        status=BatchStatus(batch.status),
        lines=[_line_read(line, named) for line in lines],
        held=owed.held(session, pool_id=batch.pool_id),
    )


def line_read(session: Session, line: PayoutLine) -> PayoutLineRead:
    who = line.contributor_organisation_id
    return _line_read(line, owed.names(session, [who]))


def _line_read(line: PayoutLine, named: dict[int, str]) -> PayoutLineRead:
    return PayoutLineRead(
        **line.model_dump(exclude={"status"}), status=LineStatus(line.status),
        contributor_name=named.get(line.contributor_organisation_id, ""),
    )  # fmt: skip
