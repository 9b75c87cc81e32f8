"""Distribution runs (who gets what of the money received in a statement period) and the
statements issued from them.

A run covers one pool and one statement period `[period_start, period_end)` (the pool's
reporting cadence). It re-apportions, per usage period, the cumulative money received up to
the period's end and pays each contributor the difference from what earlier runs paid
(DOMAIN.md section 3): so partial and deferred payments never drift from the one-shot result.
One run per pool and period, one statement per contributor, pool and period: the database
refuses duplicates, so retried or concurrent jobs cannot issue anything twice."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, money_field, timestamp_field


class RunStatus(StrEnum):
    """`draft` can be recomputed; `approved` is immutable and posted to the ledger."""

    DRAFT = "draft"
    APPROVED = "approved"


class DistributionRun(SQLModel, table=True):
    __tablename__ = "distribution_run"
    __table_args__ = (
        UniqueConstraint("pool_id", "period_start", name="uq_distribution_run_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    period_start: date
    period_end: date
    currency: str = Field(max_length=3)
    status: str = enum_field(16, default=RunStatus.DRAFT, index=True)
    formula_version: str = Field(max_length=32)
    input_sha256: str = Field(max_length=64)  # over every usage period's allocation input
    solver: str = Field(max_length=32)
    solver_status: str = Field(max_length=32)
    received_minor: int = money_field(default=0)  # cash received in the period (net of refunds)
    admin_fee_minor: int = money_field(default=0)
    distributable_minor: int = money_field(default=0)
    withholding_minor: int = money_field(default=0)
    net_payable_minor: int = money_field(default=0)
    computed_at: datetime = timestamp_field()
    computations: int = 1  # how often the draft was (re)computed
    approved_at: datetime | None = timestamp_field(default=None, nullable=True)
    approved_by: str | None = Field(default=None, max_length=200)  # user label or system job


class RunUsagePeriod(SQLModel, table=True):
    """One usage period re-apportioned by a run: cumulative money and fee, and the change."""

    __tablename__ = "distribution_run_usage_period"
    __table_args__ = (
        UniqueConstraint("run_id", "usage_start", "usage_end", name="uq_run_usage_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="distribution_run.id", index=True)
    usage_start: date
    usage_end: date
    received_cumulative_minor: int = money_field()
    received_minor: int = money_field()  # the change in this run
    admin_fee_cumulative_minor: int = money_field()
    admin_fee_minor: int = money_field()
    input_sha256: str = Field(max_length=64)
    solver_status: str = Field(max_length=32)
    first_run_id: int | None = Field(default=None, foreign_key="distribution_run.id")
    """The run that first distributed this usage period: a later change is an adjustment
    linked to it. None when this run is the first."""
    bounds_applied: dict[str, str] | None = json_field(default=None)
    """The members' caps and floors that bound this period's split: organisation id ->
    "cap" or "floor" (None: none bound)."""


class RunLine(SQLModel, table=True):
    """A contributor's amount for one usage period and country bucket: cumulative, and the
    change this run pays (negative for a refund or a correction downwards)."""

    __tablename__ = "distribution_run_line"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="distribution_run.id", index=True)
    contributor_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    usage_start: date
    usage_end: date
    country: str = Field(max_length=2)
    bucket_distributable_cumulative_minor: int = money_field()  # the whole country bucket
    cumulative_minor: int = money_field()
    amount_minor: int = money_field()


class RunContributor(SQLModel, table=True):
    """A contributor's totals in a run: what its statement will show.

    Withholding is the contributor's rate (tax profile, read when the run is computed) times
    gross plus adjustments, rounded once half to even; net = gross + adjustments - withholding.
    """

    __tablename__ = "distribution_run_contributor"
    __table_args__ = (
        UniqueConstraint("run_id", "contributor_organisation_id", name="uq_run_contributor"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="distribution_run.id", index=True)
    contributor_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    gross_minor: int = money_field()
    adjustments_minor: int = money_field()
    withholding_rate: str = Field(max_length=16)
    withholding_minor: int = money_field()
    net_payable_minor: int = money_field()


class RunPatentLine(SQLModel, table=True):
    """A run line split over the contributor's patents (allocation.per_patent): one patent's
    part of one contributor x country x usage-period change, with the facts that weighed it
    as they were when the run was computed. The parts sum exactly to the line's amount."""

    __tablename__ = "distribution_run_patent_line"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="distribution_run.id", index=True)
    contributor_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    usage_start: date
    usage_end: date
    country: str = Field(max_length=2)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    grade: str | None = Field(default=None, max_length=2)
    tier: str | None = Field(default=None, max_length=2)
    days_in_force: int  # within the usage period
    factor: str = Field(max_length=32)  # grade points, tier share, or 1
    weight: str = Field(max_length=64)  # exact: days x factor (tiered: / the tier's days)
    amount_minor: int = money_field()


class Statement(SQLModel, table=True):
    """A contributor's royalty statement for one pool and period: figures fixed at issue."""

    __table_args__ = (
        UniqueConstraint(
            "pool_id", "contributor_organisation_id", "period_start", name="uq_statement_period"
        ),
        UniqueConstraint("serial", name="uq_statement_serial"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(foreign_key="pool.id", index=True)
    run_id: int = Field(foreign_key="distribution_run.id", index=True)
    contributor_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    period_start: date = Field(index=True)  # the statement list's order and period filter
    period_end: date
    serial: str = Field(max_length=40)
    language: str = Field(max_length=8)
    currency: str = Field(max_length=3)
    gross_minor: int = money_field()  # share of money received for first-time usage periods
    adjustments_minor: int = money_field()  # changes to usage periods distributed before
    withholding_minor: int = money_field()
    net_payable_minor: int = money_field()
    issued_at: datetime = timestamp_field()


class DocumentFormat(StrEnum):
    HTML = "html"
    CSV = "csv"
    PDF = "pdf"


class StatementDocument(SQLModel, table=True):
    """The bytes of one rendering of a statement, stored so a download returns the same bytes
    forever; `sha256` is of `content`."""

    __tablename__ = "statement_document"
    __table_args__ = (UniqueConstraint("statement_id", "format", name="uq_statement_format"),)

    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="statement.id", index=True)
    format: str = enum_field(8)
    content_type: str = Field(max_length=100)
    content: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(max_length=64)
    size_bytes: int
    created_at: datetime = timestamp_field()


# ---------------------------------------------------------------- schemas (API out)


class RunUsagePeriodRead(SQLModel):
    usage_start: date
    usage_end: date
    received_cumulative_minor: int
    received_minor: int
    admin_fee_cumulative_minor: int
    admin_fee_minor: int
    input_sha256: str
    solver_status: str
    first_run_id: int | None
    bounds_applied: dict[str, str] | None = None


class RunContributorRead(SQLModel):
    contributor_organisation_id: int
    gross_minor: int
    adjustments_minor: int
    withholding_rate: str
    withholding_minor: int
    net_payable_minor: int


class RunPatentLineRead(SQLModel):
    run_id: int
    usage_start: date
    usage_end: date
    country: str
    patent_id: int
    patent_number: str
    title: str
    grade: str | None
    tier: str | None
    days_in_force: int
    factor: str
    weight: str
    amount_minor: int


class DistributionRunRead(SQLModel):
    id: int
    pool_id: int
    period_start: date
    period_end: date
    currency: str
    status: RunStatus
    formula_version: str
    input_sha256: str
    solver: str
    solver_status: str
    received_minor: int
    admin_fee_minor: int
    distributable_minor: int
    withholding_minor: int
    net_payable_minor: int
    computed_at: datetime
    computations: int
    approved_at: datetime | None
    approved_by: str | None


class DistributionRunDetail(DistributionRunRead):
    usage_periods: list[RunUsagePeriodRead]
    contributors: list[RunContributorRead]


class StatementDocumentRead(SQLModel):
    format: DocumentFormat
    content_type: str
    sha256: str
    size_bytes: int


class StatementRead(SQLModel):
    id: int
    pool_id: int
    run_id: int
    contributor_organisation_id: int
    period_start: date
    period_end: date
    serial: str
    language: str
    currency: str
    gross_minor: int
    adjustments_minor: int
    withholding_minor: int
    net_payable_minor: int
    issued_at: datetime
    documents: list[StatementDocumentRead]
