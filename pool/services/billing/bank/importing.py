"""Importing the pool's bank statement: read and check the whole file, keep each credit not
seen before, and let `matching` record it as a payment or leave it waiting.

All or nothing: the whole file is read and checked first (the readers of this package, dates
within the pool's life, the pool's currency); a bad file records nothing. Idempotent: the same
bytes are one import (`uq_bank_statement_file`), a credit's bank reference is recorded once per
pool (`uq_bank_credit_reference`), and its payment is idempotent by (licensee, reference), so
re-importing, overlapping statements, or a duplicate entry never record money twice."""

import hashlib
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import FieldError, InvalidInput, NotFound
from pool.models.bank import (
    BankCredit,
    BankImportRead,
    BankStatementFile,
    CreditStatus,
    MatchRule,
)
from pool.models.pool import Pool
from pool.rendering import Phrase
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.billing.bank.credits import BankStatement
from pool.services.billing.bank.matching import match
from pool.services.billing.bank.reading import read_bank_statement
from pool.services.pools import money_dates

_IMPORT_LOCK = (
    "SELECT pg_advisory_xact_lock("
    "hashtextextended(current_schema() || '/bank-import/' || CAST(:pool AS text), 0))"
)


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
        match(session, principal, pool, credit, now)
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
                Phrase(
                    "the account is in %(account)s; this pool is paid in %(pool)s",
                    account=statement.currency,
                    pool=pool.currency,
                ),
                field="currency",
            )
        )
    for credit in statement.credits:
        try:
            money_dates.check(pool, field="booked_on", what="the date booked",
                              value=credit.booked_on, today=today)  # fmt: skip
        except InvalidInput as error:
            faults += [
                FieldError(f.message, field="booked_on", line=credit.line) for f in error.errors
            ]
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
