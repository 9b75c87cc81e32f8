"""Organisations: contributors, licensees and the administrator, with their tax profile."""

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, timestamp_field
from pool.models.patch import PatchBody, clearable, keep
from pool.validation import plain_uscc, validate_country, validate_uscc
from pool.validation.text import checked, optional, spaced

Language = Literal["en", "zh-CN"]


class OrganisationKind(StrEnum):
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    STATE_OWNED_ENTERPRISE = "state_owned_enterprise"
    PRIVATE_COMPANY = "private_company"
    INDIVIDUAL = "individual"
    EVALUATION_AGENCY = "evaluation_agency"  # independent evaluators of essentiality
    OTHER = "other"


ENTERPRISE_KINDS = frozenset(
    {
        OrganisationKind.STATE_OWNED_ENTERPRISE,
        OrganisationKind.PRIVATE_COMPANY,
        OrganisationKind.OTHER,
    }
)


class SizeClass(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    kind: str = enum_field()
    size_class: str | None = enum_field(default=None)
    country: str = Field(max_length=2)
    uscc: str | None = Field(default=None, max_length=18, unique=True)
    tax_resident: bool = True
    withholding_rate: str = Field(default="0", max_length=16)
    language: str = Field(default="en", max_length=8)
    created_at: datetime = timestamp_field()


def _check_rate(value: Decimal | None) -> Decimal | None:
    if value is not None and not (Decimal(0) <= value < Decimal(1)):
        raise ValueError("withholding rate must be at least 0 and below 1")
    return value


class OrganisationFields(SQLModel):
    @field_validator("country", check_fields=False)
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else validate_country(value)

    @field_validator("uscc", check_fields=False)
    @classmethod
    def _uscc(cls, value: str | None) -> str | None:
        return None if value is None or value == "" else validate_uscc(value)

    @field_validator("withholding_rate", check_fields=False)
    @classmethod
    def _withholding(cls, value: Decimal | None) -> Decimal | None:
        return _check_rate(value)


class OrganisationCreate(OrganisationFields):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    size_class: SizeClass | None = None
    country: str
    uscc: str | None = None
    tax_resident: bool = True
    withholding_rate: Decimal = Decimal("0")
    language: Language = "en"


class OrganisationUpdate(OrganisationFields, PatchBody):
    name: str = keep("The organisation's name.", min_length=1, max_length=200)
    size_class: SizeClass | None = clearable("Enterprises only: micro, small, medium, large.")
    uscc: str | None = clearable("Unified social credit code; Chinese organisations need one.")
    tax_resident: bool = keep("Whether it is resident for tax.")
    withholding_rate: Decimal = keep("Tax withheld from its payouts, at least 0 and below 1.")
    language: Language = keep("The language of its statements and e-mails.")


class OrganisationRead(SQLModel):
    id: int
    name: str
    kind: OrganisationKind
    size_class: SizeClass | None
    country: str
    uscc: str | None
    tax_resident: bool
    withholding_rate: Decimal
    language: str
    created_at: datetime


# ---------------------------------------------------------------- fapiao (the buyer's details)

PHONE = re.compile(r"\+?[0-9(][0-9 ()-]{3,27}[0-9]")  # 010-6552 9988, +86 (10) 6552 9988
PHONE_FAULT = "a phone number is digits, with spaces, hyphens, brackets and a leading + allowed"


class FapiaoDetails(SQLModel, table=True):
    """What a licensee asks its fapiao (China's VAT invoice) to be issued to, as on its business
    licence: one row per organisation, kept by the licensee itself (audited); administrators
    read it, and the pool's invoices print it."""

    __tablename__ = "fapiao_details"

    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    buyer_name: str = Field(max_length=200)
    uscc: str = Field(max_length=18)
    address: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30)
    bank_name: str | None = Field(default=None, max_length=200)
    bank_account: str | None = Field(default=None, max_length=40)
    updated_at: datetime = timestamp_field()


class FapiaoWrite(SQLModel):
    """The fapiao request data, replaced whole (`PUT`). The buyer's name and its unified social
    credit code (the 18th character checked, GB 32100-2015) are needed for any fapiao; the
    registered address, phone, bank and account too for a special VAT fapiao (专用发票)."""

    buyer_name: str = Field(min_length=1, max_length=200, description="As on the business licence.")
    uscc: str = Field(
        min_length=1, max_length=40, description="Unified social credit code, 18 characters."
    )
    address: str | None = Field(default=None, max_length=200, description="Registered address.")
    phone: str | None = Field(default=None, max_length=30)
    bank_name: str | None = Field(default=None, max_length=200)
    bank_account: str | None = Field(default=None, max_length=40)

    @field_validator("buyer_name", "uscc", mode="before")
    @classmethod
    def _spaces(cls, value: Any) -> Any:
        return spaced(value)

    @field_validator("address", "phone", "bank_name", "bank_account", mode="before")
    @classmethod
    def _empty(cls, value: Any) -> Any:
        return optional(value)

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, value: str) -> str | None:
        return checked(plain_uscc, value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not PHONE.fullmatch(value):
            raise ValueError(PHONE_FAULT)
        return value

    @field_validator("bank_account")
    @classmethod
    def _account(cls, value: str | None) -> str | None:
        if value is not None and not any(ch.isdigit() for ch in value):
            raise ValueError("an account number has digits")
        return value


class FapiaoRead(SQLModel):
    organisation_id: int
    buyer_name: str
    uscc: str
    address: str | None
    phone: str | None
    bank_name: str | None
    bank_account: str | None
    updated_at: datetime
