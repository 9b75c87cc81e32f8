"""Run Alembic migrations from code (`patentpool db upgrade`, tests, the demo)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind `engine` (same connection settings as the service)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection, sqlite_foreign_keys_checked_at_end(connection):
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


@contextmanager
def sqlite_foreign_keys_checked_at_end(connection: Connection) -> Iterator[None]:
    """On SQLite, migrate with foreign keys unenforced; they are checked before the commit.

    SQLite cannot alter a column in place: Alembic rebuilds the table (create a copy, drop the
    old one, rename). With enforcement on, dropping a table other tables' rows refer to fails,
    and `PRAGMA foreign_keys` is ignored inside a transaction, so it is switched off here,
    before the migration's transaction begins, as SQLite's documentation prescribes for such
    rebuilds. The migration environment runs `PRAGMA foreign_key_check` before the commit
    (`check_sqlite_foreign_keys`), and enforcement is back on for whoever uses the connection
    next. Elsewhere this does nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        connection.rollback()  # nothing after a commit; an unfinished migration's changes
        driver.execute("PRAGMA foreign_keys=ON")


def check_sqlite_foreign_keys(connection: Connection) -> None:
    """Refuse to commit a migration that left a row referring to a row that does not exist."""
    if connection.dialect.name != "sqlite":
        return
    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise RuntimeError(f"the migration left rows with dangling references: {dangling[:5]}")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
