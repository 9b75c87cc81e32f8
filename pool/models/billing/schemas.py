"""What the billing API reads and writes: invoices, payments, write-offs, overdue parts, account
statements and the trial balance."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from pool.models.integers import BodyId, Day, PositiveMinor

# ---------------------------------------------------------------- invoice schemas (reporting)


class InvoiceKind(StrEnum):
    """`evaluation_fee`: what a contributor owes for the evaluation of a patent it submitted;
    it has no licence agreement, and its money is the pool's, never split among contributors."""

    ROYALTY = "royalty"
    FIXED_FEE = "fixed_fee"
    EVALUATION_FEE = "evaluation_fee"


class InvoiceStatus(StrEnum):
    """`cancelled`: replaced by the invoice of a corrected report (reversed in the ledger)."""

    OPEN = "open"
    PAID = "paid"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"


class InvoiceLineRead(SQLModel):
    line_no: int
    category: str
    country_of_manufacture: str | None
    country_of_sale: str | None
    units: int
    rate: str
    amount_minor: int
    explanation: str
    facts: dict[str, Any] | None = None  # billing/line_facts.py; none on lines before 0011


class InvoiceInstalmentRead(SQLModel):
    """An amount and when it falls due; `due_on` None while a revenue threshold is unmet."""

    due_on: date | None
    amount_minor: int


class InvoiceRead(SQLModel):
    id: int
    pool_id: int
    agreement_id: int | None  # None for an evaluation fee
    licensee_organisation_id: int  # whom the invoice bills (a contributor, for an evaluation fee)
    report_id: int | None
    patent_id: int | None  # the patent an evaluation fee is for
    kind: InvoiceKind
    fee_kind: str | None
    number: str
    currency: str
    usage_start: date
    usage_end: date
    issued_on: date
    due_on: date | None
    total_minor: int
    status: str
    created_at: datetime


class InvoiceDetail(InvoiceRead):
    lines: list[InvoiceLineRead]
    instalments: list[InvoiceInstalmentRead]


# ---------------------------------------------------------------- payment schemas (billing)


class PaymentCreate(SQLModel):
    """A bank receipt recorded by an administrator. `reference` (the bank's or the licensee's
    transfer reference) is unique per licensee: recording it again is a safe retry."""

    licensee_organisation_id: BodyId
    reference: str = Field(min_length=1, max_length=100)
    amount_minor: PositiveMinor
    currency: str = Field(min_length=3, max_length=3)
    received_on: Day


class AllocationRead(SQLModel):
    invoice_id: int
    amount_minor: int
    allocated_on: date


class PaymentRead(SQLModel):
    id: int
    pool_id: int
    licensee_organisation_id: int
    reference: str
    currency: str
    amount_minor: int
    received_on: date
    recorded_by_user_id: int | None
    created_at: datetime
    allocations: list[AllocationRead]
    credit_left_minor: int  # the part not (yet) settling any invoice


class WriteOffCreate(SQLModel):
    on: Day
    reason: str = Field(min_length=1, max_length=300)


class WriteOffRead(SQLModel):
    invoice_id: int
    number: str
    amount_minor: int  # due and deferred amounts written off together
    status: str


class OverdueRead(SQLModel):
    invoice_id: int
    number: str
    pool_id: int
    licensee_organisation_id: int
    usage_start: date
    usage_end: date
    due_on: date
    amount_minor: int
    outstanding_minor: int
    days_late: int
    interest_minor: int


class StatementLine(SQLModel):
    """One journal entry as the licensee sees it: how it moved what it owes (receivable,
    deferred, credit held as a negative) and the running balance of all three."""

    occurred_on: date
    entry_id: int
    kind: str
    description: str  # the entry's memo, in English; what it is about, as data:
    invoice_number: str | None = None
    payment_reference: str | None = None
    due_on: date | None = None  # the part that fell due (`deferred_due`)
    receivable_minor: int
    deferred_minor: int
    credit_minor: int
    amount_minor: int
    balance_minor: int


class DeferredPart(SQLModel):
    invoice_id: int
    number: str
    due_on: date | None  # None: awaiting a revenue threshold
    amount_minor: int


class AccountStatement(SQLModel):
    pool_id: int
    licensee_organisation_id: int
    currency: str
    start: date | None
    end: date | None  # exclusive
    opening_balance_minor: int
    lines: list[StatementLine]
    closing_balance_minor: int
    receivable_minor: int
    deferred_receivable_minor: int
    credit_minor: int  # held for the licensee (positive)
    deferred: list[DeferredPart]
    good_standing: bool
    standing_reasons: list[str]


class AccountBalance(SQLModel):
    account: str
    currency: str
    balance_minor: int


class CashForPeriod(SQLModel):
    usage_start: date
    usage_end: date
    amount_minor: int


class TrialBalance(SQLModel):
    pool_id: int
    accounts: list[AccountBalance]
    total_minor: int  # always zero: every entry balances
    cash_by_usage_period: list[CashForPeriod]
