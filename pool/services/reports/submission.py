"""Usage reports: submission (JSON or nil) and corrections that supersede.

A report is checked completely before anything is written: the agreement is the caller's and
active, the period is one of the pool's cadence and touches the agreement's term, every line
names a registered product of that agreement, and `contracts` can charge it. Then the report,
its lines, the audit events and the invoice are written in the request's one transaction.

A report (late, or a correction) of a period earlier than others already charged in the same
year re-charges those later periods in order; an invoice that comes out different is cancelled
and issued again, on the same report (docs/reporting.md, "Earlier periods"). That path, and
superseding the corrected report, is in `corrections`; reading reports back is in
`reading` (re-exported here as `listing` and `get`).
"""

import functools
import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from contracts import RoyaltyResult
from pool.auth import Principal
from pool.errors import Conflict
from pool.models.billing import Invoice
from pool.models.reporting import (
    NilReportCreate,
    ReportReceipt,
    ReportStatus,
    UsageReport,
    UsageReportCorrection,
    UsageReportCreate,
)
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.billing import charging, invoices, recharging, settlement
from pool.services.common.bulk_insert import insert_rows
from pool.services.reports import checks as report_checks
from pool.services.reports import corrections as report_corrections
from pool.services.reports.checks import Target
from pool.services.reports.reading import get as get
from pool.services.reports.reading import listing as listing
from pool.services.reports.reading import visible

REPORT_LINE_COLUMNS = ("report_id", "line_no", "product_id", *charging.LINE_FIELDS)


def content_hash(period_start: date, rows: list[dict[str, Any]]) -> str:
    text = json.dumps({"period_start": period_start.isoformat(), "lines": rows}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def accept(
    session: Session,
    *,
    principal: Principal,
    target: Target,
    rows: list[dict[str, Any]],
    content_sha256: str,
    now: datetime,
    supersedes: UsageReport | None = None,
) -> ReportReceipt:
    """Charge first (so a report contracts refuses writes nothing), then supersede the
    corrected report, store this one and invoice it; then re-charge the later periods of the
    year, if any. Payments released from cancelled invoices settle what is due again, oldest
    first (`settlement.apply_credit`)."""
    agreement = target.agreement
    pinned = recharging.pinned_profiles(session, target.later)  # before anything changes
    result = _charge(session, target, rows) if rows else None
    if supersedes is not None:
        report_corrections.supersede(session, principal, supersedes, agreement.pool_id, now)
    report = _store(session, principal, target, rows, content_sha256, supersedes, now)
    replacing = report_corrections.cancel_changed(
        session, principal, report, target.later, pinned, now
    )
    invoice = _invoice(session, principal, target, report, result, now)
    report_corrections.reissue(session, principal, report, replacing, now)
    if supersedes is not None or replacing:
        # after a nil correction, or a later invoice re-charged lower, the released credit
        # settles whatever else the licensee owes (oldest first) or stays credit
        who = agreement.licensee_organisation_id
        settlement.apply_credit(
            session, pool_id=agreement.pool_id, licensee_organisation_id=who, now=now
        )
    return ReportReceipt.model_validate(
        {**report.model_dump(), "invoice_id": invoice and invoice.id}
    )


def _invoice(
    session: Session,
    principal: Principal,
    target: Target,
    report: UsageReport,
    result: RoyaltyResult | None,
    now: datetime,
) -> Invoice | None:
    """The report's invoice (none for a nil report)."""
    if result is None:
        return None
    return invoices.issue(
        session,
        principal=principal,
        agreement=target.agreement,
        report=report,
        result=result,
        payment=target.payment,
        now=now,
    )


def _charge(session: Session, target: Target, rows: list[dict[str, Any]]) -> RoyaltyResult:
    """The report through `royalty_due`, after the year's earlier periods (replayed)."""
    agreement = target.agreement
    inputs = charging.RoyaltyInputs(
        target.terms,
        functools.partial(charging.profile_of, session, agreement),
        charging.coverage_of(session, agreement.pool_id),
    )
    ytd = charging.year_to_date(session, agreement, target.period[0], inputs)
    return charging.charge(inputs, period=target.period, lines=rows, ytd=ytd)


def _store(
    session: Session,
    principal: Principal,
    target: Target,
    rows: list[dict[str, Any]],
    content_sha256: str,
    supersedes: UsageReport | None,
    now: datetime,
) -> UsageReport:
    """The report row, its lines in one multi-row INSERT, and one audit event."""
    report = UsageReport(
        agreement_id=target.agreement.id or 0,
        licensee_organisation_id=target.agreement.licensee_organisation_id,
        period_start=target.period[0],
        period_end=target.period[1],
        is_nil=not rows,
        status=ReportStatus.ACCEPTED,
        supersedes_id=supersedes.id if supersedes else None,
        line_count=len(rows),
        units_total=sum(row["units"] for row in rows),
        net_sales_total_minor=sum(row["net_sales_minor"] for row in rows),
        content_sha256=content_sha256,
        submitted_by_user_id=principal.user_id,
        submitted_at=now,
    )
    session.add(report)
    session.flush()
    values = [(report.id, *(row[c] for c in REPORT_LINE_COLUMNS[1:])) for row in rows]
    insert_rows(session, "usage_report_line", REPORT_LINE_COLUMNS, values)
    action = "usage_report.corrected" if supersedes else "usage_report.accepted"
    _audit(session, principal, report, action, (target.agreement.pool_id, None), now)
    return report


def _audit(
    session: Session,
    principal: Principal,
    report: UsageReport,
    action: str,
    pool_and_before: tuple[int, dict[str, Any] | None],
    now: datetime,
) -> None:
    pool_id, before = pool_and_before
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=action,
        entity_type="usage_report",
        entity_id=report.id,
        pool_id=pool_id,
        before=before,
        after=snapshot(report),
        now=now,
    )


def submit(
    session: Session,
    *,
    principal: Principal,
    agreement_id: int,
    data: UsageReportCreate | NilReportCreate,
    now: datetime,
) -> ReportReceipt:
    """A JSON report, or a nil report (`NilReportCreate`: nothing made or sold)."""
    found = report_checks.target(
        session,
        principal=principal,
        agreement_id=agreement_id,
        period_start=data.period_start,
        today=now.date(),
    )
    rows: list[dict[str, Any]] = []
    if isinstance(data, UsageReportCreate):
        report_checks.check_currency(data.currency, found)
        rows = report_checks.json_rows(data.lines, found)
    digest = content_hash(data.period_start, rows)
    return accept(
        session, principal=principal, target=found, rows=rows, content_sha256=digest, now=now
    )


def correct(
    session: Session,
    *,
    principal: Principal,
    report_id: int,
    data: UsageReportCorrection,
    now: datetime,
) -> ReportReceipt:
    """Supersede the period's current report: the old one is kept (`superseded`), its invoice
    cancelled and reversed in the ledger, payments on it released as credit, and the new
    report charged and invoiced afresh, settled from that credit first. Later periods of the
    year already charged are charged again (`accept`)."""
    old = visible(session, principal, report_id)
    found = report_checks.target(
        session,
        principal=principal,
        agreement_id=old.agreement_id,
        period_start=old.period_start,
        today=now.date(),
        correcting=old,
    )
    session.refresh(old)  # re-read under the licensee's lock: a concurrent correction wins
    if old.status != ReportStatus.ACCEPTED:
        raise Conflict(
            Phrase(
                "report %(report)s is %(status)s; correct the current report instead",
                report=old.id,
                status=old.status,
            )
        )
    report_checks.check_currency(data.currency, found)
    rows = report_checks.json_rows(data.lines, found)
    return accept(
        session,
        principal=principal,
        target=found,
        rows=rows,
        content_sha256=content_hash(old.period_start, rows),
        supersedes=old,
        now=now,
    )
