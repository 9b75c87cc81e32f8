"""Payout batches: the payments of contributors' net payable that the administrator sends to
the pool's bank as one ISO 20022 pain.001 credit-transfer file, then settles line by line."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, money_field, timestamp_field
from pool.models.integers import Day


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
    execution_date: Day = Field(description="The day the bank is asked to pay (ReqdExctnDt).")


class PayoutSent(SQLModel):
    sent_on: Day


class PayoutPaid(SQLModel):
    paid_on: Day
    bank_reference: str = Field(min_length=1, max_length=60, description="The bank's reference.")


class PayoutReturned(SQLModel):
    returned_on: Day
    reason: str = Field(min_length=1, max_length=200)


class StatementPayoutRead(SQLModel):
    statement_id: int
    status: str = Field(description="`paid`, `not_yet_paid` or `nothing_to_pay`.")
    paid_on: date | None
    reference: str | None = Field(description="The bank's reference of the payment.")
    end_to_end_id: str | None
    batch_id: int | None
