"""The job list in the database job store: one row per job, kept across restarts, with the
catch-up settings; and the scheduled entry point running a job as of today."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.db import session_scope
from pool.errors import IllegalTransition
from pool.models.billing import Invoice
from pool.models.outbox import OutboxMessage
from pool.models.patent import Patent, PatentEnd, PatentStatus
from pool.services.patents import evaluation
from scheduler import registry
from scheduler.jobs import SCHEDULER
from tests.pool.conftest import World
from tests.pool.reporting.kit import NOW, deal
from tests.scheduler.test_jobs import FEES, patent


def stored_jobs(engine: Engine) -> list[tuple[str, str, bool, int, int | None]]:
    scheduler = BackgroundScheduler(jobstores={"default": registry.job_store(engine)})
    scheduler.start(paused=True)
    try:
        return [
            (job.id, str(job.trigger), job.coalesce, job.max_instances, job.misfire_grace_time)
            for job in scheduler.get_jobs()
        ]
    finally:
        scheduler.shutdown(wait=False)


def start_and_register(engine: Engine) -> None:
    scheduler = registry.new_scheduler(engine)
    scheduler.start(paused=True)
    registry.register(scheduler)
    scheduler.shutdown(wait=False)


def test_jobs_persist_in_the_database_once_each(engine: Engine) -> None:
    start_and_register(engine)
    start_and_register(engine)  # a restart replaces, never duplicates
    grace = 6 * 3600
    cron = "cron[hour='{}', minute='{}']"
    assert sorted(stored_jobs(engine)) == [
        ("audit_checkpoint", cron.format(3, 0), True, 1, grace),
        ("fees_and_dues", cron.format(0, 45), True, 1, grace),
        ("outbox_delivery", cron.format("*", "*/5"), True, 1, grace),
        ("overdue_reminders", cron.format(6, 0), True, 1, grace),
        ("patent_upkeep", cron.format(0, 15), True, 1, grace),
        ("period_close", cron.format(1, 30), True, 1, grace),
        ("reporting_reminders", cron.format(6, 30), True, 1, grace),
        ("statement_issuance", cron.format(2, 0), True, 1, grace),
    ]


def store_of(engine: Engine) -> SQLAlchemyJobStore:
    """The job store read directly: a paused scheduler shut down while its thread is waking
    up may still run due jobs, which would move the very fire times these tests look at."""
    store = registry.job_store(engine)
    store.start(BackgroundScheduler(), "default")
    return store


def next_run_times(engine: Engine) -> dict[str, datetime]:
    return {job.id: job.next_run_time for job in store_of(engine).get_all_jobs()}


def change_stored_job(engine: Engine, job_id: str, **changes: Any) -> None:
    """What the store holds after a worker went away: e.g. a fire time that has passed."""
    store = store_of(engine)
    job = store.lookup_job(job_id)
    for name, value in changes.items():
        setattr(job, name, value)
    store.update_job(job)


def test_a_restart_keeps_a_fire_time_missed_while_no_worker_led(engine: Engine) -> None:
    start_and_register(engine)
    missed = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    change_stored_job(engine, "patent_upkeep", next_run_time=missed)
    before = next_run_times(engine)
    start_and_register(engine)  # what a worker starting (or taking over) does
    after = next_run_times(engine)
    assert after["patent_upkeep"] == missed  # still due: it runs once when the scheduler resumes
    assert after == before


def test_a_job_whose_definition_changed_is_replaced_and_a_dropped_one_removed(
    engine: Engine,
) -> None:
    start_and_register(engine)
    change_stored_job(engine, "period_close", misfire_grace_time=60)
    scheduler = BackgroundScheduler(jobstores={"default": registry.job_store(engine)})
    scheduler.add_job(registry.JOB_FUNCTION, "interval", hours=1, args=["gone"], id="gone")
    scheduler.start(paused=True)  # a pending job goes to the store at start
    scheduler.shutdown(wait=False)
    start_and_register(engine)
    jobs = {job[0]: job for job in stored_jobs(engine)}
    assert "gone" not in jobs
    assert jobs["period_close"][4] == registry.MISFIRE_GRACE_SECONDS
    assert sorted(jobs) == sorted(schedule.name for schedule in registry.SCHEDULES)


def test_shutting_the_scheduler_down_leaves_the_service_engine_usable(engine: Engine) -> None:
    """The stock store disposed the engine it was given: the web process's own, when the
    scheduler runs embedded in it."""
    with engine.connect() as held:
        start_and_register(engine)
        assert held.execute(select(1)).scalar_one() == 1
    pool = engine.pool
    start_and_register(engine)
    assert engine.pool is pool


def test_the_scheduled_entry_point_runs_as_of_today(engine: Engine, world: World) -> None:
    deal(engine, world, royalty=FEES, start=date(2024, 3, 1), end=date(2027, 3, 1))
    registry.configure(engine)
    registry.run_scheduled("fees_and_dues")
    registry.run_scheduled("overdue_reminders")
    registry.run_scheduled("overdue_reminders")
    today = datetime.now(UTC).date()
    with Session(engine) as s:
        keys = sorted(s.exec(select(OutboxMessage.dedupe_key)).all())
        invoices = s.exec(select(Invoice)).all()
    assert len(invoices) >= 3  # entry fee and the annual fees of 2024 and 2025 at least
    assert keys == sorted(
        f"overdue_invoice:{i.id}:{i.due_on}" for i in invoices if i.due_on and i.due_on < today
    )


def test_system_end_keeps_evaluations_rules(engine: Engine, world: World) -> None:
    patent_id = patent(engine, world, "US3000001", date(2025, 1, 1), "rejected")
    data = PatentEnd(status=PatentStatus.EXPIRED, on=date(2025, 1, 1))
    with session_scope(engine) as s:
        row = s.get(Patent, patent_id)
        assert row is not None
        with pytest.raises(IllegalTransition, match="a rejected patent cannot become expired"):
            evaluation.end_by_system(s, actor=SCHEDULER, patent=row, data=data, now=NOW)
