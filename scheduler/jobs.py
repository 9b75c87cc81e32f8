"""The scheduled jobs: thin functions that open one transaction per pool and call `pool`
services. Each is safe to run twice or on two workers at once: the services skip what is
done and database constraints refuse duplicates (a lost race rolls that pool back). Every
transaction here reads and then writes, so on SQLite it begins IMMEDIATE
(`session_scope(writes=True)`): begun deferred, its first write failed at once with "database
is locked" whenever the scheduler's job store (or another job) committed after its first read,
which a worker catching up missed jobs does."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.distribution import DistributionRun
from pool.models.pool import Pool, PoolStatus
from pool.services import audit, statements
from pool.services.audit import daily as audit_daily
from pool.services.audit.trail import Actor
from pool.services.billing import dues, fees, reminders
from pool.services.distribution import period_close
from pool.services.mail import delivery as mail_delivery
from pool.services.patents import upkeep
from pool.settings import Settings

SCHEDULER = Actor.system("scheduler")


@dataclass
class JobResult:
    """What a run did, one line per pool and step, for logs and `patentpool run-job`."""

    name: str
    as_of: date
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{self.name} as of {self.as_of}"
        return "\n".join([head, *(f"  {line}" for line in self.lines or ["nothing to do"])])


Job = Callable[..., JobResult]


def _pools(engine: Engine, pool_id: int | None) -> list[int]:
    """The pool asked for, or every pool that is not closed."""
    if pool_id is not None:
        return [pool_id]
    with Session(engine) as session:
        rows = session.exec(
            select(Pool.id).where(Pool.status != PoolStatus.CLOSED).order_by(col(Pool.id))
        ).all()
    return [row for row in rows if row is not None]


def patent_upkeep(engine: Engine, *, pool_id: int | None, as_of: date, now: datetime) -> JobResult:
    """Patents whose expiry date has come leave the pool on that date."""
    result = JobResult("patent_upkeep", as_of)
    for pool in _pools(engine, pool_id):
        with session_scope(engine, writes=True) as session:
            expired = upkeep.expire_patents(
                session, pool_id=pool, as_of=as_of, now=now, actor=SCHEDULER
            )
        numbers = ", ".join(f"{p.number} ({p.expiry_date})" for p in expired)
        result.lines.append(f"pool {pool}: {len(expired)} patents expired {numbers}".rstrip())
    return result


def fees_and_dues(engine: Engine, *, pool_id: int | None, as_of: date, now: datetime) -> JobResult:
    """Fixed fees invoiced on their dates, then deferred parts that fell due recognised."""
    result = JobResult("fees_and_dues", as_of)
    for pool in _pools(engine, pool_id):
        with session_scope(engine, writes=True) as session:
            made = fees.issue_fixed_fees(session, pool_id=pool, as_of=as_of, now=now)
            moved = dues.recognise_due(session, pool_id=pool, as_of=as_of, now=now)
        numbers = ", ".join(invoice.number for invoice in made)
        result.lines.append(
            f"pool {pool}: {len(made)} fixed-fee invoices {numbers}".rstrip()
            + f"; {moved} deferred parts fell due"
        )
    return result


def overdue_reminders(
    engine: Engine, *, pool_id: int | None, as_of: date, now: datetime
) -> JobResult:
    """One outbox reminder per overdue invoice part."""
    return _reminders("overdue_reminders", reminders.overdue_reminders, engine, pool_id, as_of, now)


def reporting_reminders(
    engine: Engine, *, pool_id: int | None, as_of: date, now: datetime
) -> JobResult:
    """Outbox reminders for usage reports due soon or missing (per each pool's cadence)."""
    return _reminders(
        "reporting_reminders", reminders.reporting_reminders, engine, pool_id, as_of, now
    )


def _reminders(
    name: str,
    write: Callable[..., list[reminders.Reminder]],
    engine: Engine,
    pool_id: int | None,
    as_of: date,
    now: datetime,
) -> JobResult:
    result = JobResult(name, as_of)
    for pool in _pools(engine, pool_id):
        with session_scope(engine, writes=True) as session:
            written = write(session, pool_id=pool, as_of=as_of, now=now)
        result.lines.append(f"pool {pool}: {len(written)} reminders written")
        result.lines += [
            f"  {r.kind} -> organisation {r.recipient_organisation_id}: {r.subject}"
            for r in written
        ]
    return result


def period_close_job(
    engine: Engine, *, pool_id: int | None, as_of: date, now: datetime
) -> JobResult:
    """Close every period whose reporting deadline has passed, one transaction each, in
    order; auto-approve where the pool's policy says so. A worker that was down catches up."""
    result = JobResult("period_close", as_of)
    for pool in _pools(engine, pool_id):
        while (line := _close_one(engine, pool, as_of, now)) is not None:
            result.lines.append(line)
            if line.endswith(WAITS):
                break
    return result


WAITS = "(draft: waits for approval)"


def _close_one(engine: Engine, pool: int, as_of: date, now: datetime) -> str | None:
    """Close the pool's next due period in its own transaction; describe it, or None."""
    with session_scope(engine, writes=True) as session:
        run = period_close.close_next(session, pool_id=pool, as_of=as_of, now=now, actor=SCHEDULER)
        if run is None:
            return None
        state = WAITS if run.status == "draft" else "(approved)"
        return (
            f"pool {pool}: period [{run.period_start}, {run.period_end}) closed as run {run.id}: "
            f"received {run.received_minor}, fee {run.admin_fee_minor}, "
            f"net payable {run.net_payable_minor} {state}"
        )


ISSUE_BATCH = 25  # statements per transaction: a killed worker loses at most one batch


def statement_issuance(
    engine: Engine, *, pool_id: int | None, as_of: date, now: datetime
) -> JobResult:
    """Issue the pending statements of approved runs in batches, each its own transaction.

    A batch another worker issued first fails on the unique constraint and is rolled back;
    the job reads what is still pending and goes on, so concurrent runs issue each statement
    once and a run killed half-way is finished by the next one."""
    result = JobResult("statement_issuance", as_of)
    keys = cache(lambda: audit.keyring(Settings.from_env()))  # read when a batch needs it
    for pool in _pools(engine, pool_id):
        with Session(engine) as session:
            runs = [run.id or 0 for run in period_close.runs_to_issue(session, pool_id=pool)]
        for run_id in runs:
            issued, raced = _issue_run(engine, run_id, now, keys)
            if issued or raced:
                result.lines.append(
                    f"pool {pool}: run {run_id}: {issued} statements issued"
                    + (f" ({raced} batches issued meanwhile by another worker)" if raced else "")
                )
    return result


def _issue_run(
    engine: Engine, run_id: int, now: datetime, keys: Callable[[], audit.Keyring]
) -> tuple[int, int]:
    """(statements issued, batches lost to another worker). A batch that fails twice is not
    a race but a fault, and is raised. Each batch is rendered with the audit trail's head
    from a checkpoint taken (and committed) just before."""
    issued = raced = 0
    failed: list[int] = []
    while True:
        with Session(engine) as session:
            run = session.get(DistributionRun, run_id)
            batch = statements.pending(session, run)[:ISSUE_BATCH] if run else []
        if not batch or run is None:
            return issued, raced
        with session_scope(engine, writes=True) as session:
            taken = audit.take_checkpoint(session, keys=keys(), now=now, reason="statements")
            head = audit.Head(taken.event_id, taken.head_hash)
        with Session(engine) as session:  # read and render outside the write transaction
            run = session.get(DistributionRun, run_id)
            rendered = (
                statements.render(
                    session, run=run, contributor_ids=batch, issued_on=now.date(), audit_head=head
                )
                if run
                else []
            )
        if not rendered or run is None:
            return issued, raced
        try:
            with session_scope(engine, writes=True) as session:
                made = statements.store(
                    session, run=run, rendered=rendered, now=now, actor=SCHEDULER
                )
                issued += len(made)
        except IntegrityError:
            if batch == failed:
                raise
            failed = batch
            raced += 1


def outbox_delivery(
    engine: Engine, *, pool_id: int | None, as_of: date, now: datetime
) -> JobResult:
    """Send the due outbox messages (every pool's: `pool_id` is ignored) with the transport
    the environment configures, in batches while batches send something.

    Each batch's `now` is the job's `now` plus the real time spent so far: leases are about
    real time, and a batch must not start with a lease already partly used up."""
    result = JobResult("outbox_delivery", as_of)
    settings = Settings.from_env()
    started = time.monotonic()
    for _ in range(MAX_DELIVERY_BATCHES):
        batch_now = now + timedelta(seconds=time.monotonic() - started)
        report = mail_delivery.deliver_due(engine, settings=settings, now=batch_now)
        if report.sent or report.retrying or report.failed:
            result.lines.append(str(report))
        if not report.sent:
            break  # nothing due, only failures (a server that is down), or another worker's
    return result


MAX_DELIVERY_BATCHES = 50  # 50 x 20 messages a run; the rest waits five minutes


def audit_checkpoint(
    engine: Engine, *, pool_id: int | None, as_of: date, now: datetime
) -> JobResult:
    """Sign the audit chain's head and e-mail it to the auditors through the outbox, once per
    day (`pool_id` is ignored: there is one chain). A second run, or a second worker, finds
    the day's e-mail and does nothing."""
    result = JobResult("audit_checkpoint", as_of)
    settings = Settings.from_env()
    try:
        with session_scope(engine, writes=True) as session:
            done = audit_daily.daily_checkpoint(
                session,
                keys=audit.keyring(settings),
                day=as_of,
                now=now,
                outside=settings.audit_checkpoint_to,
            )
    except IntegrityError:  # another worker wrote the day's e-mail first
        result.lines.append("the day's checkpoint was taken by another worker")
        return result
    result.lines.append(str(done))
    return result


JOBS: dict[str, Job] = {
    "patent_upkeep": patent_upkeep,
    "fees_and_dues": fees_and_dues,
    "overdue_reminders": overdue_reminders,
    "reporting_reminders": reporting_reminders,
    "period_close": period_close_job,
    "statement_issuance": statement_issuance,
    "outbox_delivery": outbox_delivery,
    "audit_checkpoint": audit_checkpoint,
}
