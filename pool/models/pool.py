"""Pools: one technology field, one currency, one fee rate and one allocation formula."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, timestamp_field
from pool.models.patch import PatchBody, clearable, keep


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
    status: PoolStatus
    created_at: datetime
