"""One request, one transaction, one thread: from its first query to its commit.

Litestar runs a sync handler in a worker thread, and a generator dependency's cleanup in
another. When the commit lived in that cleanup, a request held its connection (and any lock
it took, such as the audit chain's) between the two, and needed a free thread to let go: a
handful of requests waiting for the lock filled every thread, and the holder's commit never
ran (an instance deadlocked for good with 7 concurrent audited writes). So the transaction
is begun, the API caller's token checked, the handler run and the transaction committed or
rolled back inside the handler's own thread (`install`), while the request holds one
database slot (pool.admission). A dependency that must read before it (the web page's
signed-in user) reads in a slot, a session and a thread of its own (`read_in_a_slot`). While
a request waits for a thread it holds no connection and no lock.

On SQLite a handler for an unsafe method (POST, PUT, PATCH, DELETE) begins IMMEDIATE: it
takes the write lock before its first read, so two payments can never both read the same
open amount, and a write never fails on a snapshot another writer made stale."""

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from litestar import Litestar
from litestar.concurrency import get_asyncio_executor
from litestar.datastructures import State
from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.utils.sync import AsyncCallable
from sqlalchemy import Engine
from sqlmodel import Session

from pool.admission import AdmissionGate
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
    """Wrap every sync handler that Litestar runs in a worker thread (`sync_to_thread=True`):
    a handler with a `db` takes a database slot (pool.admission) on the event loop, then runs
    `in_one_thread`, then gives the slot back, whatever happens (a slot taken by a dependency
    could leak when a later dependency refused the request: Litestar does not clean up a
    half-resolved set).

    An API handler that takes `principal` must run wrapped and take `db`: its caller is
    authenticated here, so it is refused when the app is built otherwise."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            wrapped = _wrap(handler, app.state)
            params = handler.parsed_fn_signature.parameters
            authenticates = route.path.startswith(api_prefix) and "principal" in params
            if authenticates and (not wrapped or "db" not in params):
                raise ImproperlyConfiguredException(
                    f"{route.path}: an API handler taking `principal` must be sync, in a "
                    "thread, and take `db` (the caller is authenticated in its transaction)"
                )


class _InASlot:
    """The handler as Litestar awaits it: a slot (of the gate in the app's state), one
    thread, the slot back."""

    def __init__(self, func: Callable[..., Any], state: State) -> None:
        self.func = func
        self.state = state
        functools.update_wrapper(self, func)  # its name and docstring (OpenAPI uses both)
        setattr(self, _WRAPPED, True)

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(kwargs.get("db"), Session):
            return await _in_thread(functools.partial(self.func, *args, **kwargs))
        gate: AdmissionGate = self.state.gate
        return await in_a_slot(gate, functools.partial(self.func, *args, **kwargs))


async def in_a_slot(gate: AdmissionGate, work: Callable[[], Any]) -> Any:
    """Run `work` in a worker thread while holding a database slot. A request cancelled
    meanwhile (the client went away) gives the slot back only when the thread is done."""
    await gate.enter()
    future = _in_thread(work)
    try:
        return await asyncio.shield(future)
    finally:
        if future.done():
            gate.leave()
        else:
            future.add_done_callback(lambda _: gate.leave())


def _in_thread(work: Callable[[], Any]) -> "asyncio.Future[Any]":
    """As Litestar's sync_to_thread: the handlers' executor, the request's context vars."""
    context = contextvars.copy_context()
    loop = asyncio.get_running_loop()
    return loop.run_in_executor(get_asyncio_executor(), context.run, work)


async def read_in_a_slot(
    gate: AdmissionGate, engine: Engine, read: Callable[[Session], Any]
) -> Any:
    """A dependency's read before the handler (the web page's signed-in user): a slot, a
    session of its own in one thread, its transaction ended there."""

    def work() -> Any:
        with Session(engine, expire_on_commit=False) as session:
            try:
                return read(session)
            finally:
                session.rollback()

    return await in_a_slot(gate, work)


def _wrap(handler: HTTPRouteHandler, state: State) -> bool:
    fn = handler.fn
    if getattr(fn, _WRAPPED, False):
        return True
    if not isinstance(fn, AsyncCallable):
        return False
    writes = not set(handler.http_methods) <= SAFE_METHODS
    writes = writes and handler.opt.get(SQLITE_BEGIN) != "DEFERRED"
    # Litestar keeps the awaited callable in `_fn` (it set it to an AsyncCallable itself)
    handler._fn = _InASlot(in_one_thread(fn.func, writes=writes), state)
    return True


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
