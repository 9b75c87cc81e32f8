"""Which jobs run when: cron triggers in UTC, and the scheduler that runs them from a job
store in the service database (APScheduler's own `apscheduler_jobs` table, created by
APScheduler and kept out of SQLModel's metadata and our migrations).

Jobs are stored by reference (`scheduler.registry:run_scheduled` and the job's name), never
with an engine or a URL: the worker hands its engine to `configure` before starting."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from scheduler.jobs import JOBS

JOB_TABLE = "apscheduler_jobs"
MISFIRE_GRACE_SECONDS = 6 * 3600  # a worker down for less than this catches up once
log = logging.getLogger("patentpool.scheduler")


@dataclass(frozen=True)
class Schedule:
    name: str
    hour: int | str
    minute: int | str = 0


# Daily, in this order: patents first (the day's in-force basis), then billing, then period
# close and statements, then the day's audit checkpoint (after the night's changes), then
# reminders. Jobs that depend on a pool's cadence (period close,
# reporting reminders) run daily and read each pool's cadence themselves: a period closes on
# the first run after its reporting deadline. The outbox is delivered every five minutes.
SCHEDULES = (
    Schedule("patent_upkeep", hour=0, minute=15),
    Schedule("fees_and_dues", hour=0, minute=45),
    Schedule("period_close", hour=1, minute=30),
    Schedule("statement_issuance", hour=2),
    Schedule("audit_checkpoint", hour=3),
    Schedule("overdue_reminders", hour=6),
    Schedule("reporting_reminders", hour=6, minute=30),
    Schedule("outbox_delivery", hour="*", minute="*/5"),
)

_engine: list[Engine] = []


def configure(engine: Engine) -> None:
    """Give the scheduled jobs the worker's engine."""
    _engine[:] = [engine]


def run_scheduled(name: str) -> None:
    """What APScheduler calls: the job for every pool, as of today (UTC)."""
    if not _engine:
        raise RuntimeError("scheduler.registry.configure(engine) was not called")
    now = datetime.now(UTC)
    result = JOBS[name](_engine[0], pool_id=None, as_of=now.date(), now=now)
    log.info("%s", result)


def job_store(engine: Engine) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)


def register(scheduler: BaseScheduler) -> None:
    """Add (or replace, on restart) every job; ids are the job names, so there is one each."""
    for schedule in SCHEDULES:
        scheduler.add_job(
            "scheduler.registry:run_scheduled",
            CronTrigger(hour=schedule.hour, minute=schedule.minute, timezone=UTC),
            args=[schedule.name],
            id=schedule.name,
            name=schedule.name,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
