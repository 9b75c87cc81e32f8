"""The billing tables: invoices, their lines and dated parts, payments and how payments settle
invoices."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, money_field, timestamp_field


class Invoice(SQLModel, table=True):
    """An amount a licensee owes for a usage period (royalties) or a fixed fee.

    `due_on` is None while a "use first, pay later" deferral has no date yet (revenue
    threshold not reached). A fixed-fee invoice names its fee (`fee_kind`: `entry_fee` or
    `annual_fee`) and starts its usage period on the fee's date: at most one per agreement,
    fee and date (`uq_invoice_fixed_fee`), so issuing fees twice bills nothing twice. Royalty
    invoices leave `fee_kind` null, and nulls never collide in a unique constraint.

    A usage report has at most one invoice that is not cancelled (`uq_invoice_report_live`, a
    partial unique index): when an earlier period of the year changes, the invoice of a later
    period is cancelled and a new one issued for the same report (docs/reporting.md).

    An evaluation fee (`kind` `evaluation_fee`) bills the contributor that submitted a patent
    (`licensee_organisation_id` is whom an invoice bills) and names the patent, not an
    agreement: at most one live fee per patent (`uq_invoice_evaluation_fee`). Its money is the
    pool's: distribution runs and the programme's royalty figures leave it out."""

    __table_args__ = (
        UniqueConstraint("pool_id", "number", name="uq_invoice_pool_number"),
        UniqueConstraint("agreement_id", "fee_kind", "usage_start", name="uq_invoice_fixed_fee"),
        Index(
            "uq_invoice_report_live",
            "report_id",
            unique=True,
            sqlite_where=text("status <> 'cancelled'"),
            postgresql_where=text("status <> 'cancelled'"),
        ),
        Index(
            "uq_invoice_evaluation_fee",
            "patent_id",
            unique=True,
            sqlite_where=text("status <> 'cancelled'"),
            postgresql_where=text("status <> 'cancelled'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    agreement_id: int | None = Field(default=None, foreign_key="licence_agreement.id", index=True)
    licensee_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    report_id: int | None = Field(default=None, foreign_key="usage_report.id", index=True)
    patent_id: int | None = Field(default=None, foreign_key="patent.id")
    kind: str = enum_field(16)
    fee_kind: str | None = enum_field(16, default=None)
    number: str = Field(max_length=32)
    currency: str = Field(max_length=3)
    usage_start: date
    usage_end: date
    issued_on: date = Field(index=True)  # the invoice list's default order and year filter
    due_on: date | None = None
    total_minor: int = money_field()
    status: str = enum_field(16, default="open", index=True)
    created_at: datetime = timestamp_field()


class InvoiceLine(SQLModel, table=True):
    __tablename__ = "invoice_line"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    line_no: int
    category: str = Field(max_length=64)
    country_of_manufacture: str | None = Field(default=None, max_length=2)
    country_of_sale: str | None = Field(default=None, max_length=2)
    units: int = Field(default=0, sa_type=BigInteger)  # a report line's units: up to 10^12
    rate: str = Field(default="0", max_length=40)
    amount_minor: int = money_field()
    explanation: str = Field(default="", max_length=1000)
    facts: str | None = Field(default=None, sa_type=Text)  # JSON: what the words need (0011)


class InvoiceInstalment(SQLModel, table=True):
    """When (parts of) an invoice fall due: one row without deferral, several for instalments."""

    __tablename__ = "invoice_instalment"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    due_on: date | None = None
    amount_minor: int = money_field()


class Payment(SQLModel, table=True):
    """Money received from a licensee; the reference makes recording it idempotent."""

    __table_args__ = (
        UniqueConstraint("licensee_organisation_id", "reference", name="uq_payment_reference"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    licensee_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    reference: str = Field(max_length=100)
    currency: str = Field(max_length=3)
    amount_minor: int = money_field()
    received_on: date = Field(index=True)  # the payment list's order and date range
    recorded_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp_field()


class PaymentAllocation(SQLModel, table=True):
    """How much of a payment settled which invoice (the rest is the licensee's credit).

    Rows are never changed or deleted: when an invoice is cancelled, a negative row per
    payment (dated the cancellation) gives its money back as credit, so the history of what
    settled what is kept and sums stay simple."""

    __tablename__ = "payment_allocation"

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    amount_minor: int = money_field()
    allocated_on: date  # the payment's date, the day its credit was applied, or released
