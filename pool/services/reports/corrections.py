"""What a correction, or a report of a period earlier than others already charged in the
same year, changes besides the new report (`reports.accept` calls these in order):

* `supersede`: the corrected report is kept as `superseded` and its invoice cancelled (and
  reversed in the ledger);
* `cancel_changed`: the year's later periods are charged again (`recharging`) and each invoice
  that comes out different is cancelled, before anything is issued;
* `reissue`: their invoices are issued again in period order, each on its own report.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from contracts import RoyaltyResult
from pool.auth import Principal
from pool.errors import Conflict
from pool.models.billing import Invoice, InvoiceStatus
from pool.models.reporting import ReportStatus, UsageReport
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.billing import invoices, recharging


def supersede(
    session: Session, principal: Principal, old: UsageReport, pool_id: int, now: datetime
) -> None:
    """Keep the old report as `superseded` and cancel (and reverse) the invoice issued on it."""
    before = snapshot(old)
    old.status = ReportStatus.SUPERSEDED
    session.add(old)
    session.flush()  # frees the period's "current report" slot (partial unique index)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="usage_report.superseded",
        entity_type="usage_report",
        entity_id=old.id,
        pool_id=pool_id,
        before=before,
        after=snapshot(old),
        now=now,
    )
    invoices.cancel_for_report(
        session, principal=principal, report_id=old.id or 0, reason="report corrected", now=now
    )


@dataclass(frozen=True)
class Replacing:
    """A later period whose invoice comes out different: the new charge, the old invoice."""

    again: recharging.Recharged
    result: RoyaltyResult
    old: Invoice | None


def cancel_changed(
    session: Session,
    principal: Principal,
    report: UsageReport,
    later: tuple[UsageReport, ...],
    pinned: recharging.Pinned,
    now: datetime,
) -> list[Replacing]:
    """Charge the later periods again (on `report` as now stored) and cancel each invoice
    that comes out different, before anything is issued, so new invoices (and a revenue
    threshold's count of earlier accruals) see only what stands. An invoice identical to
    its re-charge is kept: nothing about it changed. A revenue threshold may move due dates
    even when amounts do not, so under one every later invoice is issued again."""
    replacing: list[Replacing] = []
    for again in recharging.recharge(session, later, pinned):
        if again.result is None:  # a nil report: no invoice, only the year to date moved
            continue
        old = invoices.live_for_report(session, again.report.id or 0)
        threshold = again.payment.revenue_threshold is not None
        if old is not None and not threshold and invoices.unchanged(session, old, again.result):
            continue
        if old is not None and old.status == InvoiceStatus.WRITTEN_OFF:
            raise Conflict(
                Phrase(
                    "this changes what the later period starting %(period_start)s owes, "
                    "but its invoice %(number)s was written off; nothing was changed",
                    period_start=again.report.period_start,
                    number=old.number,
                )
            )
        if old is not None:
            reason = f"period {report.period_start} changed (report {report.id}); re-charged"
            invoices.cancel(session, principal=principal, invoice=old, reason=reason, now=now)
        replacing.append(Replacing(again, again.result, old))
    return replacing


def reissue(
    session: Session,
    principal: Principal,
    cause: UsageReport,
    replacing: list[Replacing],
    now: datetime,
) -> None:
    """Issue the re-charged later periods' invoices in period order, each on its own
    (unchanged, still current) report, audited as `usage_report.recharged`."""
    for item in replacing:
        report, agreement, old = item.again.report, item.again.agreement, item.old
        new = invoices.issue(
            session,
            principal=principal,
            agreement=agreement,
            report=report,
            result=item.result,
            payment=item.again.payment,
            now=now,
        )
        audit.record(
            session,
            actor=audit.Actor.of(principal),
            action="usage_report.recharged",
            entity_type="usage_report",
            entity_id=report.id,
            pool_id=agreement.pool_id,
            before={"invoice_id": old and old.id, "total_minor": old and old.total_minor},
            after={"invoice_id": new.id, "total_minor": new.total_minor, "cause": cause.id},
            now=now,
        )
