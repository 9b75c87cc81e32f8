"""The worker: wait to be the one leader, then run the scheduler until told to stop.

Followers try again every `retry_seconds`; the leader checks every `retry_seconds` that it
still holds its lock (on PostgreSQL, that its lock connection answers) and steps down if not,
so it never runs jobs without the lock. Stepping down is never the end: a leader whose
database restarted, or whose lock connection was cut, competes again and leads again once the
database answers. SIGTERM and SIGINT stop either cleanly: the scheduler
finishes the running job, then the lock is released."""

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from sqlalchemy import Engine

from pool.settings import Settings
from scheduler import registry
from scheduler.leader import Leadership, leadership

log = logging.getLogger("patentpool.worker")


def stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def wait_for_leadership(lock: Leadership, stop: threading.Event, retry_seconds: float) -> bool:
    """True once this worker leads; False if told to stop first. While the database is down
    it keeps trying, saying so once per outage rather than at every try."""
    log.info("waiting for leadership")
    unreachable = False
    while not stop.is_set():
        try:
            acquired = lock.try_acquire()
            unreachable = False
        except Exception as error:  # the database is down or restarting: keep waiting
            if not unreachable:
                log.warning("cannot reach the database to try for leadership (%s); retrying "
                            "every %ss", _first_line(error), retry_seconds)  # fmt: skip
            unreachable = True
            acquired = False
        if acquired:
            log.info("leader acquired")
            return True
        stop.wait(retry_seconds)
    return False


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"


def lead(engine: Engine, lock: Leadership, stop: threading.Event, retry_seconds: float) -> bool:
    """Run the scheduler while the lock holds; True if stopped, False if the lock was lost or
    the scheduler could not run (the database went away): the caller competes again.

    The scheduler starts paused, the job list is brought up to date (`registry.register`,
    which keeps each stored job's next fire time), then it resumes: jobs whose fire time
    passed while no worker led run once at once, if within their grace time."""
    registry.configure(engine)
    scheduler = registry.new_scheduler(engine)
    try:
        scheduler.start(paused=True)
        registry.register(scheduler)
        scheduler.resume()
        log.info("scheduler started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
        while not stop.wait(retry_seconds):
            if not lock.healthy():
                log.error("leadership lost: stopping the scheduler")
                return False
        return True
    except Exception:
        log.exception("the scheduler could not run: stepping down to compete again")
        return False
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        lock.release()
        log.info("leader released")


def lead_until_stopped(
    engine: Engine, lock: Leadership, stop: threading.Event, retry_seconds: float
) -> None:
    """Compete, lead, and after a lost lock compete again, until told to stop."""
    while wait_for_leadership(lock, stop, retry_seconds):
        if lead(engine, lock, stop, retry_seconds):
            return
        stop.wait(retry_seconds)  # a moment for the database to come back before trying


def run_worker(settings: Settings, engine: Engine, *, retry_seconds: float = 5.0) -> None:
    """Elect, lead until stopped; if leadership is lost, go back to waiting."""
    stop = threading.Event()
    stop_on_signals(stop)
    lock = leadership(engine, settings.data_dir)
    lead_until_stopped(engine, lock, stop, retry_seconds)
    log.info("worker stopped")


@contextmanager
def embedded_scheduler(
    settings: Settings, engine: Engine, *, retry_seconds: float = 5.0
) -> Iterator[threading.Thread]:
    """The worker in a background thread of `serve --with-scheduler`: it elects and leads as
    a separate worker would; leaving the block stops it and releases the lock.

    Call it from the main thread: it installs SIGTERM/SIGINT handlers that only set the stop
    event. The web server replaces them while it runs and, once it has shut down, restores
    them and raises the signal again (uvicorn does): ours then lets the block end normally,
    so the running job finishes and the lock is released instead of the process dying."""
    stop = threading.Event()
    stop_on_signals(stop)
    lock = leadership(engine, settings.data_dir)

    thread = threading.Thread(
        target=lead_until_stopped,
        args=(engine, lock, stop, retry_seconds),
        name="patentpool-scheduler",
        daemon=True,
    )
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=60)
        log.info("embedded scheduler stopped")
