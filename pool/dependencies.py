"""Request-scoped dependencies: the one transaction per request, the clock and the caller.

The caller comes from one of two places, never both: the JSON API (`/api/v1`) reads only the
`Authorization: Bearer` header, so a browser's cookies can never authorize an API call (which
would make it forgeable from another site); the web pages read only the `pp_session` cookie,
behind CSRF protection. Both resolve the same hashed, revocable token rows."""

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any, TypeAlias

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from sqlmodel import Session

from pool import unit_of_work
from pool.admission import AdmissionGate
from pool.auth import BearerCredentials, Principal
from pool.clock import Clock
from pool.errors import Unauthenticated
from pool.services import accounts
from pool.settings import Settings


async def provide_db(state: State) -> AsyncGenerator[Session, None]:
    """The request's session, once the request has a database slot (pool.admission).

    The transaction itself begins, and is committed or rolled back, inside the handler's own
    thread (`pool.unit_of_work`), so no connection or lock is held while a request waits for
    a thread. What is left here runs on the event loop: give the slot back, and close. Only a
    transaction something else left open (a lazy load while rendering) is finished here, in a
    thread of its own."""
    gate: AdmissionGate = state.gate
    await gate.enter()
    session = Session(state.engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        await unit_of_work.finish(session, commit=False)
        raise
    else:
        await unit_of_work.finish(session, commit=True)
    finally:
        gate.leave()


def provide_now(state: State) -> datetime:
    clock: Clock = state.clock
    return clock()


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def bearer_token(request: Request[Any, Any, Any]) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send 'Authorization: Bearer <token>'")
    return token.strip()


# What an API handler declares to receive the caller. Litestar validates dependencies before
# the handler's thread, where `pool.unit_of_work` turns the `BearerCredentials` into the
# Principal: hence no validation here.
Caller: TypeAlias = NamedDependency[SkipValidation[Principal]]


def provide_principal(request: Request[Any, Any, Any], state: State) -> BearerCredentials:
    """Every non-public endpoint depends on this; a missing header is 401 at once, a bad
    token 401 from the handler's thread (see `BearerCredentials`)."""
    clock: Clock = state.clock
    return BearerCredentials(bearer_token(request), clock())


SESSION_COOKIE = "pp_session"


def provide_viewer(
    request: Request[Any, Any, Any], db: NamedDependency[Session], now: NamedDependency[datetime]
) -> Principal | None:
    """Web pages only: the user signed in by the session cookie, or None (expired, revoked,
    unknown or absent). Public pages use this; the API never does."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    if not raw:
        return None
    try:
        with unit_of_work.read_only(db):
            return accounts.authenticate(db, raw_token=raw, now=now)
    except Unauthenticated:
        return None


def provide_web_principal(viewer: NamedDependency[Principal | None]) -> Principal:
    """Web pages that need a signed-in user; the web's error handler turns this 401 into a
    redirect to the login page."""
    if viewer is None:
        raise Unauthenticated("sign in to see this page")
    return viewer
