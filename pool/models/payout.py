"""Paying contributors: where each is paid (its bank details: an IBAN with its BIC, or a
Chinese bank account with the bank's name and CNAPS code, kept by the contributor itself and
audited), and payout batches: the payments of contributors' net payable that the
administrator sends to the pool's bank as one ISO 20022 pain.001 credit-transfer file, then
settles line by line."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import field_validator
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, money_field, timestamp_field
from pool.validation import validate_cnaps
from pool.validation.payout_accounts import validate_cn_account, validate_iban, validate_swift
from pool.validation.text import checked, optional, spaced

# ---------------------------------------------------------------- bank details


class AccountScheme(StrEnum):
    IBAN = "iban"  # an IBAN and the bank's SWIFT/BIC
    CN = "cn"  # a Chinese account number, the bank's name and its CNAPS code


class ContributorBankDetails(SQLModel, table=True):
    __tablename__ = "contributor_bank_details"

    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    account_holder: str = Field(max_length=140)
    scheme: str = enum_field(length=8)
    iban: str | None = Field(default=None, max_length=34)
    bic: str | None = Field(default=None, max_length=11)
    account_number: str | None = Field(default=None, max_length=34)
    bank_name: str | None = Field(default=None, max_length=140)
    cnaps_code: str | None = Field(default=None, max_length=12)
    updated_at: datetime = timestamp_field()


# The fields each scheme needs (the others are dropped when stored).
NEEDED: dict[str, tuple[str, ...]] = {
    AccountScheme.IBAN: ("iban", "bic"),
    AccountScheme.CN: ("account_number", "bank_name", "cnaps_code"),
}


class BankDetailsWrite(SQLModel):
    """A contributor's bank details, replaced whole (`PUT`). `scheme` `iban`: `iban` and
    `bic` (checked by schwifty); `cn`: `account_number` (digits), `bank_name` and
    `cnaps_code` (12 digits). A field the scheme does not use is ignored."""

    account_holder: str = Field(min_length=1, max_length=140, description="Name on the account.")
    scheme: AccountScheme
    iban: str | None = Field(default=None, max_length=50)
    bic: str | None = Field(default=None, max_length=20, description="8 or 11 characters.")
    account_number: str | None = Field(default=None, max_length=40)
    bank_name: str | None = Field(default=None, max_length=140)
    cnaps_code: str | None = Field(default=None, max_length=20, description="12 digits.")

    @field_validator("account_holder", mode="before")
    @classmethod
    def _spaces(cls, value: Any) -> Any:
        return spaced(value)

    @field_validator("iban", "bic", "account_number", "bank_name", "cnaps_code", mode="before")
    @classmethod
    def _empty(cls, value: Any) -> Any:
        return optional(value)

    @field_validator("iban")
    @classmethod
    def _iban(cls, value: str | None) -> str | None:
        return checked(validate_iban, value)

    @field_validator("bic")
    @classmethod
    def _bic(cls, value: str | None) -> str | None:
        return checked(validate_swift, value)

    @field_validator("account_number")
    @classmethod
    def _account(cls, value: str | None) -> str | None:
        return checked(validate_cn_account, value)

    @field_validator("cnaps_code")
    @classmethod
    def _cnaps(cls, value: str | None) -> str | None:
        return checked(validate_cnaps, value)

    def missing(self) -> str | None:
        """The first field the scheme needs that is empty, or None."""
        return next((name for name in NEEDED[self.scheme] if not getattr(self, name)), None)

    def stored(self) -> dict[str, Any]:
        """The columns: the scheme's fields, the others None."""
        keep = {"account_holder", "scheme", *NEEDED[self.scheme]}
        return {k: (v if k in keep else None) for k, v in self.model_dump().items()}


class BankDetailsRead(SQLModel):
    organisation_id: int
    account_holder: str
    scheme: AccountScheme
    iban: str | None
    bic: str | None
    account_number: str | None
    bank_name: str | None
    cnaps_code: str | None
    updated_at: datetime


# ---------------------------------------------------------------- payout batches


class BatchStatus(StrEnum):
    CREATED = "created"  # the file can be downloaded; nothing has left the pool's bank yet
    SENT = "sent"  # handed to the bank; each line is then recorded paid or returned


class LineStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    RETURNED = "returned"


class PayoutBatch(SQLModel, table=True):
    __tablename__ = "payout_batch"

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    message_id: str = Field(max_length=35, unique=True)  # GrpHdr/MsgId and PmtInfId
    currency: str = Field(max_length=3)
    status: str = enum_field(default=BatchStatus.CREATED)
    execution_date: date  # ReqdExctnDt
    total_minor: int = money_field()
    line_count: int
    created_at: datetime = timestamp_field()
    sent_on: date | None = None


class PayoutLine(SQLModel, table=True):
    """One credit transfer: a contributor's whole open net payable when the batch was made, to
    the account it had given then (copied, so later changes do not rewrite a sent file).

    At most one pending line per contributor and pool (a partial unique index): two batches
    made at once cannot both pay the same money."""

    __tablename__ = "payout_line"
    __table_args__ = (
        sa.Index(
            "uq_payout_line_pending",
            "pool_id",
            "contributor_organisation_id",
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="payout_batch.id", index=True)
    pool_id: int = Field(foreign_key="pool.id")
    contributor_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    end_to_end_id: str = Field(max_length=35, unique=True)
    amount_minor: int = money_field()
    status: str = enum_field(default=LineStatus.PENDING)
    account_holder: str = Field(max_length=140)
    scheme: str = Field(max_length=8)
    iban: str | None = Field(default=None, max_length=34)
    bic: str | None = Field(default=None, max_length=11)
    account_number: str | None = Field(default=None, max_length=34)
    bank_name: str | None = Field(default=None, max_length=140)
    cnaps_code: str | None = Field(default=None, max_length=12)
    paid_on: date | None = None
    bank_reference: str | None = Field(default=None, max_length=60)
    returned_on: date | None = None
    return_reason: str | None = Field(default=None, max_length=200)


class PayoutLineRead(SQLModel):
    id: int
    contributor_organisation_id: int
    contributor_name: str
    end_to_end_id: str
    amount_minor: int
    status: LineStatus
    account_holder: str
    scheme: str
    paid_on: date | None
    bank_reference: str | None
    returned_on: date | None
    return_reason: str | None


class HeldContributor(SQLModel):
    """Owed money but gave no bank details: left out of the batch, paid in a later one."""

    contributor_organisation_id: int
    contributor_name: str
    payable_minor: int


class PayoutBatchRead(SQLModel):
    id: int
    pool_id: int
    message_id: str
    currency: str
    status: BatchStatus
    execution_date: date
    total_minor: int
    line_count: int
    created_at: datetime
    sent_on: date | None
    lines: list[PayoutLineRead]
    held: list[HeldContributor]


class PayoutBatchCreate(SQLModel):
    execution_date: date = Field(description="The day the bank is asked to pay (ReqdExctnDt).")


class PayoutSent(SQLModel):
    sent_on: date


class PayoutPaid(SQLModel):
    paid_on: date
    bank_reference: str = Field(min_length=1, max_length=60, description="The bank's reference.")


class PayoutReturned(SQLModel):
    returned_on: date
    reason: str = Field(min_length=1, max_length=200)


class StatementPayoutRead(SQLModel):
    statement_id: int
    status: str = Field(description="`paid`, `not_yet_paid` or `nothing_to_pay`.")
    paid_on: date | None
    reference: str | None = Field(description="The bank's reference of the payment.")
    end_to_end_id: str | None
    batch_id: int | None
