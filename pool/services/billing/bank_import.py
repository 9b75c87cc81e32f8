"""Importing the pool's bank statement: each credit matched to a licensee and recorded as a
payment, or left waiting for an administrator.

Matching, in this order, first rule that names exactly one licensee wins:

1. **Payment notice.** A licensee's pending notice of this pool whose transfer reference is in
   the credit's remittance text: the notice is confirmed with the amount and date the bank
   shows (`payment_notices.confirm`), which records the payment under the notice's reference.
2. **Invoice number.** Invoice numbers of this pool in the remittance text (`INV-000123`, also
   written `INV 123` or `inv000123`), all of one licensee: a payment of that licensee, under the
   bank's reference.
3. **Licensee and amount.** The payer's name is a licensee's name (ignoring case, spaces and
   punctuation) and the amount is exactly what that licensee owes on one open invoice, or in
   all.

Otherwise the credit waits, with suggestions (`suggestions`). A recorded payment settles the
licensee's invoices by the usual rule (`settlement`); part of an invoice is left open when the
credit is short, and an excess becomes the licensee's credit.

All or nothing: the whole file is read and checked first (`bank_files`, dates within the
pool's life, the pool's currency); a bad file records nothing. Idempotent: the same bytes are
one import (`uq_bank_statement_file`), a credit's bank reference is recorded once per pool
(`uq_bank_credit_reference`), and its payment is idempotent by (licensee, reference), so
re-importing, overlapping statements, or a duplicate entry never record money twice."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import FieldError, IllegalTransition, InvalidInput, NotFound
from pool.models.bank import (
    BankCredit,
    BankCreditRead,
    BankImportRead,
    BankStatementFile,
    CreditAssign,
    CreditDismiss,
    CreditStatus,
    MatchRule,
    Suggestion,
)
from pool.models.billing import Invoice, InvoiceStatus, PaymentAllocation, PaymentCreate
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.payment_notice import NoticeConfirm, NoticeStatus, PaymentNotice
from pool.models.pool import Pool
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.billing import payment_notices, payments
from pool.services.billing.bank_files import BankStatement, read_bank_statement
from pool.services.common.pages import Page, paginate
from pool.services.pools import money_dates

_IMPORT_LOCK = (
    "SELECT pg_advisory_xact_lock("
    "hashtextextended(current_schema() || '/bank-import/' || CAST(:pool AS text), 0))"
)
INVOICE_NUMBER = re.compile(r"\bINV[\s-]?0*(\d{1,9})\b", re.IGNORECASE)
SUGGESTIONS = 5


@dataclass(frozen=True)
class _Owed:
    invoice_id: int
    number: str
    licensee_organisation_id: int
    outstanding_minor: int


def import_statement(
    session: Session, *, principal: Principal, pool_id: int, content: bytes, now: datetime
) -> BankImportRead:
    """Read, check, then match and record every new credit of the file (see the module)."""
    principal.require_admin()
    pool = pools.get(session, pool_id=pool_id)
    statement = read_bank_statement(content)
    _check(pool, statement, today=now.date())
    digest = hashlib.sha256(content).hexdigest()
    _serialize_imports(session, pool_id)
    earlier = _file(session, pool_id, digest)
    if earlier is not None:
        return _summary(session, earlier, statement, already=True, new=[], seen=0)
    file = BankStatementFile(
        pool_id=pool_id,
        sha256=digest,
        format=statement.format,
        statement_id=statement.statement_id[:200],
        account=statement.account[:100],
        credits=len(statement.credits),
        entries_skipped=statement.entries_skipped,
        imported_by_user_id=principal.user_id,
        imported_at=now,
    )
    try:
        with session.begin_nested():
            session.add(file)
            session.flush()
    except IntegrityError:  # the same file, committed meanwhile by another upload
        found = _file(session, pool_id, digest)
        if found is None:
            raise
        return _summary(session, found, statement, already=True, new=[], seen=0)
    new, seen = _new_credits(session, pool_id, file, statement, now)
    for credit in new:
        _match(session, principal, pool, credit, now)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="bank_statement.imported",
        entity_type="bank_statement_file",
        entity_id=file.id,
        pool_id=pool_id,
        after={**(snapshot(file) or {}), "new_credit_ids": [c.id for c in new]},
        now=now,
    )
    return _summary(session, file, statement, already=False, new=new, seen=seen)


def _serialize_imports(session: Session, pool_id: int) -> None:
    """One import of this pool's statements at a time: two overlapping statements uploaded at
    once would both find an entry new. PostgreSQL: an advisory lock per pool (keyed by schema);
    SQLite: the request already holds the database's single write lock (pool.unit_of_work)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(_IMPORT_LOCK), {"pool": pool_id})


def _check(pool: Pool, statement: BankStatement, *, today: date) -> None:
    faults = []
    if statement.currency and statement.currency != pool.currency:
        faults.append(
            FieldError(
                f"the account is in {statement.currency}; this pool is paid in {pool.currency}",
                field="currency",
            )
        )
    for credit in statement.credits:
        try:
            money_dates.check(pool, field="booked_on", what="the date booked",
                              value=credit.booked_on, today=today)  # fmt: skip
        except InvalidInput as error:
            line = int(credit.source.split()[1]) if credit.source.startswith("line ") else None
            faults += [FieldError(f.message, field="booked_on", line=line) for f in error.errors]
    if faults:
        raise InvalidInput("the bank statement cannot be imported into this pool", faults)


def _file(session: Session, pool_id: int, digest: str) -> BankStatementFile | None:
    return session.exec(
        select(BankStatementFile).where(
            BankStatementFile.pool_id == pool_id, BankStatementFile.sha256 == digest
        )
    ).first()


def _new_credits(
    session: Session, pool_id: int, file: BankStatementFile, statement: BankStatement, now: datetime
) -> tuple[list[BankCredit], int]:
    """Rows for the credits not imported before; how many were (or were listed twice)."""
    references = [c.bank_reference for c in statement.credits]
    known = set(
        session.exec(
            select(BankCredit.bank_reference).where(
                BankCredit.pool_id == pool_id, col(BankCredit.bank_reference).in_(references)
            )
        ).all()
    )
    new: list[BankCredit] = []
    seen = 0
    for credit in statement.credits:
        if credit.bank_reference in known:
            seen += 1
            continue
        known.add(credit.bank_reference)
        row = BankCredit(
            pool_id=pool_id,
            file_id=file.id or 0,
            bank_reference=credit.bank_reference[:100],
            booked_on=credit.booked_on,
            value_on=credit.value_on,
            amount_minor=credit.amount_minor,
            currency=credit.currency,
            remittance=credit.remittance[:500],
            payer_name=credit.payer_name[:200],
            payer_account=credit.payer_account[:100],
            source=credit.source[:120],
            created_at=now,
        )
        session.add(row)
        new.append(row)
    session.flush()
    return new, seen


def _summary(
    session: Session,
    file: BankStatementFile,
    statement: BankStatement,
    *,
    already: bool,
    new: list[BankCredit],
    seen: int,
) -> BankImportRead:
    return BankImportRead(
        file_id=file.id or 0,
        format=file.format,
        statement_id=file.statement_id,
        account=file.account,
        already_imported=already,
        credits=len(statement.credits),
        matched=sum(1 for c in new if c.status == CreditStatus.MATCHED),
        waiting=sum(1 for c in new if c.status == CreditStatus.WAITING),
        seen_before=len(statement.credits) if already else seen,
        entries_skipped=statement.entries_skipped,
        credit_ids=[c.id or 0 for c in new],
    )


def summary_of(session: Session, *, principal: Principal, file_id: int) -> BankImportRead:
    """What an earlier import did, as it answered then (credits decided since count as they
    were matched at import: `rule` is not the administrator's)."""
    principal.require_staff()
    file = session.get(BankStatementFile, file_id)
    if file is None:
        raise NotFound("bank statement not found")
    rows = session.exec(
        select(BankCredit).where(BankCredit.file_id == file_id).order_by(col(BankCredit.id))
    ).all()
    at_import = [
        c.rule != MatchRule.ADMINISTRATOR and c.status == CreditStatus.MATCHED for c in rows
    ]
    return BankImportRead(
        file_id=file_id,
        format=file.format,
        statement_id=file.statement_id,
        account=file.account,
        already_imported=False,
        credits=file.credits,
        matched=sum(at_import),
        waiting=len(rows) - sum(at_import),
        seen_before=file.credits - len(rows),
        entries_skipped=file.entries_skipped,
        credit_ids=[c.id or 0 for c in rows],
    )


# ---------------------------------------------------------------- matching


def _words(text: str) -> str:
    """A name compared loosely: case, spaces and punctuation ignored."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _named_notices(session: Session, pool_id: int, credit: BankCredit) -> list[PaymentNotice]:
    text = credit.remittance.casefold()
    if not text:
        return []
    pending = session.exec(
        select(PaymentNotice)
        .where(PaymentNotice.pool_id == pool_id, PaymentNotice.status == NoticeStatus.PENDING)
        .order_by(col(PaymentNotice.id))
    ).all()
    return [
        n for n in pending if re.search(rf"(?<!\w){re.escape(n.reference.casefold())}(?!\w)", text)
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
    ids = select(LicenceAgreement.licensee_organisation_id).where(
        LicenceAgreement.pool_id == pool_id
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


def _match(
    session: Session, principal: Principal, pool: Pool, credit: BankCredit, now: datetime
) -> None:
    notices = _named_notices(session, pool.id or 0, credit)
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
        _record(session, principal, pool, credit, who, MatchRule.INVOICE, invoices[0].id, now)
        return
    found = _payer_owing_exactly(session, pool.id or 0, credit)
    if found is not None:
        _record(
            session, principal, pool, credit, found[0], MatchRule.LICENSEE_AMOUNT, found[1], now
        )


def _record(
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


# ---------------------------------------------------------------- the administrator's part


def suggestions(session: Session, credit: BankCredit) -> list[Suggestion]:
    """Whose a waiting credit may be: the invoices and notices it names, licensees whose
    name is the payer's, and open invoices owing exactly its amount (at most five)."""
    found: list[Suggestion] = []
    names = {o.id or 0: o.name for o in _licensees(session, credit.pool_id)}

    def add(who: int, why: str, owed: _Owed | None = None) -> None:
        key = (who, owed.invoice_id if owed else None)
        if all((s.licensee_organisation_id, s.invoice_id) != key for s in found):
            found.append(
                Suggestion(
                    licensee_organisation_id=who,
                    licensee_name=names.get(who, ""),
                    invoice_id=owed.invoice_id if owed else None,
                    invoice_number=owed.number if owed else None,
                    why=why,
                )
            )

    for notice in _named_notices(session, credit.pool_id, credit):
        add(notice.licensee_organisation_id, f"payment notice {notice.reference}")
    owed_all = _owed(session, credit.pool_id, list(names))
    by_invoice = {o.invoice_id: o for o in owed_all}
    for invoice in _named_invoices(session, credit.pool_id, credit):
        add(invoice.licensee_organisation_id, f"names invoice {invoice.number}",
            by_invoice.get(invoice.id or 0))  # fmt: skip
    payer = _words(credit.payer_name)
    for who, name in names.items():
        if payer and _words(name) == payer:
            add(who, "the payer's name")
    for owed in owed_all:
        if owed.outstanding_minor == credit.amount_minor:
            add(owed.licensee_organisation_id, f"owes exactly this on {owed.number}", owed)
    return found[:SUGGESTIONS]


def read(session: Session, credit: BankCredit) -> BankCreditRead:
    waiting = credit.status == CreditStatus.WAITING
    return BankCreditRead.model_validate(
        {**credit.model_dump(), "suggestions": suggestions(session, credit) if waiting else []}
    )


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
    return paginate(session, query, limit=limit, offset=offset, convert=lambda c: read(session, c))


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
        raise IllegalTransition(f"this bank credit is already {credit.status}")
    before = snapshot(credit)
    pool = pools.get(session, pool_id=credit.pool_id)
    _record(session, principal, pool, credit, data.licensee_organisation_id,
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
        raise IllegalTransition(f"this bank credit is already {credit.status}")
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
