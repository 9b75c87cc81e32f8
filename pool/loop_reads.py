"""Reads that run on the event loop, with no worker thread: the hottest authenticated reads.

A sync handler costs a thread hop and, under load, a fight for the GIL between the loop and
the handler threads; on a 2-core machine that was most of a one-row read's time (a
contributor's statement read by 50 clients at once did 6-12 % of a bare endpoint's req/s).
A read of plain columns (`ScopedRead`: one query, and what its rows mean) needs none of it:

- PostgreSQL: asyncpg connections of their own (`PATENTPOOL_DB_READ_CONNECTIONS`, apart from
  the engine's pool), autocommit, statements prepared once per connection. Requests take one
  in arrival order (a FIFO `AdmissionGate`: an asyncio.Queue lets newcomers overtake those
  woken, which left some readers waiting for seconds), wait at most `PATENTPOOL_DB_WAIT_SECONDS`
  and are otherwise answered 503. psycopg's async mode was measured at 2.5 times asyncpg's CPU
  per query (docs/benchmarks.md).
- SQLite: the query runs right on the loop, on a read-only connection of the loop's thread.
  In WAL mode a reader never waits for a writer, and an indexed read takes tens of
  microseconds, less than a thread hop; its busy timeout is short (`_SQLITE_READ_BUSY_MS`) so
  the loop is never held for long (WAL recovery after a crash is the only case), and past it
  the request is answered 503.

Each read is one statement in its own implicit transaction: a consistent snapshot of that
query, which is all a single-object read needs. Writes never come here: everything that
changes data runs in `pool.unit_of_work`'s one thread and one transaction.

Queries are compiled once per database (by SQLAlchemy, for the driver used here) and their
rows typed by SQLAlchemy's own result processors, so an answer sees exactly what it would see
in a session (aware UTC datetimes, dates, booleans)."""

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import Engine, exc, literal_column, select, true
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.engine import Dialect

from pool.admission import AdmissionGate, GateStatus
from pool.auth import BearerCredentials
from pool.services import accounts
from pool.services.common.plain_reads import AnySelect, ScopedRead
from pool.settings import Settings

T = TypeVar("T")
# How long an SQLite read on the loop may wait for a lock (only WAL recovery takes one).
_SQLITE_READ_BUSY_MS = 200
# Errors that say "the database is unreachable or too slow now", answered 503 (retry-able);
# any other error is a defect and stays a 500.
_UNAVAILABLE = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.QueryCanceledError,
    asyncpg.LockNotAvailableError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
)


@dataclass(frozen=True)
class _Compiled:
    """A query as this driver runs it: its SQL, its parameters in order with their bind
    processors, and a result processor per column (None where the driver's value is final)."""

    sql: str
    params: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    columns: tuple[tuple[int, Callable[[Any], Any]], ...]

    @classmethod
    def of(cls, query: AnySelect, dialect: Dialect) -> "_Compiled":
        compiled = query.compile(dialect=dialect)
        names = compiled.positiontup or []
        params = tuple(
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in names
        )
        processors = (
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in query.selected_columns
        )
        columns = tuple((i, p) for i, p in enumerate(processors) if p is not None)
        return cls(str(compiled), params, columns)

    def arguments(self, values: Any) -> list[Any]:
        return [values[name] if bind is None else bind(values[name]) for name, bind in self.params]

    def typed(self, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """Each row as a tuple, its values typed as a session would (dates parsed from SQLite's
        text, aware UTC datetimes); only the columns that need it are touched."""
        if not self.columns:
            return [tuple(row) for row in rows]
        typed = []
        for row in rows:
            values = list(row)
            for i, process in self.columns:
                values[i] = process(values[i])
            typed.append(tuple(values))
        return typed


class LoopReader:
    """Runs `ScopedRead`s for a caller on the event loop; one per app, its connections opened
    lazily and closed on shutdown."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._compiled: dict[int, tuple[AnySelect, _Compiled]] = {}
        # (token check, read) -> the parts (kept, so their ids stay unique), the joined query
        # and how many of its columns are the caller's
        self._combined: dict[tuple[int, int], tuple[AnySelect, AnySelect, AnySelect, int]] = {}

    def compiled(self, query: AnySelect) -> _Compiled:
        found = self._compiled.get(id(query))
        if found is None:  # the query is kept with it, so its id is never reused
            found = (query, _Compiled.of(query, self._dialect))
            self._compiled[id(query)] = found
        return found[1]

    async def run_for(self, bearer: BearerCredentials, read: ScopedRead[T]) -> T:
        """`read` for the caller behind `bearer`, its token checked in the same query: one
        round trip, not two (in-process on PostgreSQL, 0.76 ms of CPU per request against
        0.84-0.92 ms). An unknown, expired or revoked token is 401 whatever the read would
        have found."""
        authentication = accounts.authentication(raw_token=bearer.raw_token, now=bearer.at)
        combined, split = self._with_caller(authentication.query, read.query)
        compiled = self.compiled(combined)
        params = {**authentication.params, **read.params}
        rows = compiled.typed(await self._fetch(compiled, compiled.arguments(params)))
        principal = authentication.answer([row[:split] for row in rows[:1]])
        return read.answer(principal, [row[split:-1] for row in rows if row[-1] is not None])

    def _with_caller(self, authentication: AnySelect, read: AnySelect) -> tuple[AnySelect, int]:
        """SELECT caller.*, read.*, 1 FROM (token check) caller LEFT JOIN (read) ON true: the
        caller's row once per row of the read, or alone (the read's columns NULL, the marker
        too) when the read finds nothing; no row at all for an unknown token."""
        key = (id(authentication), id(read))
        found = self._combined.get(key)
        if found is None:
            shared = set(authentication.compile().params) & set(read.compile().params)
            if shared:
                raise ValueError(f"the read's parameters clash with the token check's: {shared}")
            caller = authentication.subquery("caller")
            marked = read.add_columns(literal_column("1").label("found_")).subquery("read")
            combined = select(*caller.c, *marked.c).select_from(caller.outerjoin(marked, true()))
            found = (authentication, read, combined, len(caller.c))
            self._combined[key] = found
        return found[2], found[3]

    async def _fetch(self, compiled: _Compiled, arguments: list[Any]) -> Sequence[Sequence[Any]]:
        raise NotImplementedError

    def status(self) -> GateStatus | None:
        """The connections' gate (PostgreSQL), for /health/ready; None when reads never wait."""
        return None

    async def close(self) -> None:
        raise NotImplementedError


class SQLiteLoopReader(LoopReader):
    """A read-only connection per loop thread, used only by that thread's loop."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine.dialect)
        database = engine.url.database
        if not database or database == ":memory:":
            raise ValueError("reads on the event loop need an SQLite file, not :memory:")
        self._path = database
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout={_SQLITE_READ_BUSY_MS}")
            # as the engine's connections do (a no-op once the file is in WAL): this reader
            # may be the first to open a new file
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA query_only=1")
            self._local.connection = connection
            with self._lock:
                self._opened.append(connection)
        return connection

    async def _fetch(self, compiled: _Compiled, arguments: list[Any]) -> Sequence[Sequence[Any]]:
        try:
            rows: list[Any] = self._connection().execute(compiled.sql, arguments).fetchall()
            return rows
        except sqlite3.OperationalError as error:  # busy past the timeout, or no file
            raise exc.OperationalError(compiled.sql, arguments, error) from error

    async def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()
        self._local = threading.local()


class PostgresLoopReader(LoopReader):
    """asyncpg connections of the loop that opened them, taken in arrival order."""

    def __init__(self, dsn: str, settings: Settings, size: int) -> None:
        # only to compile queries and type rows for asyncpg; its constructor has no annotations
        super().__init__(asyncpg_dialect.dialect())  # type: ignore[no-untyped-call]
        self._dsn = dsn
        self._timeout = settings.db_wait_seconds
        self._server_settings = {
            "statement_timeout": str(settings.db_statement_timeout_ms),
            "lock_timeout": str(settings.db_lock_timeout_ms),
            "application_name": "patentpool-reads",
            # the same few queries, run thousands of times: plan them once per connection
            "plan_cache_mode": "force_generic_plan",
        }
        self._gate = AdmissionGate(
            size,
            max_wait=settings.db_wait_seconds,
            max_queue=settings.db_queue_max,
            saturated_after=settings.saturated_after_seconds,
        )
        # Idle connections of each loop (the service has one; tests run servers on several),
        # only ever touched by that loop. The gate lets at most `size` requests in, so one
        # inside always finds a connection here or opens one.
        self._idle: dict[asyncio.AbstractEventLoop, list[asyncpg.Connection]] = {}

    async def _fetch(self, compiled: _Compiled, arguments: list[Any]) -> Sequence[Sequence[Any]]:
        await self._gate.enter()
        try:
            connection = await self._take()
            try:
                rows: list[Any] = await connection.fetch(
                    compiled.sql, *arguments, timeout=self._timeout
                )
            except BaseException:
                # a cancelled or failed query may leave the connection mid-protocol
                connection.terminate()
                raise
            self._idle.setdefault(asyncio.get_running_loop(), []).append(connection)
            return rows
        except _UNAVAILABLE as error:
            raise exc.OperationalError(compiled.sql, arguments, error) from error
        finally:
            self._gate.leave()

    async def _take(self) -> asyncpg.Connection:
        idle = self._idle.get(asyncio.get_running_loop())
        while idle:
            connection = idle.pop()
            if not connection.is_closed():  # the server may have closed it meanwhile
                return connection
        opened: asyncpg.Connection = await asyncpg.connect(
            self._dsn, timeout=self._timeout, server_settings=self._server_settings
        )
        return opened

    def status(self) -> GateStatus:
        return self._gate.status()

    async def close(self) -> None:
        """On shutdown, on the loop that served: its connections are closed."""
        for connection in self._idle.pop(asyncio.get_running_loop(), []):
            await connection.close(timeout=2)
        for loop in [loop for loop in self._idle if loop.is_closed()]:
            del self._idle[loop]


def open_loop_reader(engine: Engine, settings: Settings) -> LoopReader:
    """The reader for the engine's database (its URL, schema options included)."""
    if engine.dialect.name == "sqlite":
        return SQLiteLoopReader(engine)
    url = engine.url.set(drivername="postgresql")
    return PostgresLoopReader(
        url.render_as_string(hide_password=False), settings, settings.db_read_connections
    )
