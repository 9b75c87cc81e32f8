"""The double-entry ledger. Every money event is one balanced journal entry; balances are sums
of postings, never stored figures."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, and_, col, or_, select

from contracts.payment import DueItem, split_due
from pool.models.billing import Invoice, InvoiceInstalment, InvoiceKind
from pool.models.ledger import JournalEntry, Posting


class UnbalancedEntry(ValueError):
    """A programming error: an entry whose postings do not sum to zero must never be written."""


@dataclass(frozen=True)
class Leg:
    """One posting to be made: debit positive, credit negative, in minor units."""

    account: str
    amount_minor: int
    licensee_organisation_id: int | None = None
    contributor_organisation_id: int | None = None
    usage_start: date | None = None
    usage_end: date | None = None


def post(
    session: Session,
    *,
    pool_id: int,
    currency: str,
    occurred_on: date,
    kind: str,
    source_type: str,
    source_id: int,
    legs: list[Leg],
    now: datetime,
    memo: str = "",
) -> JournalEntry:
    """Write one entry in the caller's transaction; refuse it unless it balances to the unit."""
    if sum(leg.amount_minor for leg in legs) != 0:
        raise UnbalancedEntry(f"{kind} entry for {source_type} {source_id} does not balance")
    entry = JournalEntry(
        pool_id=pool_id,
        occurred_on=occurred_on,
        kind=kind,
        memo=memo,
        source_type=source_type,
        source_id=source_id,
        created_at=now,
    )
    session.add(entry)
    session.flush()
    session.add_all(
        Posting(
            entry_id=entry.id or 0,
            account=leg.account,
            currency=currency,
            amount_minor=leg.amount_minor,
            licensee_organisation_id=leg.licensee_organisation_id,
            contributor_organisation_id=leg.contributor_organisation_id,
            usage_start=leg.usage_start,
            usage_end=leg.usage_end,
        )
        for leg in legs
        if leg.amount_minor != 0
    )
    session.flush()
    return entry


# ---------------------------------------------------------------- accounts and invoice issue

RECEIVABLE = "receivable"  # owed by a licensee and due now
DEFERRED_RECEIVABLE = "deferred_receivable"  # owed, but not yet due ("use first, pay later")
ROYALTY_REVENUE = "royalty_revenue"
EVALUATION_FEE_REVENUE = "evaluation_fee_revenue"  # the pool's own: never distributed
# legs carry the usage period they pay for; None = not attributed to one (credit not yet
# applied, or an evaluation fee, which pays for no usage)
CASH = "cash"
LICENSEE_CREDIT = "licensee_credit"  # over-payments kept for the licensee's next invoices
BAD_DEBT = "bad_debt"

INVOICE_ISSUED = "invoice_issued"
DEFERRED_DUE = "deferred_due"
INVOICE_CANCELLED = "invoice_cancelled"


@dataclass(frozen=True)
class Part:
    """One dated part of an invoice (an instalment row, or the whole invoice without rows).

    `source_type`/`source_id` name the row a "falls due" entry is posted for, so that entry is
    unique per part in the database."""

    source_type: str
    source_id: int
    due_on: date | None
    amount_minor: int


def parts_of(session: Session, invoice: Invoice) -> list[Part]:
    """The invoice's parts in due order (undated parts last, then row id): the order in which
    payments fill them, so partial payments settle the oldest part first."""
    rows = session.exec(
        select(InvoiceInstalment).where(InvoiceInstalment.invoice_id == invoice.id)
    ).all()
    return parts_from(invoice, rows)


def parts_from(invoice: Invoice, instalments: Sequence[InvoiceInstalment]) -> list[Part]:
    """`parts_of` from the invoice's instalment rows already read (many invoices' positions
    are read in a few queries: `position.facts`)."""
    parts = [
        Part("invoice_instalment", row.id or 0, row.due_on, row.amount_minor) for row in instalments
    ] or [Part("invoice", invoice.id or 0, invoice.due_on, invoice.total_minor)]
    return sorted(parts, key=lambda p: (p.due_on is None, p.due_on or date.min, p.source_id))


def due_at_issue(invoice: Invoice, part: Part) -> bool:
    """Parts due on or before the issue date are receivable at once; the rest are deferred."""
    return part.due_on is not None and part.due_on <= invoice.issued_on


def invoice_leg(invoice: Invoice, account: str, amount_minor: int) -> Leg:
    """A leg about `invoice`: its licensee and usage period ride along, so cash and balances
    can later be summed per licensee and per usage period from postings alone. An evaluation
    fee pays for no usage: its legs carry no period, so its cash never counts as royalties
    received for one (`cash_by_usage_period`)."""
    royalties = invoice.kind != InvoiceKind.EVALUATION_FEE
    return Leg(
        account,
        amount_minor,
        licensee_organisation_id=invoice.licensee_organisation_id,
        usage_start=invoice.usage_start if royalties else None,
        usage_end=invoice.usage_end if royalties else None,
    )


def revenue_account(invoice: Invoice) -> str:
    """Royalties and licence fees are the contributors' to share; an evaluation fee is the
    pool's own income."""
    if invoice.kind == InvoiceKind.EVALUATION_FEE:
        return EVALUATION_FEE_REVENUE
    return ROYALTY_REVENUE


def post_invoice_issued(
    session: Session, *, invoice: Invoice, due_now_minor: int, deferred_minor: int, now: datetime
) -> JournalEntry:
    """Dr receivable (due now) and Dr deferred_receivable (due later) / Cr royalty_revenue
    (an evaluation fee: Cr evaluation_fee_revenue).

    Call it after the invoice and its instalment rows are flushed. The split must agree with
    the rows (`contracts.split_due` on the issue date): `recognise_due` later moves exactly the
    parts that were deferred here, so a disagreeing split would leave money in limbo."""
    parts = parts_of(session, invoice)
    schedule = [
        DueItem(
            reference=invoice.number,
            part=number,
            parts=len(parts),
            amount_minor=part.amount_minor,
            due_on=part.due_on,
        )
        for number, part in enumerate(parts, start=1)
    ]
    if split_due(schedule, invoice.issued_on) != (due_now_minor, deferred_minor):
        raise UnbalancedEntry(
            f"invoice {invoice.number}: due/deferred split disagrees with its parts"
        )
    return post(
        session,
        pool_id=invoice.pool_id,
        currency=invoice.currency,
        occurred_on=invoice.issued_on,
        kind=INVOICE_ISSUED,
        source_type="invoice",
        source_id=invoice.id or 0,
        legs=[
            invoice_leg(invoice, RECEIVABLE, due_now_minor),
            invoice_leg(invoice, DEFERRED_RECEIVABLE, deferred_minor),
            invoice_leg(invoice, revenue_account(invoice), -(due_now_minor + deferred_minor)),
        ],
        now=now,
        memo=f"invoice {invoice.number}",
    )


def reverse_invoice(session: Session, *, invoice: Invoice, reason: str, now: datetime) -> None:
    """Post the exact opposite of what a cancelled invoice put on the books so far: its issue
    entry and any deferred parts that have since fallen due, leg by leg (licensee and usage
    period kept), so its revenue and receivable vanish. Payments are released separately
    (`releases.release_allocations`)."""
    net: dict[tuple[str, int | None, date | None, date | None], int] = {}
    for p in _booked(session, invoice):
        key = (p.account, p.licensee_organisation_id, p.usage_start, p.usage_end)
        net[key] = net.get(key, 0) + p.amount_minor
    legs = [
        Leg(account, -amount, licensee, None, start, end)
        for (account, licensee, start, end), amount in sorted(net.items(), key=str)
        if amount
    ]
    if legs:
        post(
            session,
            pool_id=invoice.pool_id,
            currency=invoice.currency,
            occurred_on=now.date(),
            kind=INVOICE_CANCELLED,
            source_type="invoice",
            source_id=invoice.id or 0,
            legs=legs,
            now=now,
            memo=f"invoice {invoice.number} cancelled: {reason}",
        )


def _booked(session: Session, invoice: Invoice) -> Sequence[Posting]:
    """The postings of the invoice's issue entry and of its parts that fell due."""
    part_ids = session.exec(
        select(InvoiceInstalment.id).where(InvoiceInstalment.invoice_id == invoice.id)
    ).all()
    return session.exec(
        select(Posting)
        .join(JournalEntry, col(JournalEntry.id) == Posting.entry_id)
        .where(
            col(JournalEntry.kind).in_((INVOICE_ISSUED, DEFERRED_DUE)),
            or_(
                and_(JournalEntry.source_type == "invoice", JournalEntry.source_id == invoice.id),
                and_(
                    JournalEntry.source_type == "invoice_instalment",
                    col(JournalEntry.source_id).in_(part_ids),
                ),
            ),
        )
    ).all()


# ---------------------------------------------------------------- balances (sums of postings)


def _sums(session: Session, pool_id: int, *group: Any, where: Sequence[Any] = ()) -> list[Any]:
    return list(
        session.exec(
            select(*group, func.sum(Posting.amount_minor))  # type: ignore[call-overload]
            .join(JournalEntry, col(JournalEntry.id) == Posting.entry_id)
            .where(JournalEntry.pool_id == pool_id, *where)
            .group_by(*group)
            .order_by(*group)
        ).all()
    )


def trial_balance(session: Session, *, pool_id: int) -> list[tuple[str, str, int]]:
    """(account, currency, balance) for every account of the pool; they sum to zero."""
    return [
        (account, currency, int(total))
        for account, currency, total in _sums(session, pool_id, Posting.account, Posting.currency)
    ]


def cash_by_usage_period(session: Session, *, pool_id: int) -> list[tuple[date, date, int]]:
    """Money received per usage period it pays for (credit not yet applied has no period and
    is left out): what distributions to contributors are made from."""
    rows = _sums(
        session,
        pool_id,
        Posting.usage_start,
        Posting.usage_end,
        where=[Posting.account == CASH, col(Posting.usage_start).is_not(None)],
    )
    return [(start, end, int(total)) for start, end, total in rows]


def licensee_balances(
    session: Session, *, pool_id: int, licensee_organisation_id: int, before: date | None = None
) -> dict[str, int]:
    """Balance per account of one licensee's postings (optionally entries before a date)."""
    where = [Posting.licensee_organisation_id == licensee_organisation_id]
    if before is not None:
        where.append(JournalEntry.occurred_on < before)
    rows = _sums(session, pool_id, Posting.account, where=where)
    return {account: int(total) for account, total in rows}
