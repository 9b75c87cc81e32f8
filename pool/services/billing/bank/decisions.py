"""The credits an administrator decides: the pool's credits read (administrators and auditors),
a waiting one assigned to a licensee (recorded as its payment) or dismissed with a note. Both
decisions lock the credit and are audited; the same decision again changes nothing."""

from datetime import datetime

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import IllegalTransition, NotFound
from pool.models.bank import (
    BankCredit,
    BankCreditRead,
    CreditAssign,
    CreditDismiss,
    CreditStatus,
    MatchRule,
)
from pool.rendering import Phrase
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.billing.bank.matching import Candidates, record, suggestions
from pool.services.common.pages import Page, paginate


def read(
    session: Session, credit: BankCredit, candidates: Candidates | None = None
) -> BankCreditRead:
    """The credit; a waiting one with its suggestions (`candidates`: read once per page)."""
    waiting = credit.status == CreditStatus.WAITING
    hints = suggestions(session, credit, candidates) if waiting else []
    return BankCreditRead.model_validate({**credit.model_dump(), "suggestions": hints})


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    status: CreditStatus | None,
    limit: int,
    offset: int,
) -> Page[BankCreditRead]:
    """The pool's credits, newest booking first (administrators and auditors)."""
    principal.require_staff()
    pools.get(session, pool_id=pool_id)
    query = select(BankCredit).where(BankCredit.pool_id == pool_id)
    if status is not None:
        query = query.where(BankCredit.status == status)
    query = query.order_by(col(BankCredit.booked_on).desc(), col(BankCredit.id).desc())
    known: list[Candidates] = []  # read at the first waiting credit, then shared

    def convert(credit: BankCredit) -> BankCreditRead:
        if credit.status == CreditStatus.WAITING and not known:
            known.append(Candidates.of(session, pool_id))
        return read(session, credit, known[0] if known else None)

    return paginate(session, query, limit=limit, offset=offset, convert=convert)


def get(session: Session, *, principal: Principal, credit_id: int) -> BankCredit:
    principal.require_staff()
    credit = session.get(BankCredit, credit_id)
    if credit is None:
        raise NotFound("bank credit not found")
    return credit


def _waiting(session: Session, principal: Principal, credit_id: int) -> BankCredit:
    """The credit, locked (two administrators deciding at once: one waits, then sees the
    other's decision). Who cannot see credits is told it does not exist; an auditor, who
    can, is refused the change."""
    principal.require_staff()
    credit = session.exec(
        select(BankCredit).where(BankCredit.id == credit_id).with_for_update()
    ).first()
    if credit is None:
        raise NotFound("bank credit not found")
    principal.require_admin()
    session.refresh(credit)
    return credit


def assign(
    session: Session, *, principal: Principal, credit_id: int, data: CreditAssign, now: datetime
) -> BankCredit:
    """A waiting credit is this licensee's: record it as its payment. Assigning a credit to
    the licensee it is already matched to changes nothing."""
    credit = _waiting(session, principal, credit_id)
    if credit.status == CreditStatus.MATCHED and credit.licensee_organisation_id == (
        data.licensee_organisation_id
    ):
        return credit
    if credit.status != CreditStatus.WAITING:
        raise IllegalTransition(
            Phrase("this bank credit is already %(status)s", status=credit.status)
        )
    before = snapshot(credit)
    pool = pools.get(session, pool_id=credit.pool_id)
    record(session, principal, pool, credit, data.licensee_organisation_id,
            MatchRule.ADMINISTRATOR, None, now)  # fmt: skip
    credit.note = data.note
    credit.decided_by_user_id = principal.user_id
    _decided(session, principal, credit, "bank_credit.assigned", before, now)
    return credit


def dismiss(
    session: Session, *, principal: Principal, credit_id: int, data: CreditDismiss, now: datetime
) -> BankCredit:
    """Not a licensee's money (bank interest, a refund to the pool): say why; nothing is
    recorded. Dismissing again with the same note changes nothing."""
    credit = _waiting(session, principal, credit_id)
    if credit.status == CreditStatus.DISMISSED and credit.note == data.note:
        return credit
    if credit.status != CreditStatus.WAITING:
        raise IllegalTransition(
            Phrase("this bank credit is already %(status)s", status=credit.status)
        )
    before = snapshot(credit)
    credit.status = CreditStatus.DISMISSED
    credit.note = data.note
    credit.decided_by_user_id = principal.user_id
    credit.decided_at = now
    _decided(session, principal, credit, "bank_credit.dismissed", before, now)
    return credit


def _decided(
    session: Session,
    principal: Principal,
    credit: BankCredit,
    action: str,
    before: dict[str, object] | None,
    now: datetime,
) -> None:
    session.add(credit)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=action,
        entity_type="bank_credit",
        entity_id=credit.id,
        pool_id=credit.pool_id,
        before=before,
        after=snapshot(credit),
        now=now,
    )
