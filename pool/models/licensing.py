"""Licence terms, open-licence offers, licence agreements (with their filing) and products."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, timestamp_field


class LicenceTerms(SQLModel, table=True):
    """One immutable version of a pool's royalty and payment terms (`contracts` JSON).

    `sha256` is the hash of the canonical terms: every licensee on this version provably
    signed the same thing."""

    __tablename__ = "licence_terms"
    __table_args__ = (UniqueConstraint("pool_id", "version", name="uq_terms_pool_version"),)

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    version: str = Field(max_length=50)
    royalty_terms: dict[str, Any] = json_field()
    payment_terms: dict[str, Any] = json_field()
    sha256: str = Field(max_length=64)
    created_at: datetime = timestamp_field()


class OpenOffer(SQLModel, table=True):
    """A published open licence: fee standard (terms), payment method and term, for anyone."""

    __tablename__ = "open_offer"

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    terms_id: int = Field(foreign_key="licence_terms.id")
    term_months: int
    jurisdiction: str = Field(max_length=2)
    payment_method: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    published_on: date
    withdrawn_on: date | None = None
    created_at: datetime = timestamp_field()


class LicenceAgreement(SQLModel, table=True):
    """A licensee's licence to a pool's patents, with its state and its contract filing."""

    __tablename__ = "licence_agreement"

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    licensee_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    terms_id: int = Field(foreign_key="licence_terms.id")
    offer_id: int | None = Field(default=None, foreign_key="open_offer.id")
    licence_type: str = enum_field(16)
    territory: list[str] = json_field(default_factory=list)  # ISO countries; empty = worldwide
    product_categories: list[str] = json_field(default_factory=list)
    signed_on: date
    start_on: date
    end_on: date  # exclusive
    state: str = enum_field(16, index=True)
    state_changed_on: date
    early_signer: bool = False
    filing_number: str | None = Field(default=None, max_length=64, unique=True)
    filed_on: date | None = None
    created_at: datetime = timestamp_field()


class Product(SQLModel, table=True):
    """A registered product implementing pool patents (patent-product filing)."""

    __table_args__ = (
        UniqueConstraint("agreement_id", "name", "model", name="uq_product_agreement_model"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="licence_agreement.id", index=True)
    licensee_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    model: str = Field(max_length=100)
    category: str = Field(max_length=64)
    patent_ids: list[int] = json_field(default_factory=list)
    filing_code: str = Field(max_length=32, unique=True)
    registered_on: date
    created_at: datetime = timestamp_field()
