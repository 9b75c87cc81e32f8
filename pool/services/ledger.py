"""The double-entry ledger. Every money event is one balanced journal entry; balances are sums
of postings, never stored figures."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

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
