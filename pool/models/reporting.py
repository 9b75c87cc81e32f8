"""Usage reports (implementation reported per period) and the idempotency-key store."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import BigInteger, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, money_field, timestamp_field
from pool.models.integers import BodyId, Day, Minor, Units
from pool.validation import validate_country

MAX_JSON_LINES = 10_000  # larger reports go through the CSV upload


class UsageReport(SQLModel, table=True):
    """One licensee's report for one agreement and period [period_start, period_end).

    A correction supersedes the current report (kept, status `superseded`); at most one
    report per agreement and period is current, enforced by a partial unique index."""

    __tablename__ = "usage_report"
    __table_args__ = (
        Index(
            "uq_usage_report_current",
            "agreement_id",
            "period_start",
            unique=True,
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="licence_agreement.id", index=True)
    licensee_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    period_start: date = Field(index=True)  # the report list's period filter and sort
    period_end: date
    is_nil: bool = False
    status: str = enum_field(16, default="accepted")
    supersedes_id: int | None = Field(default=None, foreign_key="usage_report.id")
    line_count: int = 0
    units_total: int = Field(default=0, sa_type=BigInteger)
    net_sales_total_minor: int = money_field(default=0)
    content_sha256: str = Field(max_length=64)
    submitted_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    submitted_at: datetime = timestamp_field(index=True)  # the report list's default order


class UsageReportLine(SQLModel, table=True):
    __tablename__ = "usage_report_line"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="usage_report.id", index=True)
    line_no: int
    product_id: int = Field(foreign_key="product.id")
    category: str = Field(max_length=64)
    country_of_manufacture: str = Field(max_length=2)
    country_of_sale: str = Field(max_length=2)
    units: int = Field(sa_type=BigInteger)
    net_sales_minor: int = money_field()
    upstream_paid_units: int = Field(default=0, sa_type=BigInteger)
    unit_price_minor: int | None = money_field(default=None)


class IdempotencyRecord(SQLModel, table=True):
    """The stored response to a request sent with an `Idempotency-Key`, replayed on retry."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    key: str = Field(max_length=200)
    request_sha256: str = Field(max_length=64)
    status_code: int
    response: dict[str, Any] = json_field()
    created_at: datetime = timestamp_field()


# ---------------------------------------------------------------- schemas (API in and out)


class ReportStatus(StrEnum):
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"


class UsageLineIn(SQLModel):
    """One reported line: units of a registered product, made in one country, sold in another."""

    product_id: BodyId
    country_of_manufacture: str
    country_of_sale: str
    units: Units
    net_sales_minor: Minor
    upstream_paid_units: Units = 0
    unit_price_minor: Minor | None = None

    @field_validator("country_of_manufacture", "country_of_sale")
    @classmethod
    def _country(cls, value: str) -> str:
        return validate_country(value)


class UsageReportCreate(SQLModel):
    """A report for the period of the pool's cadence that starts on `period_start`.

    `currency`, when given, must be the pool's (a mismatch is refused, never converted)."""

    period_start: Day
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    lines: list[UsageLineIn] = Field(min_length=1, max_length=MAX_JSON_LINES)


class UsageReportCorrection(SQLModel):
    """The complete replacement of a period's report; no lines corrects it to a nil report."""

    currency: str | None = Field(default=None, min_length=3, max_length=3)
    lines: list[UsageLineIn] = Field(default_factory=list, max_length=MAX_JSON_LINES)


class NilReportCreate(SQLModel):
    """Nothing was made or sold in the period: still a report, and required."""

    period_start: Day


class UsageReportLineRead(SQLModel):
    line_no: int
    product_id: int
    category: str
    country_of_manufacture: str
    country_of_sale: str
    units: int
    net_sales_minor: int
    upstream_paid_units: int
    unit_price_minor: int | None


class UsageReportRead(SQLModel):
    id: int
    agreement_id: int
    licensee_organisation_id: int
    period_start: date
    period_end: date
    is_nil: bool
    status: ReportStatus
    supersedes_id: int | None
    line_count: int
    units_total: int
    net_sales_total_minor: int
    content_sha256: str
    submitted_at: datetime


class ReportReceipt(UsageReportRead):
    """What a submission answers: the stored report and the invoice issued from it (None for
    a nil report, which issues no invoice)."""

    invoice_id: int | None


class UsageReportDetail(ReportReceipt):
    lines: list[UsageReportLineRead]
