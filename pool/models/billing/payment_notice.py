"""A licensee's notice that it has paid (a remittance advice), and the administrator's answer.

A licensee's word is not cash (docs/ledger.md): the notice changes no balance. It tells the
pool's administrators which transfer to look for; when the bank shows the money, an
administrator confirms the notice with the amount and date actually received, which records a
real `Payment` (same reference, so confirming twice cannot record the money twice); or rejects
it with a reason the licensee reads."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, money_field, timestamp_field
from pool.models.integers import BodyId, Day, PositiveMinor


class NoticeStatus(StrEnum):
    PENDING = "pending"  # waiting for the administrator to find the money
    CONFIRMED = "confirmed"  # a payment was recorded from it (`payment_id`)
    REJECTED = "rejected"  # no such money arrived, or the notice was wrong (`reason`)


class PaymentNotice(SQLModel, table=True):
    __tablename__ = "payment_notice"
    __table_args__ = (
        UniqueConstraint("licensee_organisation_id", "reference", name="uq_payment_notice_ref"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    licensee_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    reference: str = Field(max_length=100)  # the transfer reference the bank will show
    currency: str = Field(max_length=3)
    amount_minor: int = money_field()  # what the licensee says it sent
    paid_on: date
    note: str | None = Field(default=None, max_length=500)
    status: str = enum_field(16, default=NoticeStatus.PENDING, index=True)
    declared_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp_field()
    decided_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = timestamp_field(default=None, nullable=True)
    reason: str | None = Field(default=None, max_length=300)  # why it was rejected
    payment_id: int | None = Field(default=None, foreign_key="payment.id", index=True)


# ---------------------------------------------------------------- schemas


class PaymentNoticeCreate(SQLModel):
    """What a licensee says it paid. Give the invoice it pays (the pool is then the invoice's)
    or, for a payment on account, the pool. `reference` is the transfer reference the bank
    will show: unique per licensee, so sending the same notice again is a safe retry."""

    pool_id: BodyId | None = None
    invoice_id: BodyId | None = None
    reference: str = Field(min_length=1, max_length=100)
    amount_minor: PositiveMinor
    paid_on: Day
    note: str | None = Field(default=None, max_length=500)


class PaymentNoticeRead(SQLModel):
    id: int
    pool_id: int
    licensee_organisation_id: int
    invoice_id: int | None
    reference: str
    currency: str
    amount_minor: int
    paid_on: date
    note: str | None
    status: NoticeStatus
    declared_by_user_id: int | None
    created_at: datetime
    decided_by_user_id: int | None
    decided_at: datetime | None
    reason: str | None
    payment_id: int | None


class NoticeConfirm(SQLModel):
    """The money the bank shows; each part defaults to what the notice said."""

    amount_minor: PositiveMinor | None = None
    received_on: Day | None = None


class NoticeReject(SQLModel):
    reason: str = Field(min_length=1, max_length=300)
