"""Reminders written to the outbox: overdue invoices, and usage reports due soon or missing.

Each reminder has a `dedupe_key` naming what it is about (the invoice part, or the agreement's
reporting period and whether it is due soon or missing), unique in the table: a job that runs
daily, twice, or on two workers writes each reminder once. Each is written in the recipient
organisation's language from its template in `templates/mail/` (`mail.letters`): money in
major units with its currency, dates as dates, a period as its first and last day. Nothing is
sent here; delivery reads the outbox (`sent_at` null)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from pool.models.licensing import LicenceAgreement
from pool.models.outbox import OutboxMessage
from pool.models.patent import Patent
from pool.models.pool import Pool
from pool.models.reporting import UsageReport
from pool.services.billing import dues
from pool.services.billing.standing import reporting_periods
from pool.services.mail import letters

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
    """One reminder per overdue invoice part (due before `as_of`, unpaid at `as_of`), in the
    licensee's language (`templates/mail/overdue_invoice.txt.j2`)."""
    parts = dues.overdue(session, pool_id=pool_id, licensee_organisation_id=None, as_of=as_of)
    locales = letters.languages(session, (p.invoice.licensee_organisation_id for p in parts))
    names = _pool_names(session, {p.invoice.pool_id for p in parts})
    evaluated = _patent_numbers(session, {p.invoice.patent_id for p in parts})
    found = []
    for part in parts:
        invoice = part.invoice
        letter = letters.write(
            "overdue_invoice",
            locales.get(invoice.licensee_organisation_id, "en"),
            number=invoice.number,
            pool=names.get(invoice.pool_id, ""),
            currency=invoice.currency,
            evaluated=evaluated.get(invoice.patent_id or 0),  # an evaluation fee's patent
            first=invoice.usage_start,
            last=invoice.usage_end - timedelta(days=1),
            due_on=part.due_on,
            outstanding_minor=part.outstanding_minor,
            days_late=part.days_late,
            interest_minor=part.interest_minor,
            as_of=as_of,
        )
        found.append(
            Reminder(
                kind=OVERDUE,
                pool_id=invoice.pool_id,
                recipient_organisation_id=invoice.licensee_organisation_id,
                subject=letter.subject,
                body=letter.body,
                dedupe_key=f"{OVERDUE}:{invoice.id}:{part.due_on}",
            )
        )
    return enqueue(session, found, now=now)


def _patent_numbers(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.exec(select(Patent.id, Patent.number).where(col(Patent.id).in_(wanted))).all()
    return {patent_id or 0: number for patent_id, number in rows}


def _pool_names(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.exec(select(Pool.id, Pool.name).where(col(Pool.id).in_(ids))).all()
    return {pool_id or 0: name for pool_id, name in rows}


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
    recipient = deal.licensee_organisation_id
    letter = letters.write(
        "report_reminder",
        letters.languages(session, [recipient]).get(recipient, "en"),
        missing=kind == REPORT_MISSING,
        agreement=deal.id,
        pool=pool.name,
        first=start,
        last=end - timedelta(days=1),
        deadline=deadline,
        as_of=as_of,
    )
    return Reminder(
        kind=kind,
        pool_id=deal.pool_id,
        recipient_organisation_id=recipient,
        subject=letter.subject,
        body=letter.body,
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
