"""Which jobs run when: cron triggers in UTC, and the scheduler that runs them from a job
store in the service database (APScheduler's own `apscheduler_jobs` table, created by
APScheduler and kept out of SQLModel's metadata and our migrations).

Jobs are stored by reference (`scheduler.registry:run_scheduled` and the job's name), never
with an engine or a URL: the worker hands its engine to `configure` before starting.

Catch-up: the store keeps each job's next fire time. A job whose stored definition is still the
one in `SCHEDULES` is left as stored when a worker starts or takes over, so a fire time that
passed while no worker led is due at once: APScheduler runs it once (`coalesce`) if it passed
less than `misfire_grace_time` ago, and logs it as missed otherwise. Re-adding the job instead
(`replace_existing`) would compute the next fire time from now and silently drop the missed
run, so a job is replaced only when its definition changed."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from scheduler.jobs import JOBS

JOB_TABLE = "apscheduler_jobs"
JOB_FUNCTION = "scheduler.registry:run_scheduled"
MISFIRE_GRACE_SECONDS = 6 * 3600  # a worker down for less than this catches up once
log = logging.getLogger("patentpool.scheduler")


@dataclass(frozen=True)
class Schedule:
    name: str
    hour: int | str
    minute: int | str = 0

    def trigger(self) -> CronTrigger:
        return CronTrigger(hour=self.hour, minute=self.minute, timezone=UTC)


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


class ServiceEngineJobStore(SQLAlchemyJobStore):  # type: ignore[misc]  # untyped library
    """APScheduler's SQLAlchemy store on the service's own engine. The stock store disposes
    its engine when the scheduler shuts down, which would close the pooled connections of
    the web process it runs in (`serve --with-scheduler`) each time leadership ends: the
    engine belongs to the service, so it is left alone."""

    def shutdown(self) -> None:
        pass


def job_store(engine: Engine) -> SQLAlchemyJobStore:
    return ServiceEngineJobStore(engine=engine, tablename=JOB_TABLE)


class LeaderScheduler(BackgroundScheduler):  # type: ignore[misc]  # untyped library
    """APScheduler's background scheduler, except that it never looks at due jobs while
    shutting down. The stock one wakes its thread once more on shutdown and processes the due
    jobs after its executor has stopped: each fails to start, yet its stored next fire time
    moves on, so a job that fell due as a leader stepped down would be lost to its successor's
    catch-up (and a paused scheduler shut down would consume the missed runs it never ran)."""

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        result: float | None = super()._process_jobs()
        return result


def new_scheduler(engine: Engine) -> BackgroundScheduler:
    """A scheduler on the service database's job store, in UTC, not started."""
    return LeaderScheduler(jobstores={"default": job_store(engine)}, timezone="UTC")


def register(scheduler: BaseScheduler) -> None:
    """Make the store hold exactly the jobs of `SCHEDULES`, one each (ids are the job names).

    Call it on a started (paused) scheduler, so the stored jobs can be read: a job stored
    with the same definition keeps its next fire time (the catch-up, module docstring); a
    new or changed one is (re)added; a job no longer scheduled is removed."""
    wanted = {schedule.name: schedule for schedule in SCHEDULES}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            log.info("removing job %s: no longer scheduled", job.id)
            scheduler.remove_job(job.id)
    for schedule in SCHEDULES:
        if _stored_as_defined(scheduler, schedule):
            continue
        scheduler.add_job(
            JOB_FUNCTION,
            schedule.trigger(),
            args=[schedule.name],
            id=schedule.name,
            name=schedule.name,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )


def _stored_as_defined(scheduler: BaseScheduler, schedule: Schedule) -> bool:
    try:
        job: Job | None = scheduler.get_job(schedule.name)
    except Exception:  # a stored job that no longer unpickles: replace it
        log.warning("stored job %s could not be read; replacing it", schedule.name)
        return False
    return (
        job is not None
        and job.func_ref == JOB_FUNCTION
        and list(job.args) == [schedule.name]
        and str(job.trigger) == str(schedule.trigger())
        and str(getattr(job.trigger, "timezone", "")) == str(UTC)
        and job.coalesce is True
        and job.max_instances == 1
        and job.misfire_grace_time == MISFIRE_GRACE_SECONDS
        and job.next_run_time is not None
    )
