"""The pool's bank statements and the credits on them, as imported by an administrator.

A credit is money that arrived on the pool's account. Import matches it to a licensee and
records it as a `Payment` (its `payment_id`), or leaves it `waiting` for an administrator,
who assigns it to a licensee or dismisses it (money that is not a licensee's: bank interest, a
refund to the pool). The bank's reference of each credit is unique per pool, so an entry that
appears again (the same statement uploaded twice, overlapping statements, a duplicate line)
is recorded once; the payment it becomes carries that reference too (`Payment.reference`)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, money_field, timestamp_field
from pool.models.integers import BodyId


class BankStatementFile(SQLModel, table=True):
    """One uploaded file: the same bytes twice are one import (`sha256`)."""

    __tablename__ = "bank_statement_file"
    __table_args__ = (UniqueConstraint("pool_id", "sha256", name="uq_bank_statement_file"),)

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    sha256: str = Field(max_length=64)
    format: str = Field(max_length=16)  # "camt.053" or "MT940"
    statement_id: str = Field(max_length=200)
    account: str = Field(max_length=100)
    credits: int = 0  # credits on the file, including those already imported before
    entries_skipped: int = 0  # debits, reversals, entries not booked yet
    imported_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    imported_at: datetime = timestamp_field()


class CreditStatus(StrEnum):
    MATCHED = "matched"  # recorded as a payment (`payment_id`)
    WAITING = "waiting"  # nobody could tell whose it is: an administrator decides
    DISMISSED = "dismissed"  # not a licensee's money (`note` says why)


class MatchRule(StrEnum):
    NOTICE = "payment notice"  # the reference a licensee gave in its payment notice
    INVOICE = "invoice number"  # an invoice number of the pool in the remittance text
    LICENSEE_AMOUNT = "licensee and amount"  # the payer is a licensee owing exactly that
    ADMINISTRATOR = "administrator"  # assigned by hand


class BankCredit(SQLModel, table=True):
    __tablename__ = "bank_credit"
    __table_args__ = (
        UniqueConstraint("pool_id", "bank_reference", name="uq_bank_credit_reference"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    file_id: int = Field(foreign_key="bank_statement_file.id", index=True)
    bank_reference: str = Field(max_length=100)
    booked_on: date
    value_on: date
    amount_minor: int = money_field()
    currency: str = Field(max_length=3)
    remittance: str = Field(default="", max_length=500)
    payer_name: str = Field(default="", max_length=200)
    payer_account: str = Field(default="", max_length=100)
    source: str = Field(default="", max_length=120)  # where in the file: "line 12 (Ntry[1])"
    status: str = enum_field(16, default=CreditStatus.WAITING, index=True)
    rule: str | None = Field(default=None, max_length=32)  # a MatchRule, once matched
    licensee_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True
    )
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id")  # the one it named
    notice_id: int | None = Field(default=None, foreign_key="payment_notice.id")
    payment_id: int | None = Field(default=None, foreign_key="payment.id", index=True)
    note: str | None = Field(default=None, max_length=300)
    decided_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp_field()
    decided_at: datetime | None = timestamp_field(default=None, nullable=True)


# ---------------------------------------------------------------- schemas


class Suggestion(SQLModel):
    """A licensee (and invoice) a waiting credit may belong to, and why."""

    licensee_organisation_id: int
    licensee_name: str
    invoice_id: int | None = None
    invoice_number: str | None = None
    why: str


class BankCreditRead(SQLModel):
    id: int
    bank_reference: str
    booked_on: date
    value_on: date
    amount_minor: int
    currency: str
    remittance: str
    payer_name: str
    payer_account: str
    source: str
    status: CreditStatus
    rule: str | None
    licensee_organisation_id: int | None
    invoice_id: int | None
    payment_id: int | None
    note: str | None
    suggestions: list[Suggestion] = []


class BankImportRead(SQLModel):
    """What an upload did. `already_imported` is true when these very bytes were imported
    before: nothing was recorded this time."""

    file_id: int
    format: str
    statement_id: str
    account: str
    already_imported: bool
    credits: int  # on the file
    matched: int  # recorded as payments now
    waiting: int  # new credits an administrator has to assign
    seen_before: int  # credits already imported from an earlier file (or twice in this one)
    entries_skipped: int  # debits, reversals, entries not booked yet
    credit_ids: list[int]


class CreditAssign(SQLModel):
    """Whose money a waiting credit is (and, optionally, the invoice it pays first)."""

    licensee_organisation_id: BodyId
    note: str | None = Field(default=None, max_length=300)


class CreditDismiss(SQLModel):
    note: str = Field(min_length=1, max_length=300)
