"""Exactly one leader among the workers of one database.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) held on a dedicated
connection for the leader's lifetime. If the leader dies its connection closes and the server
releases the lock; a follower's next try takes it. The key is derived from the schema, so
deployments (and test sessions) sharing a database in different schemas do not contend.

SQLite: an exclusive `flock` on `scheduler.lock` in the data dir, released by the kernel when
the process dies.

A lost database connection is lost leadership, never a crash: when PostgreSQL restarts (or the
lock's backend is terminated) the lock went with the connection, so `healthy()` says False and
throws the dead connection away, and `release()` does not raise on it. The worker then competes
again (`scheduler.worker`)."""

import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text

LOCK_FILE = "scheduler.lock"
log = logging.getLogger("patentpool.worker")


class Leadership(Protocol):
    def try_acquire(self) -> bool: ...
    def healthy(self) -> bool: ...
    def release(self) -> None: ...


def lock_key(scope: str) -> int:
    """A stable signed 64-bit advisory-lock key for one schema."""
    digest = hashlib.sha256(f"patentpool-scheduler:{scope}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresLeadership:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None
        self.key = 0

    def try_acquire(self) -> bool:
        connection = self.engine.connect()
        try:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            self.key = lock_key(str(schema))
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar_one()
            connection.commit()  # a session-level lock outlives the transaction
        except Exception:
            _discard(connection)
            raise
        if got:
            self.connection = connection
        else:
            connection.close()
        return bool(got)

    def healthy(self) -> bool:
        """The lock lives as long as its connection: check the connection still answers. A
        connection that does not is thrown away here, failed transaction and all, so nothing
        later trips over it."""
        if self.connection is None:
            return False
        try:
            self.connection.execute(text("SELECT 1"))
            self.connection.commit()
        except Exception as error:
            log.warning("the lock connection is gone (%s)", type(error).__name__)
            _discard(self.connection)
            self.connection = None
            return False
        return True

    def release(self) -> None:
        """Unlock and close; never raises. If the connection is already broken the server
        released the lock with it, so there is nothing left to unlock."""
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            connection.commit()
        except Exception as error:
            log.warning("could not unlock on a broken connection (%s)", type(error).__name__)
            _discard(connection)
        else:
            connection.close()


def _discard(connection: Connection) -> None:
    """Drop a connection that failed: invalidated, so the pool never hands it out again (a
    rollback on it could fail too), then closed. Never raises."""
    try:
        connection.invalidate()
        connection.close()
    except Exception:  # already closed or beyond help: the pool replaces it either way
        log.debug("discarding a broken connection failed", exc_info=True)


class FileLeadership:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def healthy(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def leadership(engine: Engine, data_dir: Path) -> Leadership:
    if engine.dialect.name == "postgresql":
        return PostgresLeadership(engine)
    return FileLeadership(data_dir)
