"""The `patentpool` command line."""

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine

from pool.settings import Settings


@click.group()
def main() -> None:
    """Run and operate a patentpool service."""


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--explain", is_flag=True, help="Explain each contributor's amount.")
def allocate(scenario: Path, as_json: bool, explain: bool) -> None:
    """Allocate a scenario file offline (no database needed)."""
    from allocation.outcome.command import run_scenario_file

    output, exit_code = run_scenario_file(scenario, as_json=as_json, explain=explain)
    click.echo(output, err=exit_code != 0)
    sys.exit(exit_code)


@main.group()
def db() -> None:
    """Database schema."""


def open_engine(settings: Settings) -> Engine:
    """The service's engine; on SQLite the data dir is created first."""
    from pool.db import make_engine

    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.database_url)


@contextmanager
def engine_for(settings: Settings) -> Iterator[Engine]:
    """An engine for one command, disposed after it (connections are never left to the GC)."""
    engine = open_engine(settings)
    try:
        yield engine
    finally:
        engine.dispose()


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations (safe to run from several instances at once on PostgreSQL)."""
    from pool.migrate import current_revision, upgrade

    with engine_for(Settings.from_env()) as engine:
        upgrade(engine, revision)
        click.echo(f"database at revision {current_revision(engine)}")


@main.command()
@click.option("--host", default=None, help="Bind address (default PATENTPOOL_HOST).")
@click.option("--port", type=int, default=None, help="Port (default PATENTPOOL_PORT).")
@click.option("--workers", type=int, default=1, show_default=True)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the API (and the OpenAPI page at /schema) with uvicorn."""
    run_server(Settings.from_env(), host=host, port=port, workers=workers)


def run_server(settings: Settings, *, host: str | None, port: int | None, workers: int) -> None:
    import uvicorn

    from pool.log_format import configure_logging

    configure_logging(settings.log_level, settings.log_json)
    warn_without_cjk_font()
    uvicorn.run(
        "pool.app:app_from_env",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=None,
        timeout_graceful_shutdown=30,
        **server_options(settings),
    )


def warn_without_cjk_font() -> None:
    """At start, a clear warning when a Chinese PDF would have no Chinese glyphs (statements
    in Chinese are then refused: pool/services/statements/fonts.py)."""
    import logging

    from pool.services.statements import fonts

    fonts.warn_without_cjk_font(logging.getLogger("patentpool"))


def server_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options that decide what the app believes about a request: forwarded
    headers from the trusted proxies only (uvicorn alone would trust 127.0.0.1, so anything on
    the machine could pose as any client or as HTTPS), and no `Server: uvicorn` header."""
    return {
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "server_header": False,
    }


@main.group()
def user() -> None:
    """User accounts."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option(
    "--role",
    type=click.Choice(["admin", "auditor", "contributor", "licensee"]),
    default="admin",
    show_default=True,
)
@click.option("--organisation-id", type=int, default=None)
def user_create(email: str, display_name: str, role: str, organisation_id: int | None) -> None:
    """Create a user; the password comes from PATENTPOOL_NEW_PASSWORD or a prompt."""
    from pydantic import ValidationError

    from pool.clock import system_clock
    from pool.db import session_scope
    from pool.errors import DomainError
    from pool.models.user import Role, UserCreate
    from pool.services import accounts, audit

    settings = Settings.from_env()
    password = os.environ.get("PATENTPOOL_NEW_PASSWORD") or getpass.getpass("Password: ")
    try:
        data = UserCreate(
            email=email,
            display_name=display_name,
            password=password,
            role=Role(role),
            organisation_id=organisation_id,
        )
        with engine_for(settings) as engine, session_scope(engine) as session:
            created = accounts.create_user(
                session,
                data=data,
                hasher=accounts.password_hasher(settings),
                actor=audit.Actor.system("cli"),
                now=system_clock(),
            )
            click.echo(f"created {created.role} {created.email} (id {created.id})")
    except ValidationError as error:
        raise click.ClickException(
            "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        ) from error
    except DomainError as error:
        raise click.ClickException(error.detail) from error


@main.group()
def account() -> None:
    """Licensees' accounts (read from the ledger)."""


@account.command("statement")
@click.option("--licensee", "licensee_id", type=int, required=True, help="Organisation id.")
@click.option("--pool", "pool_id", type=int, default=None, help="Needed if several pools.")
def account_statement(licensee_id: int, pool_id: int | None) -> None:
    """Print a licensee's account statement as a table (amounts in minor units)."""
    from pool.clock import system_clock
    from pool.db import session_scope
    from pool.errors import DomainError
    from pool.services.billing import accounts_statement

    try:
        with engine_for(Settings.from_env()) as engine, session_scope(engine) as session:
            pool = accounts_statement.pool_of(session, licensee_id, pool_id)
            found = accounts_statement.build(
                session,
                pool_id=pool,
                licensee=licensee_id,
                start=None,
                end=None,
                as_of=system_clock().date(),
            )
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    click.echo(accounts_statement.as_table(found))


def _add_audit_commands() -> None:
    from pool.commands.audit import audit
    from pool.commands.doctor import doctor

    main.add_command(audit)
    main.add_command(doctor)


_add_audit_commands()
