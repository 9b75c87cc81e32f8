"""A licensee's account statement and the pool's trial balance, both read from postings only
(DESIGN.md: balances are derived from postings, never stored)."""

from datetime import date

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import InvalidInput, NotFound
from pool.models.billing import (
    AccountBalance,
    AccountStatement,
    CashForPeriod,
    DeferredPart,
    Invoice,
    StatementLine,
    TrialBalance,
)
from pool.models.ledger import JournalEntry, Posting
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.user import Role
from pool.services import pools
from pool.services.billing import booking, ledger, settlement, standing
from pool.services.billing.ledger import DEFERRED_RECEIVABLE, LICENSEE_CREDIT, RECEIVABLE

OWED = (RECEIVABLE, DEFERRED_RECEIVABLE, LICENSEE_CREDIT)


def _lines(
    session: Session,
    *,
    pool_id: int,
    licensee: int,
    start: date | None,
    end: date | None,
    opening: int,
) -> list[StatementLine]:
    query = (
        select(JournalEntry, Posting)
        .join(Posting, col(Posting.entry_id) == JournalEntry.id)
        .where(
            JournalEntry.pool_id == pool_id,
            Posting.licensee_organisation_id == licensee,
            col(Posting.account).in_(OWED),
        )
        .order_by(col(JournalEntry.occurred_on), col(JournalEntry.id), col(Posting.id))
    )
    if start is not None:
        query = query.where(JournalEntry.occurred_on >= start)
    if end is not None:
        query = query.where(JournalEntry.occurred_on < end)
    lines: dict[int, StatementLine] = {}
    balance = opening
    for entry, posting in session.exec(query).all():
        line = lines.get(entry.id or 0) or StatementLine(
            occurred_on=entry.occurred_on,
            entry_id=entry.id or 0,
            kind=entry.kind,
            description=entry.memo,
            receivable_minor=0,
            deferred_minor=0,
            credit_minor=0,
            amount_minor=0,
            balance_minor=balance,
        )
        field = {RECEIVABLE: "receivable_minor", DEFERRED_RECEIVABLE: "deferred_minor"}
        name = field.get(posting.account, "credit_minor")
        setattr(line, name, getattr(line, name) + posting.amount_minor)
        line.amount_minor += posting.amount_minor
        balance += posting.amount_minor
        line.balance_minor = balance
        lines[entry.id or 0] = line
    return list(lines.values())


def deferred_parts(session: Session, *, pool_id: int, licensee: int) -> list[DeferredPart]:
    """What is unpaid of open invoices' parts still in `deferred_receivable`, with their due
    dates."""
    invoices = session.exec(
        select(Invoice)
        .where(
            Invoice.pool_id == pool_id,
            Invoice.licensee_organisation_id == licensee,
            Invoice.status == settlement.OPEN,
        )
        .order_by(col(Invoice.id))
    ).all()
    found: list[DeferredPart] = []
    for invoice in invoices:
        found += [
            DeferredPart(
                invoice_id=invoice.id or 0,
                number=invoice.number,
                due_on=b.part.due_on,
                amount_minor=b.unpaid_minor,
            )
            for b in booking.bookings(session, invoice)
            if not b.in_receivable and b.unpaid_minor
        ]
    return found


def build(
    session: Session,
    *,
    pool_id: int,
    licensee: int,
    start: date | None,
    end: date | None,
    as_of: date,
) -> AccountStatement:
    """Opening balance (entries before `start`), every entry in [start, end) with a running
    balance, closing balances per account, deferred parts and good standing at `as_of`."""
    pool = pools.get(session, pool_id=pool_id)
    before = (
        ledger.licensee_balances(
            session, pool_id=pool_id, licensee_organisation_id=licensee, before=start
        )
        if start is not None
        else {}
    )
    opening = sum(before.get(account, 0) for account in OWED)
    lines = _lines(
        session, pool_id=pool_id, licensee=licensee, start=start, end=end, opening=opening
    )
    closing = ledger.licensee_balances(
        session, pool_id=pool_id, licensee_organisation_id=licensee, before=end
    )
    window = (start or date.min, end or as_of)
    good = standing.good_standing(
        session,
        pool=pool,
        licensee_organisation_id=licensee,
        start=window[0],
        end=window[1],
        as_of=min(as_of, window[1]),
    )
    return AccountStatement(
        pool_id=pool_id,
        licensee_organisation_id=licensee,
        currency=pool.currency,
        start=start,
        end=end,
        opening_balance_minor=opening,
        lines=lines,
        closing_balance_minor=lines[-1].balance_minor if lines else opening,
        receivable_minor=closing.get(RECEIVABLE, 0),
        deferred_receivable_minor=closing.get(DEFERRED_RECEIVABLE, 0),
        credit_minor=-closing.get(LICENSEE_CREDIT, 0),
        deferred=deferred_parts(session, pool_id=pool_id, licensee=licensee),
        good_standing=good.good,
        standing_reasons=[reason.text for reason in good.reasons],
    )


def pools_of(session: Session, licensee: int) -> list[int]:
    """The pools where the licensee holds an agreement, by id."""
    return sorted(
        set(
            session.exec(
                select(LicenceAgreement.pool_id).where(
                    LicenceAgreement.licensee_organisation_id == licensee
                )
            ).all()
        )
    )


def pool_of(session: Session, licensee: int, pool_id: int | None) -> int:
    """The named pool, or the licensee's only pool; several pools need a choice (currencies
    differ between pools, so their balances never add up)."""
    if pool_id is not None:
        return pool_id
    found = pools_of(session, licensee)
    if len(found) != 1:
        raise InvalidInput.field("pool_id", "name the pool of this account")
    return found[0]


def statement(
    session: Session,
    *,
    principal: Principal,
    organisation_id: int,
    pool_id: int | None,
    start: date | None,
    end: date | None,
    as_of: date,
) -> AccountStatement:
    """Staff read every licensee's account; a licensee its own; anyone else is told none."""
    org = session.get(Organisation, organisation_id)
    if org is None or principal.role == Role.CONTRIBUTOR:
        raise NotFound("account not found")
    principal.require_staff_or_org(organisation_id, "account")
    return build(
        session,
        pool_id=pool_of(session, organisation_id, pool_id),
        licensee=organisation_id,
        start=start,
        end=end,
        as_of=as_of,
    )


def trial_balance(session: Session, *, principal: Principal, pool_id: int) -> TrialBalance:
    principal.require_staff()
    pools.get(session, pool_id=pool_id)
    accounts = [
        AccountBalance(account=a, currency=c, balance_minor=b)
        for a, c, b in ledger.trial_balance(session, pool_id=pool_id)
    ]
    cash = [
        CashForPeriod(usage_start=s, usage_end=e, amount_minor=a)
        for s, e, a in ledger.cash_by_usage_period(session, pool_id=pool_id)
    ]
    return TrialBalance(
        pool_id=pool_id,
        accounts=accounts,
        total_minor=sum(a.balance_minor for a in accounts),
        cash_by_usage_period=cash,
    )


def as_table(found: AccountStatement) -> str:
    """Plain-text rendering for the CLI: one line per entry, then the closing balances."""
    head = f"{'date':<10}  {'kind':<16}  {'amount':>14}  {'balance':>14}  description"
    rows = [
        f"{line.occurred_on}  {line.kind:<16}  {line.amount_minor:>14}  "
        f"{line.balance_minor:>14}  {line.description}"
        for line in found.lines
    ]
    return "\n".join(
        [
            f"licensee {found.licensee_organisation_id}, pool {found.pool_id}, {found.currency}",
            f"opening balance {found.opening_balance_minor}",
            head,
            *rows,
            f"closing balance {found.closing_balance_minor} (receivable {found.receivable_minor}, "
            f"deferred {found.deferred_receivable_minor}, credit {found.credit_minor})",
            *(
                f"deferred: invoice {d.number} {d.amount_minor} due {d.due_on or 'after threshold'}"
                for d in found.deferred
            ),
            "good standing: "
            + ("yes" if found.good_standing else "; ".join(found.standing_reasons)),
        ]
    )
