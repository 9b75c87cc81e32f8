"""The double-entry ledger: every money event is a journal entry whose postings sum to zero."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import money_field, timestamp_field


class JournalEntry(SQLModel, table=True):
    """One money event. At most one entry of a kind per source object: posting the same event
    twice (a retried job, two workers) is refused by the database, not only by code."""

    __tablename__ = "journal_entry"
    __table_args__ = (
        UniqueConstraint("kind", "source_type", "source_id", name="uq_journal_entry_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    occurred_on: date = Field(index=True)
    kind: str = Field(max_length=32, index=True)
    memo: str = Field(default="", max_length=500)
    source_type: str = Field(max_length=32)
    source_id: int
    created_at: datetime = timestamp_field()


class Posting(SQLModel, table=True):
    """One side of an entry. Accounts are strings like `receivable`, `cash`, `revenue`,
    `deferred_receivable`, `licensee_credit`, `admin_fee`, `contributor_payable`; the party
    and the usage period they concern are columns, so balances are simple sums."""

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="journal_entry.id", index=True)
    account: str = Field(max_length=40, index=True)
    currency: str = Field(max_length=3)
    amount_minor: int = money_field()  # debit positive, credit negative
    licensee_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True
    )
    contributor_organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    usage_start: date | None = None
    usage_end: date | None = None
