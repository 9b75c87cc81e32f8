"""The scheduled jobs: thin functions that open one transaction per pool and call `pool`
services. Each is safe to run twice or on two workers at once: the services skip what is
done and database constraints refuse duplicates (a lost race rolls that pool back)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.pool import Pool, PoolStatus
from pool.services import dues, fees, reminders, upkeep
from pool.services.audit import Actor

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
        with session_scope(engine) as session:
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
        with session_scope(engine) as session:
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
        with session_scope(engine) as session:
            written = write(session, pool_id=pool, as_of=as_of, now=now)
        result.lines.append(f"pool {pool}: {len(written)} reminders written")
        result.lines += [
            f"  {r.kind} -> organisation {r.recipient_organisation_id}: {r.subject}"
            for r in written
        ]
    return result


JOBS: dict[str, Job] = {
    "patent_upkeep": patent_upkeep,
    "fees_and_dues": fees_and_dues,
    "overdue_reminders": overdue_reminders,
    "reporting_reminders": reporting_reminders,
}
