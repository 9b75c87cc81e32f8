"""Whose money a bank credit is. In this order, the first rule that names exactly one licensee
wins:

1. **Payment notice.** A licensee's pending notice of this pool whose transfer reference is in
   the credit's remittance text: the notice is confirmed with the amount and date the bank
   shows (`payment_notices.confirm`), which records the payment under the notice's reference.
2. **Invoice number.** Invoice numbers of this pool in the remittance text (`INV-000123`, also
   written `INV 123` or `inv000123`), all of one licensee: a payment of that licensee, under the
   bank's reference.
3. **Licensee and amount.** The payer's name is a licensee's name (ignoring case, spaces and
   punctuation) and the amount is exactly what that licensee owes on one open invoice, or in
   all. A contributor billed evaluation fees is a payer like a licensee.

Otherwise the credit waits, with `suggestions`. A recorded payment settles the licensee's
invoices by the usual rule (`settlement`); part of an invoice is left open when the credit is
short, and an excess becomes the licensee's credit."""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict
from pool.models.bank import BankCredit, CreditStatus, MatchRule, Suggestion
from pool.models.billing import Invoice, InvoiceStatus, PaymentAllocation, PaymentCreate
from pool.models.billing.payment_notice import NoticeConfirm, NoticeStatus, PaymentNotice
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.pool import Pool
from pool.services.billing import payment_notices, payments

INVOICE_NUMBER = re.compile(r"\bINV[\s-]?0*(\d{1,9})\b", re.IGNORECASE)
SUGGESTIONS = 5


@dataclass(frozen=True)
class _Owed:
    invoice_id: int
    number: str
    licensee_organisation_id: int
    outstanding_minor: int


def _words(text: str) -> str:
    """A name compared loosely: case, spaces and punctuation ignored."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _pending_notices(session: Session, pool_id: int) -> list[PaymentNotice]:
    return list(
        session.exec(
            select(PaymentNotice)
            .where(PaymentNotice.pool_id == pool_id, PaymentNotice.status == NoticeStatus.PENDING)
            .order_by(col(PaymentNotice.id))
        ).all()
    )


def _naming(notices: list[PaymentNotice], credit: BankCredit) -> list[PaymentNotice]:
    """The notices whose transfer reference the credit's text quotes, as a whole word."""
    text = credit.remittance.casefold()
    if not text:
        return []
    return [
        n for n in notices if re.search(rf"(?<!\w){re.escape(n.reference.casefold())}(?!\w)", text)
    ]


def _named_invoices(session: Session, pool_id: int, credit: BankCredit) -> list[Invoice]:
    numbers = {f"INV-{int(n):06d}" for n in INVOICE_NUMBER.findall(credit.remittance)}
    if not numbers:
        return []
    return list(
        session.exec(
            select(Invoice)
            .where(
                Invoice.pool_id == pool_id,
                col(Invoice.number).in_(sorted(numbers)),
                Invoice.status != InvoiceStatus.CANCELLED,
            )
            .order_by(col(Invoice.id))
        ).all()
    )


def _licensees(session: Session, pool_id: int) -> list[Organisation]:
    """The pool's payers: its licensees, and the contributors it bills evaluation fees."""
    ids = (
        select(LicenceAgreement.licensee_organisation_id)
        .where(LicenceAgreement.pool_id == pool_id)
        .union(select(Invoice.licensee_organisation_id).where(Invoice.pool_id == pool_id))
    )
    return list(
        session.exec(
            select(Organisation).where(col(Organisation.id).in_(ids)).order_by(col(Organisation.id))
        ).all()
    )


def _owed(session: Session, pool_id: int, licensee_ids: list[int]) -> list[_Owed]:
    """Open invoices of these licensees with what is left to pay on each."""
    if not licensee_ids:
        return []
    paid = (
        select(
            PaymentAllocation.invoice_id,
            func.coalesce(func.sum(PaymentAllocation.amount_minor), 0).label("paid"),
        )
        .group_by(col(PaymentAllocation.invoice_id))
        .subquery()
    )
    rows = session.exec(
        select(
            Invoice.id,
            Invoice.number,
            Invoice.licensee_organisation_id,
            Invoice.total_minor - func.coalesce(paid.c.paid, 0),
        )
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .where(
            Invoice.pool_id == pool_id,
            Invoice.status == InvoiceStatus.OPEN,
            col(Invoice.licensee_organisation_id).in_(licensee_ids),
        )
        .order_by(col(Invoice.id))
    ).all()
    return [_Owed(i or 0, n, who, int(left)) for i, n, who, left in rows if left > 0]


def _payer_owing_exactly(
    session: Session, pool_id: int, credit: BankCredit
) -> tuple[int, int | None] | None:
    """(licensee, the invoice whose outstanding is exactly the amount, if one) when the payer
    is a licensee by name and owes exactly this, on one invoice or in all."""
    name = _words(credit.payer_name)
    if not name:
        return None
    same = [o.id or 0 for o in _licensees(session, pool_id) if _words(o.name) == name]
    if len(same) != 1:
        return None
    owed = _owed(session, pool_id, same)
    exact = [o for o in owed if o.outstanding_minor == credit.amount_minor]
    if len(exact) == 1:
        return same[0], exact[0].invoice_id
    if owed and sum(o.outstanding_minor for o in owed) == credit.amount_minor:
        return same[0], None
    return None


def match(
    session: Session, principal: Principal, pool: Pool, credit: BankCredit, now: datetime
) -> None:
    """Record the credit by the first rule that names one licensee, or leave it waiting. A
    payment already recorded under the same reference with other money (by hand, before the
    statement came) is a clash a person must look at: the credit waits, saying so. Nothing
    was written when that is found (`payments.record` checks before it writes)."""
    try:
        _by_the_first_rule(session, principal, pool, credit, now)
    except Conflict as clash:
        credit.note = clash.detail[:300]


def _by_the_first_rule(
    session: Session, principal: Principal, pool: Pool, credit: BankCredit, now: datetime
) -> None:
    notices = _naming(_pending_notices(session, pool.id or 0), credit) if credit.remittance else []
    if len({n.licensee_organisation_id for n in notices}) == 1:
        exact = [n for n in notices if n.amount_minor == credit.amount_minor]
        notice = (exact or notices)[0]
        confirmed = payment_notices.confirm(
            session,
            principal=principal,
            notice_id=notice.id or 0,
            data=NoticeConfirm(amount_minor=credit.amount_minor, received_on=credit.booked_on),
            now=now,
        )
        _matched(credit, MatchRule.NOTICE, notice.licensee_organisation_id, confirmed.payment_id,
                 invoice_id=notice.invoice_id, notice_id=notice.id, now=now)  # fmt: skip
        return
    invoices = _named_invoices(session, pool.id or 0, credit)
    if len({i.licensee_organisation_id for i in invoices}) == 1:
        who = invoices[0].licensee_organisation_id
        record(session, principal, pool, credit, who, MatchRule.INVOICE, invoices[0].id, now)
        return
    found = _payer_owing_exactly(session, pool.id or 0, credit)
    if found is not None:
        record(session, principal, pool, credit, found[0], MatchRule.LICENSEE_AMOUNT, found[1], now)


def record(
    session: Session,
    principal: Principal,
    pool: Pool,
    credit: BankCredit,
    licensee_organisation_id: int,
    rule: MatchRule,
    invoice_id: int | None,
    now: datetime,
) -> None:
    payment, _ = payments.record(
        session,
        principal=principal,
        pool_id=pool.id or 0,
        data=PaymentCreate(
            licensee_organisation_id=licensee_organisation_id,
            reference=credit.bank_reference,
            amount_minor=credit.amount_minor,
            currency=credit.currency,
            received_on=credit.booked_on,
        ),
        now=now,
    )
    _matched(credit, rule, licensee_organisation_id, payment.id, invoice_id=invoice_id, now=now)


def _matched(
    credit: BankCredit,
    rule: MatchRule,
    licensee_organisation_id: int,
    payment_id: int | None,
    *,
    invoice_id: int | None = None,
    notice_id: int | None = None,
    now: datetime,
) -> None:
    credit.status = CreditStatus.MATCHED
    credit.rule = rule
    credit.licensee_organisation_id = licensee_organisation_id
    credit.payment_id = payment_id
    credit.invoice_id = invoice_id
    credit.notice_id = notice_id
    credit.decided_at = now


@dataclass(frozen=True)
class Candidates:
    """Whom a pool's waiting credits may belong to: its licensees, their open invoices and
    the pending payment notices, read once for a whole page of credits."""

    names: dict[int, str]
    owed: list[_Owed]
    notices: list[PaymentNotice]

    @classmethod
    def of(cls, session: Session, pool_id: int) -> "Candidates":
        names = {o.id or 0: o.name for o in _licensees(session, pool_id)}
        return cls(names, _owed(session, pool_id, list(names)), _pending_notices(session, pool_id))


def suggestions(
    session: Session, credit: BankCredit, candidates: Candidates | None = None
) -> list[Suggestion]:
    """Whose a waiting credit may be: the invoices and notices it names, licensees whose
    name is the payer's, and open invoices owing exactly its amount (at most five)."""
    known = candidates or Candidates.of(session, credit.pool_id)
    found: list[Suggestion] = []

    def add(who: int, why: str, owed: _Owed | None = None) -> None:
        key = (who, owed.invoice_id if owed else None)
        if all((s.licensee_organisation_id, s.invoice_id) != key for s in found):
            found.append(
                Suggestion(
                    licensee_organisation_id=who,
                    licensee_name=known.names.get(who, ""),
                    invoice_id=owed.invoice_id if owed else None,
                    invoice_number=owed.number if owed else None,
                    why=why,
                )
            )

    for notice in _naming(known.notices, credit):
        add(notice.licensee_organisation_id, f"payment notice {notice.reference}")
    by_invoice = {o.invoice_id: o for o in known.owed}
    for invoice in _named_invoices(session, credit.pool_id, credit):
        add(invoice.licensee_organisation_id, f"names invoice {invoice.number}",
            by_invoice.get(invoice.id or 0))  # fmt: skip
    payer = _words(credit.payer_name)
    for who, name in known.names.items():
        if payer and _words(name) == payer:
            add(who, "the payer's name")
    for owed in known.owed:
        if owed.outstanding_minor == credit.amount_minor:
            add(owed.licensee_organisation_id, f"owes exactly this on {owed.number}", owed)
    return found[:SUGGESTIONS]
