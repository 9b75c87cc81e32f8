"""One request, one transaction, one thread: from its first query to its commit.

Litestar runs a sync handler in a worker thread, and a generator dependency's cleanup in
another. When the commit lived in that cleanup, a request held its connection (and any lock
it took, such as the audit chain's) between the two, and needed a free thread to let go: a
handful of requests waiting for the lock filled every thread, and the holder's commit never
ran (an instance deadlocked for good with 7 concurrent audited writes). So the transaction
is begun, the API caller's token checked, the handler run and the transaction committed or
rolled back inside the handler's own thread (`install`). A dependency that must read before
it (the web page's signed-in user) ends its read in its own thread (`read_only`). Between two
threads a request holds a database slot (pool.admission) but no connection and no lock.

On SQLite a handler for an unsafe method (POST, PUT, PATCH, DELETE) begins IMMEDIATE: it
takes the write lock before its first read, so two payments can never both read the same
open amount, and a write never fails on a snapshot another writer made stale."""

import asyncio
import functools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from litestar import Litestar
from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.utils.sync import AsyncCallable
from sqlmodel import Session

from pool.auth import BearerCredentials
from pool.db import SQLITE_BEGIN
from pool.services import accounts

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A handler that first commits a row in a short transaction of its own (a background task's
# row, which the task's thread then reads) must not already hold SQLite's write lock, or it
# would wait on itself: such handlers say `opt=OWN_COMMIT_FIRST` and begin DEFERRED.
OWN_COMMIT_FIRST = {SQLITE_BEGIN: "DEFERRED"}
_WRAPPED = "__pool_unit_of_work__"
# Commits left to the dependency's cleanup get threads of their own, never waiting behind
# handlers that may be waiting for what this commit releases.
_CLEANUP_THREADS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="pool-cleanup")


class FormRefusal(Exception):
    """A handler refuses a form: whatever the request wrote is rolled back first, then
    `answer()` renders the form again with its errors (reading in a fresh transaction, so the
    page shows what is stored, not what was refused). One mechanism for every web refusal;
    the login throttle, whose record must stay, answers without it."""

    def __init__(self, answer: Callable[[], Any]) -> None:
        super().__init__("refused")
        self.answer = answer


def in_one_thread(handler: Callable[..., Any], *, writes: bool) -> Callable[..., Any]:
    """Authenticate the caller, run `handler` and commit its `db` session, all in the same
    call; roll back if anything raises. Handlers without a `db` run as they are."""

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> Any:
        session = kwargs.get("db")
        if not isinstance(session, Session):
            return handler(*args, **kwargs)
        if writes and session.get_bind().dialect.name == "sqlite":
            session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
        try:
            for name, value in kwargs.items():
                if isinstance(value, BearerCredentials):
                    kwargs[name] = accounts.authenticate(
                        session, raw_token=value.raw_token, now=value.at
                    )
            result = handler(*args, **kwargs)
        except FormRefusal as refusal:
            session.rollback()
            result = refusal.answer()
        except BaseException:
            session.rollback()
            raise
        session.commit()
        return result

    setattr(run, _WRAPPED, True)
    return run


def install(app: Litestar, *, api_prefix: str) -> None:
    """Wrap every sync handler that Litestar runs in a worker thread (`sync_to_thread=True`).

    An API handler that takes `principal` must run wrapped and take `db`: its caller is
    authenticated here, so it is refused when the app is built otherwise."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            wrapped = _wrap(handler)
            params = handler.parsed_fn_signature.parameters
            authenticates = route.path.startswith(api_prefix) and "principal" in params
            if authenticates and (not wrapped or "db" not in params):
                raise ImproperlyConfiguredException(
                    f"{route.path}: an API handler taking `principal` must be sync, in a "
                    "thread, and take `db` (the caller is authenticated in its transaction)"
                )


def _wrap(handler: HTTPRouteHandler) -> bool:
    fn = handler.fn
    if not isinstance(fn, AsyncCallable):
        return False
    if getattr(fn.func, _WRAPPED, False):
        return True
    writes = not set(handler.http_methods) <= SAFE_METHODS
    writes = writes and handler.opt.get(SQLITE_BEGIN) != "DEFERRED"
    fn.func = in_one_thread(fn.func, writes=writes)
    return True


@contextmanager
def read_only(session: Session) -> Iterator[Session]:
    """A read before the handler's thread (the caller's token): end it here, so the
    connection goes back to the pool before this thread is left."""
    try:
        yield session
    finally:
        session.rollback()


async def finish(session: Session, *, commit: bool) -> None:
    """Close the request's session; a transaction still open (begun outside the handler's
    thread) is committed or rolled back first, in a thread that never waits for handlers."""
    if not session.in_transaction():
        session.close()
        return

    def end() -> None:
        try:
            if commit:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()

    await asyncio.get_running_loop().run_in_executor(_CLEANUP_THREADS, end)
