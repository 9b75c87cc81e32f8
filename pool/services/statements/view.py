"""What a contributor's statement shows, prepared for the templates: every figure is already
computed (integers of minor units), so templates only format and never add anything up.

Licensee detail is confidential to the administrator: a statement carries pool-level
aggregates per usage period and country, never a licensee's name or figures."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CountryBasis:
    """Patents in force at the end of the period in one country: the contributor's and the
    pool's (the basis of its share)."""

    country: str
    contributor_patents: int
    pool_patents: int


@dataclass(frozen=True)
class MoneyLine:
    """One usage period and country bucket: the pool's money for it received in this period,
    and the contributor's part of it (both the change in this statement)."""

    usage_start: date
    usage_end: date
    country: str
    pool_received_minor: int  # distributable money of the bucket received in the period
    amount_minor: int  # the contributor's part


@dataclass(frozen=True)
class AdjustmentLine:
    """A change to a usage period that an earlier statement already distributed (late or
    corrected report, audit recovery, refund), linked to the period that first paid it, with
    its reason (`pool.services.statements.reasons`: `late_payment`, `report_correction`,
    `clawback`, `rounding_carry`) and the pool's change in that bucket (None: not shown)."""

    usage_start: date
    usage_end: date
    country: str
    original_period_start: date
    original_period_end: date
    amount_minor: int
    reason: str = "late_payment"
    pool_change_minor: int | None = None


@dataclass(frozen=True)
class MemoLine:
    """Invoiced but not (yet) received for a usage period, pool-wide (all licensees, not the
    contributor's part): not part of the payable."""

    usage_start: date
    usage_end: date
    invoiced_minor: int
    received_minor: int
    outstanding_minor: int  # due and unpaid
    deferred_minor: int  # not yet due ("use first, pay later")


@dataclass(frozen=True)
class PatentLine:
    """One patent's part of a money line or an adjustment (the run's per-patent split): the
    facts that weighed it (grade or tier, days in force, exact weight) and its amount."""

    usage_start: date
    usage_end: date
    country: str
    adjustment: bool  # part of an adjustment to an earlier period, not of a money line
    patent_number: str
    title: str
    grade: str  # the grade, or the tier in a tiered pool; "" when the patent has neither
    days_in_force: int
    weight: str
    amount_minor: int


@dataclass(frozen=True)
class StatementView:
    """Everything one statement shows, in the contributor's language (`zh` or `en`)."""

    language: str
    serial: str
    issued_on: date
    currency: str
    pool_name: str
    pool_standard: str | None
    contributor_name: str
    contributor_id: int
    period_start: date
    period_end: date
    basis: tuple[CountryBasis, ...]
    lines: tuple[MoneyLine, ...]
    adjustments: tuple[AdjustmentLine, ...]
    memo: tuple[MemoLine, ...]
    pool_received_minor: int  # all money received by the pool in the period
    pool_admin_fee_minor: int
    pool_distributable_minor: int
    admin_fee_rate: str  # e.g. "0.10"
    gross_minor: int  # sum of `lines`
    adjustments_minor: int  # sum of `adjustments`
    withholding_rate: str  # the contributor's tax profile, e.g. "0.10"
    withholding_minor: int
    net_payable_minor: int  # gross + adjustments - withholding
    run_id: int
    formula_version: str
    input_sha256: str
    # The audit trail's head from the checkpoint taken when the batch was rendered (footer,
    # CSV last row, PDF keywords): an outside copy that `patentpool audit verify` reads back.
    audit_event_id: int | None = None
    audit_head_hash: str | None = None
    patents: tuple[PatentLine, ...] = ()  # the appendix (none on statements issued before it)
    # How the pool's distributable splits (statements issued since the reconciliation line):
    # usage periods distributed for the first time (section 2's pool column, whose rows then
    # list every bucket) plus pool-wide adjustments to earlier ones. None: not shown.
    pool_first_time_minor: int | None = None
    pool_adjustments_minor: int | None = None

    @property
    def audit_line(self) -> str | None:
        """`Audit trail: event #N, head <hash>` (pool.services.audit.anchor.HEAD_LINE)."""
        if self.audit_event_id is None or self.audit_head_hash is None:
            return None
        return f"Audit trail: event #{self.audit_event_id}, head {self.audit_head_hash}"
