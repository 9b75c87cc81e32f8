"""Alembic environment: migrations run against the service's own engine and metadata."""

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import pool.models  # noqa: F401  (registers every table on SQLModel.metadata)
from pool.db import make_engine
from pool.migrate import check_sqlite_foreign_keys, sqlite_foreign_keys_checked_at_end

_MIGRATION_LOCK_KEY = 0x6D696772  # several instances may upgrade at once on PostgreSQL

APSCHEDULER_TABLES = frozenset({"apscheduler_jobs"})  # the worker's job store manages its own

config = context.config


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave tables that are not ours (the scheduler's job store) out of autogenerate."""
    return not (type_ == "table" and name in APSCHEDULER_TABLES)


target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)  # the caller commits
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection, sqlite_foreign_keys_checked_at_end(connection):
        _run(connection)
        connection.commit()
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL a transaction-level advisory lock lets one instance migrate at a time."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    check_sqlite_foreign_keys(connection)


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `patentpool db upgrade`")
run_migrations_online()
