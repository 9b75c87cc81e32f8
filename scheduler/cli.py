"""`patentpool worker` and `patentpool run-job`: the scheduler's commands join the service's
command group here (scheduler may import pool, never the other way round), and the
`patentpool` console script points at this module."""

import logging
import sys
from datetime import datetime

import click

from pool.cli import main as main
from pool.cli import open_engine, run_server, warn_without_cjk_font
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
    warn_without_cjk_font()  # the worker issues the statements
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
@click.option(
    "--retry-seconds",
    type=float,
    default=5.0,
    show_default=True,
    help="With --with-scheduler: how often it tries to lead (and the leader checks its lock).",
)
def serve(
    host: str | None, port: int | None, workers: int, with_scheduler: bool, retry_seconds: float
) -> None:
    """Serve the API (and the OpenAPI page at /schema) with uvicorn."""
    settings = Settings.from_env()
    if not with_scheduler:
        run_server(settings, host=host, port=port, workers=workers)
        return
    from pool.log_format import configure_logging
    from scheduler.worker import embedded_scheduler

    configure_logging(settings.log_level, settings.log_json)  # before the scheduler logs
    engine = open_engine(settings)
    try:
        with embedded_scheduler(settings, engine, retry_seconds=retry_seconds):
            run_server(settings, host=host, port=port, workers=workers)
    finally:
        engine.dispose()


@main.command("demo")
@click.option(
    "--serve/--no-serve",
    "serve_after",
    default=True,
    show_default=True,
    help="Serve the API afterwards.",
)
@click.option("--seed", type=int, default=2025, show_default=True, help="Same seed, same pool.")
@click.option("--year", type=click.IntRange(2001, 2200), default=2025, show_default=True)
@click.option("--contributors", type=click.IntRange(2, 500), default=30, show_default=True)
@click.option("--patents", type=click.IntRange(10, 50_000), default=1500, show_default=True)
@click.option("--licensees", type=click.IntRange(4, 5000), default=200, show_default=True)
def demo(
    serve_after: bool, seed: int, year: int, contributors: int, patents: int, licensees: int
) -> None:
    """Build a year of a realistic pool on an empty data dir (real services and jobs, a
    simulated clock), print its figures, export its statements, then serve."""
    from pool.migrate import upgrade
    from scheduler import demo as the_demo

    if patents < contributors:
        raise click.BadParameter("at least one patent per contributor", param_hint="--patents")
    settings = Settings.from_env()
    warn_without_cjk_font()  # the demo issues Chinese statements
    size = the_demo.Size(contributors=contributors, patents=patents, licensees=licensees)
    engine = open_engine(settings)
    try:
        upgrade(engine)
        built_now = the_demo.run(engine, settings, the_demo.Options(seed, year, size))
        pool = the_demo.pool_of(engine, year)
        click.echo("\n" + the_demo.summary(engine, pool, year) + "\n")
        folder = settings.data_dir / "statements"
        files = the_demo.export_statements(engine, pool.id or 0, folder)
        certificate_folder = settings.data_dir / "certificates"
        certificate_files = the_demo.export_certificates(
            engine, pool.id or 0, year, certificate_folder
        )
    except the_demo.Refused as error:
        raise click.ClickException(str(error)) from error
    finally:
        engine.dispose()
    outbox = settings.data_dir / "outbox"
    mails = len(list(outbox.glob("*.eml"))) if outbox.is_dir() else 0
    click.echo(f"statements: {files} files (HTML, CSV, PDF as stored) in {folder}/")
    click.echo(
        f"certificates: {certificate_files} withholding-tax certificates (PDF, Chinese and "
        f"English) in {certificate_folder}/"
    )
    click.echo(f"e-mails:    {mails} .eml files (statements and reminders) in {outbox}/")
    click.echo(the_demo.banner(settings, built_now=built_now))
    if serve_after:
        run_server(settings, host=None, port=None, workers=1)
