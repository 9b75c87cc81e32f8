"""Request-scoped dependencies: the one transaction per request (or a read on the event loop,
pool.loop_reads), the clock and the caller.

The caller comes from one of two places, never both: the JSON API (`/api/v1`) reads only the
`Authorization: Bearer` header, so a browser's cookies can never authorize an API call (which
would make it forgeable from another site); the web pages read only the `pp_session` cookie,
behind CSRF protection. Both resolve the same hashed, revocable token rows."""

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias, TypeVar

from argon2 import PasswordHasher
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import SkipValidation
from sqlmodel import Session

from pool import unit_of_work
from pool.auth import BearerCredentials, Principal
from pool.clock import Clock
from pool.errors import Unauthenticated
from pool.loop_reads import LoopReader
from pool.services import accounts
from pool.services.common.plain_reads import ScopedRead
from pool.settings import Settings

T = TypeVar("T")


async def provide_db(state: State) -> AsyncGenerator[Session, None]:
    """The request's session. It holds no connection yet: the handler's database slot
    (pool.admission), its transaction and its commit all belong to the handler's own thread
    (`pool.unit_of_work`), so nothing is held while a request waits for a thread. Left here,
    on the event loop: close. Only a transaction something else left open (a lazy load while
    rendering) is finished here, in a thread of its own."""
    session = Session(state.engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        await unit_of_work.finish(session, commit=False)
        raise
    else:
        await unit_of_work.finish(session, commit=True)


def provide_now(state: State) -> datetime:
    clock: Clock = state.clock
    return clock()


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def provide_hasher(state: State) -> PasswordHasher:
    """The app's password hasher (made from the settings in `app_state`): one seam for every
    handler that hashes or checks a password."""
    hasher: PasswordHasher = state.hasher
    return hasher


def bearer_token(request: ASGIConnection[Any, Any, Any, Any]) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send 'Authorization: Bearer <token>'")
    return token.strip()


# What an API handler declares to receive the caller. Litestar validates dependencies before
# the handler's thread, where `pool.unit_of_work` turns the `BearerCredentials` into the
# Principal: hence no validation here.
Caller: TypeAlias = NamedDependency[SkipValidation[Principal]]


def provide_bearer(request: Request[Any, Any, Any], state: State) -> BearerCredentials:
    """Every non-public API endpoint depends on this (as `principal`, or through `reads` when
    it reads on the event loop); a missing header is 401 at once, a bad token 401 from the
    handler's thread or from the read's query (see `BearerCredentials`)."""
    clock: Clock = state.clock
    return BearerCredentials(bearer_token(request), clock())


def provide_principal(request: Request[Any, Any, Any], state: State) -> BearerCredentials:
    """`principal`: the same credentials, which `pool.unit_of_work` turns into the Principal
    (Litestar wants a provider of its own per key)."""
    return provide_bearer(request, state)


@dataclass(frozen=True)
class CallerReads:
    """The reads on the event loop (pool.loop_reads) of one request's caller, whose token
    each read checks in its own query. One dependency, not two: Litestar resolves independent
    dependencies in a task group of their own, which cost more than the read."""

    reader: LoopReader
    bearer: BearerCredentials

    async def __call__(self, read: ScopedRead[T]) -> T:
        return await self.reader.run_for(self.bearer, read)


def provide_reads(request: Request[Any, Any, Any], state: State) -> CallerReads:
    return CallerReads(state.loop_reads, provide_bearer(request, state))


# What a handler that reads on the event loop declares (as `reads`)
Reads: TypeAlias = NamedDependency[SkipValidation[CallerReads]]


SESSION_COOKIE = "pp_session"


async def provide_viewer(request: Request[Any, Any, Any], state: State) -> Principal | None:
    """Web pages only: the user signed in by the session cookie, or None (expired, revoked,
    unknown or absent). Public pages use this; the API never does. Read before the handler,
    in a database slot and a session of its own."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    if not raw:
        return None
    clock: Clock = state.clock
    now = clock()
    viewer: Principal | None = await unit_of_work.read_in_a_slot(
        state.gate, state.engine, lambda session: signed_in(session, raw, now)
    )
    return viewer


def signed_in(session: Session, raw_token: str, now: datetime) -> Principal | None:
    """The user behind a session cookie's token, or None when it is not (or no longer) one."""
    try:
        return accounts.authenticate(session, raw_token=raw_token, now=now)
    except Unauthenticated:
        return None


def provide_web_principal(viewer: NamedDependency[Principal | None]) -> Principal:
    """Web pages that need a signed-in user; the web's error handler turns this 401 into a
    redirect to the login page."""
    if viewer is None:
        raise Unauthenticated("sign in to see this page")
    return viewer


def bearer_first(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """A guard for the upload routes: their multipart body is parsed before any dependency,
    so without it a request with no token and a malformed form got 400 where every other
    route says 401. Guards run before the body is read; the token itself is checked later,
    as everywhere (`BearerCredentials`)."""
    bearer_token(connection)
