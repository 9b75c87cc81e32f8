"""Pools: one technology field, one currency, one fee rate and one allocation formula."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, money_field, timestamp_field
from pool.models.integers import Minor
from pool.models.patch import PatchBody, clearable, keep
from pool.validation import validate_account_number, validate_bic, validate_cnaps
from pool.validation.text import checked, optional, spaced


class TechnologyField(StrEnum):
    """The fields named by the Beijing programme, plus `other`."""

    ICT_MANUFACTURING = "ict_manufacturing"
    ICT_SERVICES = "ict_services"
    NEW_EQUIPMENT = "new_equipment"
    NEW_MATERIALS = "new_materials"
    PHARMA_MEDICAL = "pharma_medical"
    ENVIRONMENTAL = "environmental"
    RND_SERVICES = "rnd_services"
    OTHER = "other"


class ReportingCadence(StrEnum):
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"


class PoolStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


POOL_TRANSITIONS: dict[str, frozenset[str]] = {
    PoolStatus.DRAFT: frozenset({PoolStatus.OPEN, PoolStatus.CLOSED}),
    PoolStatus.OPEN: frozenset({PoolStatus.CLOSED}),
    PoolStatus.CLOSED: frozenset(),
}


class AllocationMethod(StrEnum):
    PATENT_COUNT = "patent_count"
    GRADE_WEIGHTED = "grade_weighted"
    TIERED = "tiered"


class Pool(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    technology_field: str = enum_field()
    standard: str | None = Field(default=None, max_length=200)
    currency: str = Field(max_length=3)
    admin_fee_rate: str = Field(max_length=16)
    allocation_method: str = enum_field()
    allocation_parameters: dict[str, Any] = json_field(default_factory=dict)
    reporting_cadence: str = enum_field()
    auto_approve_distributions: bool = False  # period close approves its own run
    # independent evaluators decide admission; the administrator's direct accept is refused
    requires_independent_evaluation: bool = False
    # charged to the submitter when a patent's evaluation begins; 0 = no fee (issue 19)
    evaluation_fee_minor: int = money_field(default=0)
    status: str = enum_field(default=PoolStatus.DRAFT)
    created_at: datetime = timestamp_field()


class PoolFields(SQLModel):
    @field_validator("admin_fee_rate", check_fields=False)
    @classmethod
    def _fee(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and not (Decimal(0) <= value < Decimal(1)):
            raise ValueError("the administrator fee rate must be at least 0 and below 1")
        return value

    @field_validator("currency", check_fields=False)
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        from allocation.currency import is_currency

        if value is None:
            return None
        value = value.strip().upper()
        if not is_currency(value):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return value


class PoolCreate(PoolFields):
    name: str = Field(min_length=1, max_length=200)
    technology_field: TechnologyField
    standard: str | None = Field(default=None, max_length=200)
    currency: str
    admin_fee_rate: Decimal = Decimal("0.10")
    allocation_method: AllocationMethod = AllocationMethod.PATENT_COUNT
    allocation_parameters: dict[str, Any] = Field(default_factory=dict)
    reporting_cadence: ReportingCadence = ReportingCadence.QUARTERLY
    auto_approve_distributions: bool = False
    requires_independent_evaluation: bool = False
    evaluation_fee_minor: Minor = 0


class PoolUpdate(PoolFields, PatchBody):
    name: str = keep("The pool's name, unique.", min_length=1, max_length=200)
    standard: str | None = clearable("The standard the pool licenses.", max_length=200)
    admin_fee_rate: Decimal = keep("The administrator's fee, at least 0 and below 1.")
    allocation_method: AllocationMethod = keep("How distributions split the money.")
    allocation_parameters: dict[str, Any] = keep(
        "The method's parameters (`grade_points`, `tier_shares`); `{}` for none."
    )
    reporting_cadence: ReportingCadence = keep("How often licensees report.")
    auto_approve_distributions: bool = keep("Whether period close approves its own run.")
    requires_independent_evaluation: bool = keep(
        "Whether assigned evaluators' findings decide admission (no direct accept)."
    )
    evaluation_fee_minor: Minor = keep(
        "The fee per patent evaluated, in minor units, invoiced to the submitter; 0 for none."
    )
    status: PoolStatus = keep("draft -> open -> closed, or draft -> closed.")


class PoolRead(SQLModel):
    id: int
    name: str
    technology_field: TechnologyField
    standard: str | None
    currency: str
    admin_fee_rate: Decimal
    allocation_method: AllocationMethod
    allocation_parameters: dict[str, Any]
    reporting_cadence: ReportingCadence
    auto_approve_distributions: bool
    requires_independent_evaluation: bool
    evaluation_fee_minor: int
    status: PoolStatus
    created_at: datetime


# ---------------------------------------------------------------- payee (whom licensees pay)


class PoolPayee(SQLModel, table=True):
    """The bank account licensees pay into, as the pool's invoices print it: one row per pool,
    set by administrators (audited). Licensees read it only on their invoices."""

    __tablename__ = "pool_payee"

    pool_id: int = Field(
        foreign_key="pool.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    legal_name: str = Field(max_length=200)
    bank_name: str = Field(max_length=200)
    account_number: str = Field(max_length=40)
    swift_bic: str | None = Field(default=None, max_length=11)
    cnaps_code: str | None = Field(default=None, max_length=12)
    bank_address: str | None = Field(default=None, max_length=300)
    updated_at: datetime = timestamp_field()


class PayeeWrite(SQLModel):
    """The pool's payee, replaced whole (`PUT`): the legal name the account is held in, the
    bank, the account number (an IBAN is checked), SWIFT/BIC for payments from abroad, CNAPS
    for payments inside China, and the bank's address if the payer's bank needs it."""

    legal_name: str = Field(min_length=1, max_length=200, description="Account holder's name.")
    bank_name: str = Field(min_length=1, max_length=200)
    account_number: str = Field(
        min_length=1, max_length=60, description="IBAN (checked) or domestic account number."
    )
    swift_bic: str | None = Field(
        default=None, max_length=20, description="8 or 11 characters (ISO 9362)."
    )
    cnaps_code: str | None = Field(
        default=None, max_length=20, description="12 digits (China's interbank bank code)."
    )
    bank_address: str | None = Field(default=None, max_length=300)

    @field_validator("legal_name", "bank_name", "account_number", mode="before")
    @classmethod
    def _spaces(cls, value: Any) -> Any:
        return spaced(value)

    @field_validator("swift_bic", "cnaps_code", "bank_address", mode="before")
    @classmethod
    def _empty(cls, value: Any) -> Any:
        return optional(value)

    @field_validator("account_number")
    @classmethod
    def _account(cls, value: str) -> str | None:
        return checked(validate_account_number, value)

    @field_validator("swift_bic")
    @classmethod
    def _bic(cls, value: str | None) -> str | None:
        return checked(validate_bic, value)

    @field_validator("cnaps_code")
    @classmethod
    def _cnaps(cls, value: str | None) -> str | None:
        return checked(validate_cnaps, value)


class PayeeRead(SQLModel):
    pool_id: int
    legal_name: str
    bank_name: str
    account_number: str
    swift_bic: str | None
    cnaps_code: str | None
    bank_address: str | None
    updated_at: datetime
