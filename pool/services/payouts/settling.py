"""A batch is marked sent once handed to the bank; then each line is recorded paid (Dr
`contributor_payable` / Cr `cash`, tagged with the contributor, dated the day paid) or
returned (a pending line: nothing was booked, the money stays payable; a paid line: the entry
is reversed). Either way a returned amount is payable again and goes in the next batch.

Each is idempotent (the same call again changes nothing and answers the same), audited, and
serialized per pool (`locking`); the ledger refuses a second entry of a kind for a line."""

from datetime import date, datetime

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import Conflict, NotFound
from pool.models.payout import BatchStatus, LineStatus, PayoutBatch, PayoutLine
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.money_tables import state
from pool.services.billing import ledger
from pool.services.billing.ledger import CASH, Leg
from pool.services.distribution.runs import CONTRIBUTOR_PAYABLE
from pool.services.payouts.locking import serialize
from pool.services.pools import money_dates
from pool.services.pools.registry import get as get_pool

PAID = "payout_paid"
RETURNED = "payout_returned"


def mark_sent(
    session: Session, *, principal: Principal, batch_id: int, sent_on: date, now: datetime
) -> PayoutBatch:
    principal.require_admin()
    batch = _batch(session, batch_id)
    _day(session, batch.pool_id, "sent_on", "the day sent", sent_on, now)
    serialize(session, batch.pool_id)
    session.refresh(batch)
    if batch.status == BatchStatus.SENT:
        if batch.sent_on == sent_on:
            return batch
        raise Conflict(
            Phrase("the batch was already marked sent on %(sent_on)s", sent_on=batch.sent_on)
        )
    before = state(session, batch)
    batch.status, batch.sent_on = BatchStatus.SENT, sent_on
    session.add(batch)
    _audit(session, principal, "payout_batch.sent", batch, before, now)
    return batch


def record_paid(
    session: Session, *, principal: Principal, line_id: int, paid_on: date, bank_reference: str,
    now: datetime,
) -> PayoutLine:  # fmt: skip
    principal.require_admin()
    line, batch = _line(session, line_id)
    _day(session, line.pool_id, "paid_on", "the day paid", paid_on, now)
    if line.status == LineStatus.PAID and line.bank_reference == bank_reference:
        return line
    if line.status != LineStatus.PENDING:
        raise Conflict(Phrase("the payment is already %(status)s", status=line.status))
    if paid_on < (batch.sent_on or paid_on):
        raise Conflict("a payment is paid on or after the day its batch was sent")
    before = state(session, line)
    line.status, line.paid_on, line.bank_reference = LineStatus.PAID, paid_on, bank_reference
    session.add(line)
    _post(session, line, batch, PAID, sign=1, on=paid_on, now=now)
    _audit(session, principal, "payout_line.paid", line, before, now)
    return line


def record_returned(
    session: Session, *, principal: Principal, line_id: int, returned_on: date, reason: str,
    now: datetime,
) -> PayoutLine:  # fmt: skip
    principal.require_admin()
    line, batch = _line(session, line_id)
    _day(session, line.pool_id, "returned_on", "the day returned", returned_on, now)
    if line.status == LineStatus.RETURNED:
        return line
    before = state(session, line)
    if line.status == LineStatus.PAID:
        _post(session, line, batch, RETURNED, sign=-1, on=returned_on, now=now)
    line.status, line.returned_on, line.return_reason = LineStatus.RETURNED, returned_on, reason
    session.add(line)
    _audit(session, principal, "payout_line.returned", line, before, now)
    return line


def _day(session: Session, pool_id: int, field: str, what: str, value: date, now: datetime) -> None:
    pool = get_pool(session, pool_id=pool_id)
    money_dates.check(pool, field=field, what=what, value=value, today=now.date())


def _batch(session: Session, batch_id: int) -> PayoutBatch:
    batch = session.get(PayoutBatch, batch_id)
    if batch is None:
        raise NotFound("payout batch not found")
    return batch


def _line(session: Session, line_id: int) -> tuple[PayoutLine, PayoutBatch]:
    """The line and its batch, read again under the pool's lock; the batch must be sent."""
    line = session.get(PayoutLine, line_id)
    if line is None:
        raise NotFound("payout line not found")
    serialize(session, line.pool_id)
    session.refresh(line)
    batch = _batch(session, line.batch_id)
    session.refresh(batch)
    if batch.status != BatchStatus.SENT:
        raise Conflict("mark the batch sent before recording its payments")
    return line, batch


def _post(
    session: Session, line: PayoutLine, batch: PayoutBatch, kind: str, *, sign: int, on: date,
    now: datetime,
) -> None:  # fmt: skip
    who, amount = line.contributor_organisation_id, sign * line.amount_minor
    ledger.post(
        session, pool_id=line.pool_id, currency=batch.currency, occurred_on=on, kind=kind,
        source_type="payout_line", source_id=line.id or 0, now=now,
        memo=f"{kind.replace('_', ' ')} {line.end_to_end_id}",
        legs=[
            Leg(CONTRIBUTOR_PAYABLE, amount, contributor_organisation_id=who),
            Leg(CASH, -amount, contributor_organisation_id=who),
        ],
    )  # fmt: skip


def _audit(
    session: Session, principal: Principal, action: str, row: PayoutBatch | PayoutLine,
    before: dict[str, object], now: datetime,
) -> None:  # fmt: skip
    audit.record(
        session, actor=audit.Actor.of(principal), action=action,
        entity_type=row.__tablename__, entity_id=row.id, pool_id=row.pool_id,
        before=before, after=state(session, row), now=now,
    )  # fmt: skip
