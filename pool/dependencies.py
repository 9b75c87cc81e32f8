"""Request-scoped dependencies: the one transaction per request, the clock and the caller.

The caller comes from one of two places, never both: the JSON API (`/api/v1`) reads only the
`Authorization: Bearer` header, so a browser's cookies can never authorize an API call (which
would make it forgeable from another site); the web pages read only the `pp_session` cookie,
behind CSRF protection. Both resolve the same hashed, revocable token rows."""

from collections.abc import Generator
from datetime import datetime
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlmodel import Session

from pool.auth import Principal
from pool.clock import Clock
from pool.errors import Unauthenticated
from pool.services import accounts
from pool.settings import Settings


def provide_db(state: State) -> Generator[Session, None, None]:
    """Own the request's transaction: commit after the handler succeeds, roll back otherwise.

    Litestar runs this cleanup after the response body is built and before it is sent, so
    a failed commit still turns into an error response."""
    session = Session(state.engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    else:
        session.commit()
    finally:
        session.close()


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


def provide_principal(
    request: Request[Any, Any, Any], db: NamedDependency[Session], now: NamedDependency[datetime]
) -> Principal:
    """Every non-public endpoint depends on this; a missing or bad token is 401."""
    return accounts.authenticate(db, raw_token=bearer_token(request), now=now)


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
        return accounts.authenticate(db, raw_token=raw, now=now)
    except Unauthenticated:
        return None


def provide_web_principal(viewer: NamedDependency[Principal | None]) -> Principal:
    """Web pages that need a signed-in user; the web's error handler turns this 401 into a
    redirect to the login page."""
    if viewer is None:
        raise Unauthenticated("sign in to see this page")
    return viewer
