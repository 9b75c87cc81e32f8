"""Payment notices: a licensee says it has paid; an administrator confirms or rejects it.

A notice changes no balance (a licensee's word is not cash, docs/ledger.md). Confirming one is
recording the bank receipt: `payments.record` with the notice's reference, so the money can
never be recorded twice, and confirming again with the same details is a safe retry. The
licensee reads the answer on its invoice page and gets a message in its outbox."""

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pool.auth import Principal
from pool.errors import Conflict, IllegalTransition, InvalidInput
from pool.models.billing import Invoice, Payment, PaymentCreate
from pool.models.billing.payment_notice import (
    NoticeConfirm,
    NoticeReject,
    NoticeStatus,
    PaymentNotice,
    PaymentNoticeCreate,
)
from pool.models.licensing import LicenceAgreement
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.billing import licensee_money, payments, reminders
from pool.services.billing.notice_reading import get as get
from pool.services.billing.notice_reading import listing as listing
from pool.services.billing.notice_reading import read as read
from pool.services.mail import letters
from pool.services.pools import money_dates

KIND = "payment_notice"


def _pool_of(session: Session, principal: Principal, data: PaymentNoticeCreate) -> int:
    """The pool the money is for: the invoice's (which must be the licensee's, open, and in
    the pool named, if one is), else the pool named."""
    if data.invoice_id is None:
        if data.pool_id is None:
            raise InvalidInput.field("pool_id", "say which pool (or invoice) this payment is for")
        pools.get(session, pool_id=data.pool_id)
        return data.pool_id
    invoice = session.get(Invoice, data.invoice_id)
    if invoice is None or invoice.licensee_organisation_id != principal.organisation_id:
        raise InvalidInput.field("invoice_id", "no such invoice of yours")
    if data.pool_id is not None and data.pool_id != invoice.pool_id:
        raise InvalidInput.field("invoice_id", "this invoice belongs to another pool")
    if invoice.status != "open":
        raise InvalidInput.field("invoice_id", "this invoice is not open: nothing is left to pay")
    return invoice.pool_id


def _check_licensee(session: Session, *, pool_id: int, organisation_id: int) -> None:
    deal = session.exec(
        select(LicenceAgreement.id).where(
            LicenceAgreement.pool_id == pool_id,
            LicenceAgreement.licensee_organisation_id == organisation_id,
        )
    ).first()
    if deal is None:
        raise InvalidInput.field("pool_id", "you hold no licence agreement in this pool")


def _by_reference(session: Session, organisation_id: int, reference: str) -> PaymentNotice | None:
    return session.exec(
        select(PaymentNotice).where(
            PaymentNotice.licensee_organisation_id == organisation_id,
            PaymentNotice.reference == reference,
        )
    ).first()


def _replay(found: PaymentNotice, pool_id: int, data: PaymentNoticeCreate) -> PaymentNotice:
    """The same notice sent again (a double click, a retry) returns the first one; the same
    reference for other money is a clash. The free-text note is not compared."""
    same = (found.pool_id, found.invoice_id, found.amount_minor, found.paid_on) == (
        pool_id,
        data.invoice_id,
        data.amount_minor,
        data.paid_on,
    )
    if not same:
        raise Conflict(
            Phrase(
                "payment notice %(reference)s was sent with other details", reference=data.reference
            )
        )
    return found


def declare(
    session: Session,
    *,
    principal: Principal,
    data: PaymentNoticeCreate,
    now: datetime,
) -> tuple[PaymentNotice, bool]:
    """A licensee tells the pool it has paid; return (notice, created)."""
    principal.require_role(Role.LICENSEE)
    organisation_id = principal.organisation_id or 0
    pool_id = _pool_of(session, principal, data)
    _check_licensee(session, pool_id=pool_id, organisation_id=organisation_id)
    pool = pools.get(session, pool_id=pool_id)
    money_dates.check(
        pool, field="paid_on", what="the date paid", value=data.paid_on, today=now.date()
    )
    if (found := _by_reference(session, organisation_id, data.reference)) is not None:
        return _replay(found, pool_id, data), False
    if _payment_with(session, organisation_id, data.reference) is not None:
        raise InvalidInput.field(
            "reference", "the pool has already recorded a payment with this reference"
        )
    notice = PaymentNotice(
        pool_id=pool_id,
        licensee_organisation_id=organisation_id,
        currency=pool.currency,
        declared_by_user_id=principal.user_id,
        created_at=now,
        **data.model_dump(exclude={"pool_id"}),
    )
    try:
        with session.begin_nested():
            session.add(notice)
            session.flush()
    except IntegrityError:  # the same reference, committed by a concurrent request
        found = _by_reference(session, organisation_id, data.reference)
        if found is None:
            raise
        return _replay(found, pool_id, data), False
    _audit(session, principal, notice, "declared", None, now)
    return notice, True


def _payment_with(session: Session, organisation_id: int, reference: str) -> Payment | None:
    return session.exec(
        select(Payment).where(
            Payment.licensee_organisation_id == organisation_id, Payment.reference == reference
        )
    ).first()


def _decidable(session: Session, principal: Principal, notice_id: int) -> PaymentNotice:
    """The notice as it is once no other decision or payment of its licensee can run: two
    administrators confirming at once record the money once."""
    notice = get(session, principal=principal, notice_id=notice_id)
    principal.require_admin()
    licensee_money.serialize(session, notice.licensee_organisation_id)
    session.refresh(notice)
    return notice


def confirm(
    session: Session, *, principal: Principal, notice_id: int, data: NoticeConfirm, now: datetime
) -> PaymentNotice:
    """The bank shows the money: record it as a payment (amount and date as received) and
    link it. Confirming a confirmed notice with the same amount and date changes nothing."""
    notice = _decidable(session, principal, notice_id)
    amount = data.amount_minor or notice.amount_minor
    received_on = data.received_on or notice.paid_on
    if notice.status == NoticeStatus.CONFIRMED:
        payment = session.get(Payment, notice.payment_id)
        if payment and (payment.amount_minor, payment.received_on) == (amount, received_on):
            return notice
    if notice.status != NoticeStatus.PENDING:
        raise IllegalTransition(
            Phrase("this payment notice is already %(status)s", status=notice.status)
        )
    before = snapshot(notice)  # `payments.record` checks the date received
    payment, _ = payments.record(
        session,
        principal=principal,
        pool_id=notice.pool_id,
        data=PaymentCreate(
            licensee_organisation_id=notice.licensee_organisation_id,
            reference=notice.reference,
            amount_minor=amount,
            currency=notice.currency,
            received_on=received_on,
        ),
        now=now,
    )
    notice.payment_id = payment.id
    _decide(session, principal, notice, NoticeStatus.CONFIRMED, before, now)
    _tell_licensee(
        session,
        notice,
        "payment_notice_confirmed",
        now,
        reference=notice.reference,
        amount_minor=amount,
        currency=notice.currency,
        received_on=received_on,
    )
    return notice


def reject(
    session: Session, *, principal: Principal, notice_id: int, data: NoticeReject, now: datetime
) -> PaymentNotice:
    """No such money arrived (or the notice was wrong): say why. Rejecting again with the
    same reason changes nothing."""
    notice = _decidable(session, principal, notice_id)
    if notice.status == NoticeStatus.REJECTED and notice.reason == data.reason:
        return notice
    if notice.status != NoticeStatus.PENDING:
        raise IllegalTransition(
            Phrase("this payment notice is already %(status)s", status=notice.status)
        )
    before = snapshot(notice)
    notice.reason = data.reason
    _decide(session, principal, notice, NoticeStatus.REJECTED, before, now)
    _tell_licensee(
        session,
        notice,
        "payment_notice_rejected",
        now,
        reference=notice.reference,
        amount_minor=notice.amount_minor,
        currency=notice.currency,
        paid_on=notice.paid_on,
        reason=data.reason,
    )
    return notice


def _decide(
    session: Session,
    principal: Principal,
    notice: PaymentNotice,
    status: NoticeStatus,
    before: dict[str, Any] | None,
    now: datetime,
) -> None:
    notice.status = status
    notice.decided_by_user_id = principal.user_id
    notice.decided_at = now
    session.add(notice)
    session.flush()
    _audit(session, principal, notice, str(status), before, now)


def _audit(
    session: Session,
    principal: Principal,
    notice: PaymentNotice,
    what: str,
    before: dict[str, Any] | None,
    now: datetime,
) -> None:
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=f"{KIND}.{what}",
        entity_type=KIND,
        entity_id=notice.id,
        pool_id=notice.pool_id,
        before=before,
        after=snapshot(notice),
        now=now,
    )


def _tell_licensee(
    session: Session, notice: PaymentNotice, template: str, now: datetime, **context: Any
) -> None:
    """One message per notice and decision (the dedupe key), however often it is decided, in
    the licensee's language (`templates/mail/<template>.txt.j2`)."""
    recipient = notice.licensee_organisation_id
    letter = letters.write(
        template, letters.languages(session, [recipient]).get(recipient, "en"), **context
    )
    reminders.enqueue(
        session,
        [
            reminders.Reminder(
                kind=KIND,
                pool_id=notice.pool_id,
                recipient_organisation_id=notice.licensee_organisation_id,
                subject=letter.subject,
                body=letter.body,
                dedupe_key=f"{KIND}:{notice.id}:{notice.status}",
            )
        ],
        now=now,
    )
