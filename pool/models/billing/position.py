"""What the API returns for a licensee's position at a date (services.billing.position)."""

from datetime import date
from enum import StrEnum

from sqlmodel import SQLModel


class PartStateRead(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    AWAITING_THRESHOLD = "awaiting_threshold"
    DUE = "due"
    OVERDUE = "overdue"
    PAID = "paid"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"


class PartPositionRead(SQLModel):
    number: int
    due_on: date | None  # None: waits for the revenue threshold
    amount_minor: int
    paid_minor: int
    outstanding_minor: int
    state: PartStateRead
    days_late: int
    interest_minor: int


class InvoicePositionRead(SQLModel):
    invoice_id: int
    number: str
    issued_on: date
    usage_start: date
    usage_end: date  # exclusive
    total_minor: int
    paid_minor: int
    outstanding_minor: int  # still owed, due or not
    due_now_minor: int  # due and unpaid on the date, late or not
    interest_minor: int
    to_pay_today_minor: int  # due now plus late interest
    state: PartStateRead  # the most pressing part's
    days_late: int
    late_since: date | None  # the contractual due date late interest runs from
    parts: list[PartPositionRead]


class StandingReasonRead(SQLModel):
    kind: str  # overdue, underpaid, report_missing
    text: str  # in English; pages say it in the reader's language
    invoice_id: int | None
    invoice_number: str | None
    outstanding_minor: int
    due_on: date | None
    agreement_id: int | None
    period_start: date | None
    period_end: date | None  # exclusive


class PositionRead(SQLModel):
    pool_id: int
    pool_name: str
    licensee_organisation_id: int
    currency: str
    as_of: date
    due_now_minor: int
    overdue_minor: int
    not_yet_due_minor: int
    outstanding_minor: int
    interest_minor: int
    credit_minor: int
    to_pay_today_minor: int  # due now plus interest, less credit held
    balance_minor: int  # owed (due or not) less credit: the ledger's balance that day
    good_standing: bool
    standing_reasons: list[StandingReasonRead]
    invoices: list[InvoicePositionRead]
