"""Reminders written to the outbox: overdue invoices, and usage reports due soon or missing.

Each reminder has a `dedupe_key` naming what it is about (the invoice part, or the agreement's
reporting period and whether it is due soon or missing), unique in the table: a job that runs
daily, twice, or on two workers writes each reminder once. Nothing is sent here; delivery
reads the outbox (`sent_at` null)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from pool.models.licensing import LicenceAgreement
from pool.models.outbox import OutboxMessage
from pool.models.pool import Pool
from pool.models.reporting import UsageReport
from pool.services.billing import dues
from pool.services.billing.standing import reporting_periods

REPORT_DUE_DAYS = 30  # a period's report is due this long after the period ends
OVERDUE, REPORT_DUE_SOON, REPORT_MISSING = "overdue_invoice", "report_due_soon", "report_missing"


@dataclass(frozen=True)
class Reminder:
    kind: str
    pool_id: int | None
    recipient_organisation_id: int
    subject: str
    body: str
    dedupe_key: str


def enqueue(session: Session, reminders: list[Reminder], *, now: datetime) -> list[Reminder]:
    """Write the reminders not written before; return those written. A concurrent writer of
    the same key makes the unique constraint fail the transaction, which the job retries."""
    keys = [r.dedupe_key for r in reminders]
    known = set(
        session.exec(
            select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(keys))
        ).all()
    )
    fresh = [r for r in reminders if r.dedupe_key not in known]
    session.add_all(OutboxMessage(**vars(r), created_at=now) for r in fresh)
    session.flush()
    return fresh


def overdue_reminders(
    session: Session, *, pool_id: int | None, as_of: date, now: datetime
) -> list[Reminder]:
    """One reminder per overdue invoice part (due before `as_of`, unpaid at `as_of`)."""
    found = []
    for part in dues.overdue(session, pool_id=pool_id, licensee_organisation_id=None, as_of=as_of):
        invoice = part.invoice
        found.append(
            Reminder(
                kind=OVERDUE,
                pool_id=invoice.pool_id,
                recipient_organisation_id=invoice.licensee_organisation_id,
                subject=f"Invoice {invoice.number} is overdue",
                body=(
                    f"Invoice {invoice.number}: {part.outstanding_minor} {invoice.currency} "
                    f"(minor units) was due on {part.due_on} and is unpaid as of {as_of} "
                    f"({part.days_late} days late; late interest so far "
                    f"{part.interest_minor})."
                ),
                dedupe_key=f"{OVERDUE}:{invoice.id}:{part.due_on}",
            )
        )
    return enqueue(session, found, now=now)


def reporting_reminders(
    session: Session, *, pool_id: int | None, as_of: date, now: datetime, within_days: int = 14
) -> list[Reminder]:
    """For each active agreement, the last reporting period ended by `as_of` (per the pool's
    cadence): if no accepted report covers it, remind when its deadline is at most
    `within_days` away (due soon) or has passed (missing). A nil report counts."""
    query = select(LicenceAgreement, Pool).where(
        LicenceAgreement.state == "active", LicenceAgreement.pool_id == Pool.id
    )
    if pool_id is not None:
        query = query.where(LicenceAgreement.pool_id == pool_id)
    found = []
    for deal, pool in session.exec(query.order_by(col(LicenceAgreement.id))).all():
        reminder = _reporting_reminder(session, deal, pool, as_of, within_days)
        if reminder is not None:
            found.append(reminder)
    return enqueue(session, found, now=now)


def _reporting_reminder(
    session: Session, deal: LicenceAgreement, pool: Pool, as_of: date, within_days: int
) -> Reminder | None:
    elapsed = [
        p
        for p in reporting_periods(pool.reporting_cadence, deal.start_on, deal.end_on)
        if p[1] <= as_of
    ]
    if not elapsed:
        return None
    start, end = elapsed[-1]
    if _reported(session, deal.id or 0, start, end):
        return None
    deadline = end + timedelta(days=REPORT_DUE_DAYS)
    if deadline > as_of + timedelta(days=within_days):
        return None
    kind = REPORT_MISSING if deadline < as_of else REPORT_DUE_SOON
    state = "was due" if kind == REPORT_MISSING else "is due"
    return Reminder(
        kind=kind,
        pool_id=deal.pool_id,
        recipient_organisation_id=deal.licensee_organisation_id,
        subject=f"Usage report for {start}..{end} {state} on {deadline}",
        body=(
            f"Agreement {deal.id} in pool {pool.name}: the usage report for the period "
            f"[{start}, {end}) {state} on {deadline} and has not been received as of {as_of}."
        ),
        dedupe_key=f"{kind}:{deal.id}:{start}",
    )


def _reported(session: Session, agreement_id: int, start: date, end: date) -> bool:
    return (
        session.exec(
            select(UsageReport.id).where(
                UsageReport.agreement_id == agreement_id,
                UsageReport.status == "accepted",
                col(UsageReport.period_start) < end,
                col(UsageReport.period_end) > start,
            )
        ).first()
        is not None
    )
