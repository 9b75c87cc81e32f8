"""Patent transactions outside the pool's own licence: transfers, licences, capital
contributions and pledges of the pool's patents (the programme counts all of them yearly).

Amounts are in the pool's currency, in minor units. `contract_amount_minor` is what the
contract is worth, read per kind: the price of a transfer, the fee of a licence, the agreed
valuation of a capital contribution (作价入股), the secured amount of a pledge. Rows are never
deleted: a deal ends (`ended_on`: a pledge released, a licence ended, a transfer undone)."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import ValidationInfo, field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, money_field, timestamp_field
from pool.models.integers import BodyId, Day, Minor, PositiveMinor


class DealKind(StrEnum):
    TRANSFER = "transfer"
    LICENCE = "licence"
    CAPITAL_CONTRIBUTION = "capital_contribution"
    PLEDGE = "pledge"


class PatentDeal(SQLModel, table=True):
    """One transaction: the patents' owner (`supplier`) and its counterparty (the assignee,
    the licensee, the company taking the patents as capital, or the pledgee)."""

    __tablename__ = "patent_deal"

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    kind: str = enum_field(24, index=True)
    supplier_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    counterparty_organisation_id: int = Field(foreign_key="organisation.id")
    signed_on: date
    effective_on: date
    contract_amount_minor: int = money_field()
    registration_number: str | None = Field(default=None, max_length=64)
    registered_on: date | None = None
    consent_on: date | None = None  # a pledge: the pledgee consented to licensing or transfer
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=1000)
    notes: str | None = Field(default=None, max_length=2000)
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp_field()


class PatentDealPatent(SQLModel, table=True):
    __tablename__ = "patent_deal_patent"
    __table_args__ = (UniqueConstraint("deal_id", "patent_id", name="uq_patent_deal_patent"),)

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="patent_deal.id", index=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)


class DealReceipt(SQLModel, table=True):
    """Money actually received under a deal. `reference` is unique per deal, so recording the
    same receipt again is a safe retry, not a second receipt."""

    __tablename__ = "deal_receipt"
    __table_args__ = (UniqueConstraint("deal_id", "reference", name="uq_deal_receipt_reference"),)

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="patent_deal.id", index=True)
    received_on: date
    amount_minor: int = money_field()
    reference: str = Field(max_length=100)
    created_at: datetime = timestamp_field()


class DealCreate(SQLModel):
    kind: DealKind
    supplier_organisation_id: BodyId
    counterparty_organisation_id: BodyId
    patent_ids: list[BodyId] = Field(min_length=1, max_length=1000)
    signed_on: Day
    effective_on: Day = Field(
        description="A transfer leaves the pool, a pledge blocks, from this day."
    )
    contract_amount_minor: Minor = Field(
        description="Price (transfer), fee (licence), valuation (capital contribution) or "
        "secured amount (pledge), in the pool's currency's minor units."
    )
    registration_number: str | None = Field(default=None, min_length=1, max_length=64)
    registered_on: Day | None = None
    notes: str | None = Field(default=None, max_length=2000)

    # Field validators, not a model validator: the refusal names its field (the API's problem
    # and the deal form put it next to the date concerned) in words a person reads.
    @field_validator("effective_on")
    @classmethod
    def _not_before_signing(cls, value: date, info: ValidationInfo) -> date:
        signed = info.data.get("signed_on")
        if signed is not None and value < signed:
            raise ValueError("must not be before the day the deal was signed")
        return value

    @field_validator("registered_on")
    @classmethod
    def _registered_with_a_number(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and info.data.get("registration_number") is None:
            raise ValueError("a registration date needs the registration number")
        return value


class DealEnd(SQLModel):
    ended_on: Day
    reason: str | None = Field(default=None, max_length=1000)


class DealConsent(SQLModel):
    consent_on: Day


class ReceiptCreate(SQLModel):
    received_on: Day
    amount_minor: PositiveMinor
    reference: str = Field(min_length=1, max_length=100)


class ReceiptRead(SQLModel):
    id: int
    received_on: date
    amount_minor: int
    reference: str


class DealRead(SQLModel):
    id: int
    pool_id: int
    kind: DealKind
    supplier_organisation_id: int
    counterparty_organisation_id: int
    patent_ids: list[int]
    signed_on: date
    effective_on: date
    contract_amount_minor: int
    currency: str
    received_minor: int
    receipts: list[ReceiptRead]
    registration_number: str | None
    registered_on: date | None
    consent_on: date | None
    ended_on: date | None
    end_reason: str | None
    notes: str | None
    created_at: datetime


class DealFlag(SQLModel):
    """One reason an administrator should look at a deal: a transfer undone soon after it
    took effect (`transfer_undone`), a pledge released at once (`pledge_released_at_once`)."""

    deal_id: int
    deal_kind: DealKind
    supplier_organisation_id: int
    kind: str
    reason: str  # in English; `facts` hold its values (days), for a reader in another language
    facts: dict[str, int] = Field(default_factory=dict)
