"""Engine, sessions and the column types every table shares."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, event, exc, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, create_engine

from pool.settings import Settings


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are aware UTC: naive values are refused; SQLite's lost tzinfo is restored."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, busy_timeout_ms: int = 5000) -> None:
    # The sqlite3 module's own transaction handling emits no BEGIN before a SAVEPOINT, so a
    # savepoint opened first becomes the outermost transaction and its RELEASE commits:
    # a request that failed later would keep that write. SQLAlchemy emits BEGIN instead
    # (`_sqlite_begin`), so every transaction, savepoints included, commits or rolls back
    # as one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Execution option naming how an SQLite transaction begins. A request that may write begins
# IMMEDIATE: it takes the database's write lock before its first read, so what it reads (an
# invoice's open amount, say) cannot change before it writes, and it never fails later with
# a stale snapshot. Reads begin DEFERRED and never wait for writers (WAL).
SQLITE_BEGIN = "sqlite_begin"


def _sqlite_begin(connection: Any) -> None:
    # straight on the driver's connection: every request begins here, and SQLAlchemy's
    # statement machinery would double the cost of a one-row read
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    statement = "BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN"
    try:
        connection.connection.driver_connection.execute(statement)
    except sqlite3.OperationalError as error:  # busy past the timeout: what SQLAlchemy raises
        raise exc.OperationalError(statement, None, error) from error


def _postgres_timeouts(lock_ms: int, statement_ms: int) -> Any:
    """Bound every wait on PostgreSQL: a lock (advisory locks included) and a statement. Set
    once per connection; a job that needs longer sets its own with SET LOCAL."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(lock_ms)}")
            cursor.execute(f"SET statement_timeout = {int(statement_ms)}")
        dbapi_connection.autocommit = autocommit

    return on_connect


@dataclass(frozen=True)
class Limits:
    """How much of the database one process may use, and how long anything may wait.

    `connections` are pooled for requests (one per admitted request, see pool.admission) and
    `spare` more for the background tasks, the scheduler and /health/ready; a checkout waits at
    most `pool_timeout` seconds. 0 for a timeout means none (PostgreSQL's own default)."""

    connections: int = 5
    spare: int = 10
    pool_timeout: float = 30.0
    lock_timeout_ms: int = 0
    statement_timeout_ms: int = 0
    busy_timeout_ms: int = 5000
    # A round trip before every checkout catches connections a database restart killed. The
    # service turns it off: one checkout per request would double a short read's round trips,
    # and without it a restart costs only the requests in flight a 503 (the pool drops its
    # dead connections on the first disconnect it sees).
    pre_ping: bool = True


def make_engine(url: str, limits: Limits | None = None, **kwargs: Any) -> Engine:
    """Create the engine; SQLite gets WAL, a busy timeout and enforced foreign keys;
    PostgreSQL the lock and statement timeouts of `limits`."""
    limits = limits or Limits()
    kwargs.setdefault("pool_size", limits.connections)
    kwargs.setdefault("max_overflow", limits.spare)
    kwargs.setdefault("pool_timeout", limits.pool_timeout)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            for name in ("pool_size", "max_overflow", "pool_timeout"):
                kwargs.pop(name)
        engine = create_engine(url, **kwargs)
        busy = limits.busy_timeout_ms
        event.listen(engine, "connect", lambda c, r: _sqlite_pragmas(c, r, busy))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs.setdefault("pool_pre_ping", limits.pre_ping)
    engine = create_engine(url, **kwargs)
    if limits.lock_timeout_ms or limits.statement_timeout_ms:
        event.listen(
            engine,
            "connect",
            _postgres_timeouts(limits.lock_timeout_ms, limits.statement_timeout_ms),
        )
    return engine


def engine_for(settings: Settings) -> Engine:
    """The service's engine, sized and bounded by its settings (see `Limits`)."""
    return make_engine(
        settings.database_url,
        Limits(
            connections=settings.db_slots,
            spare=4,
            pool_timeout=settings.db_wait_seconds,
            lock_timeout_ms=settings.db_lock_timeout_ms,
            statement_timeout_ms=settings.db_statement_timeout_ms,
            busy_timeout_ms=settings.db_lock_timeout_ms,
            pre_ping=False,
        ),
    )


def ping(engine: Engine) -> None:
    """One round trip on a connection of `engine`'s pool; raises when the database is away."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@contextmanager
def session_scope(engine: Engine, *, writes: bool = False) -> Iterator[Session]:
    """One transaction for a job or CLI command: commit on success, roll back on any error.

    `writes`: on SQLite, begin IMMEDIATE (above) for a transaction that reads and then writes
    while other processes may write too (a checkpoint reads the chain's head, then inserts);
    begun DEFERRED, its first write would fail at once with "database is locked" whenever
    another connection committed after its first read."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            if writes and engine.dialect.name == "sqlite":
                session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
