"""Organisations: contributors, licensees and the administrator, with their tax profile."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, timestamp_field
from pool.models.patch import PatchBody, clearable, keep
from pool.validation import validate_country, validate_uscc

Language = Literal["en", "zh-CN"]


class OrganisationKind(StrEnum):
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    STATE_OWNED_ENTERPRISE = "state_owned_enterprise"
    PRIVATE_COMPANY = "private_company"
    INDIVIDUAL = "individual"
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
