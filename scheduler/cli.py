"""`patentpool worker` and `patentpool run-job`: the scheduler's commands join the service's
command group here (scheduler may import pool, never the other way round), and the
`patentpool` console script points at this module."""

import logging
import sys
from datetime import datetime

import click

from pool.cli import main as main
from pool.cli import open_engine, run_server
from pool.settings import Settings
from scheduler.jobs import JOBS

JOB_NAMES = tuple(JOBS)


@main.command()
@click.option(
    "--retry-seconds",
    type=float,
    default=5.0,
    show_default=True,
    help="How often a follower tries to become leader (and the leader checks its lock).",
)
def worker(retry_seconds: float) -> None:
    """Run the scheduler; with several workers, exactly one leads and the others wait."""
    from scheduler.worker import run_worker

    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
        force=True,
    )
    engine = open_engine(settings)
    try:
        run_worker(settings, engine, retry_seconds=retry_seconds)
    finally:
        engine.dispose()


@main.command("run-job")
@click.argument("name", type=click.Choice(JOB_NAMES))
@click.option("--pool", "pool_id", type=int, default=None, help="One pool (default: all open).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
def run_job(name: str, pool_id: int | None, as_of: datetime) -> None:
    """Run one job once, by hand, as of a date, and print what it did."""
    from pool.clock import system_clock
    from pool.errors import DomainError

    engine = open_engine(Settings.from_env())
    try:
        result = JOBS[name](engine, pool_id=pool_id, as_of=as_of.date(), now=system_clock())
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    finally:
        engine.dispose()
    click.echo(str(result))


@main.command("serve")
@click.option("--host", default=None, help="Listen address (default PATENTPOOL_HOST).")
@click.option("--port", type=int, default=None, help="Port (default PATENTPOOL_PORT).")
@click.option("--workers", type=int, default=1, show_default=True, help="uvicorn processes.")
@click.option(
    "--with-scheduler",
    is_flag=True,
    help="Also run the scheduler in this process (single-machine installs); it still takes "
    "the leader lock, so a separate `patentpool worker` never runs the same jobs at once.",
)
def serve(host: str | None, port: int | None, workers: int, with_scheduler: bool) -> None:
    """Serve the API (and the OpenAPI page at /schema) with uvicorn."""
    settings = Settings.from_env()
    if not with_scheduler:
        run_server(settings, host=host, port=port, workers=workers)
        return
    from scheduler.worker import embedded_scheduler

    engine = open_engine(settings)
    try:
        with embedded_scheduler(settings, engine):
            run_server(settings, host=host, port=port, workers=workers)
    finally:
        engine.dispose()
