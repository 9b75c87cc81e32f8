"""Where a contributor organisation is paid: an IBAN with its BIC, or a Chinese bank account
with the bank's name and CNAPS code. Kept by the contributor itself (audited); administrators
and auditors read it, and payout batches copy it into each payment."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, timestamp_field
from pool.validation import validate_cnaps
from pool.validation.payout_accounts import validate_cn_account, validate_iban, validate_swift
from pool.validation.text import checked, optional, spaced


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
