"""Licence terms, open-licence offers, licence agreements (with their filing) and products."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from contracts import AgreementState, LicenceType
from pool.models.base import enum_field, json_field, timestamp_field
from pool.models.integers import BodyId, Day
from pool.validation import validate_country


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
    payment_method: str | None = Field(default=None, max_length=200)
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


# ---------------------------------------------------------------- terms


class TermsCreate(SQLModel):
    """Royalty and payment terms as `contracts` JSON; the version is `terms_version`."""

    royalty_terms: dict[str, Any]
    payment_terms: dict[str, Any] = Field(default_factory=dict)


class TermsRead(SQLModel):
    id: int
    pool_id: int
    version: str
    royalty_terms: dict[str, Any]
    payment_terms: dict[str, Any]
    sha256: str
    created_at: datetime


# ---------------------------------------------------------------- open offers


PAYMENT_METHODS = (
    "bank_transfer",
    "telegraphic_transfer",
    "bank_draft",
    "cheque",
    "letter_of_credit",
)
PAYMENT_METHOD = (
    "How the licensee pays: a known method (" + ", ".join(PAYMENT_METHODS) + "; its code, or "
    "its words in any case, e.g. `Bank transfer`), shown in each reader's language, or any other "
    "text, shown as written"
)


def known_payment_method(value: str | None) -> str | None:
    """A known method, however written, is stored as its code; any other text as written."""
    key = "_".join((value or "").replace("-", " ").replace("_", " ").lower().split())
    return key if key in PAYMENT_METHODS else value


class OfferCreate(SQLModel):
    terms_id: BodyId
    term_months: int = Field(ge=1, le=1200)
    jurisdiction: str
    payment_method: str = Field(min_length=1, max_length=200, description=PAYMENT_METHOD)
    published_on: Day | None = None  # default: today

    @field_validator("jurisdiction")
    @classmethod
    def _country(cls, value: str) -> str:
        return validate_country(value)

    _method = field_validator("payment_method")(known_payment_method)


class OfferWithdraw(SQLModel):
    withdrawn_on: Day


class OfferRead(SQLModel):
    id: int
    pool_id: int
    terms_id: int
    term_months: int
    jurisdiction: str
    payment_method: str
    sha256: str
    published_on: date
    withdrawn_on: date | None
    created_at: datetime


class PublicOffer(SQLModel):
    """What anyone may read before accepting: the fee standard, payment method and term."""

    id: int
    pool_id: int
    pool_name: str
    currency: str
    terms_version: str
    royalty_terms: dict[str, Any]
    payment_terms: dict[str, Any]
    term_months: int
    jurisdiction: str
    payment_method: str
    published_on: date
    sha256: str


# ---------------------------------------------------------------- agreements

Worldwide = Literal["worldwide"]


class AgreementCreate(SQLModel):
    pool_id: BodyId
    licensee_organisation_id: BodyId
    terms_id: BodyId
    licence_type: LicenceType = LicenceType.ORDINARY
    territory: list[str] | Worldwide = Field(min_length=1, max_length=250)
    product_categories: list[str] = Field(min_length=1, max_length=100)
    signed_on: Day
    start_on: Day
    end_on: Day  # exclusive
    early_signer: bool = False
    payment_method: str | None = Field(default=None, max_length=200, description=PAYMENT_METHOD)

    _method = field_validator("payment_method")(known_payment_method)

    @field_validator("territory")
    @classmethod
    def _countries(cls, value: list[str] | str) -> list[str] | str:
        if isinstance(value, str):
            return value
        return sorted({validate_country(code) for code in value})


class AgreementMove(SQLModel):
    to: AgreementState
    on: Day
    reason: str = Field(default="", max_length=500)


class FilingCreate(SQLModel):
    filing_number: str = Field(min_length=1, max_length=64)
    filed_on: Day


class AgreementFilters(SQLModel):
    pool_id: int | None = None
    licensee_organisation_id: int | None = None
    state: AgreementState | None = None
    licence_type: LicenceType | None = None


class AgreementRead(SQLModel):
    id: int
    pool_id: int
    licensee_organisation_id: int
    terms_id: int
    offer_id: int | None
    licence_type: LicenceType
    worldwide: bool
    territory: list[str]
    product_categories: list[str]
    signed_on: date
    start_on: date
    end_on: date
    state: AgreementState
    state_changed_on: date
    early_signer: bool
    payment_method: str | None
    filing_number: str | None
    filed_on: date | None
    filing_due_on: date
    filing_overdue: bool
    created_at: datetime


# ---------------------------------------------------------------- products


class ProductCreate(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    model: str = Field(min_length=1, max_length=100)
    category: str = Field(min_length=1, max_length=64)
    # up to every patent of a large pool ("all patents of the pool": 15,000 at 10x the demo)
    patent_ids: list[BodyId] = Field(min_length=1, max_length=50_000)


class ProductRead(SQLModel):
    id: int
    agreement_id: int
    licensee_organisation_id: int
    name: str
    model: str
    category: str
    patent_ids: list[int]
    filing_code: str
    registered_on: date
    created_at: datetime


# ---------------------------------------------------------------- review flags


class ReviewFlag(SQLModel):
    """One reason an administrator should look at an agreement (DOMAIN.md section 4)."""

    agreement_id: int
    licensee_organisation_id: int
    licensee: str
    kind: str
    reason: str  # in English; `facts` hold its values, for a reader in another language
    # no_product: days; nil_reports: periods, from (ISO date); zero_fee: terms (version);
    # nominal_fee: terms, most_minor, nominal_minor (the pool's currency); early_termination: days
    facts: dict[str, str | int] = Field(default_factory=dict)
