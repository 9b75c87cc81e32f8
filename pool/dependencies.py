"""Request-scoped dependencies: the one transaction per request, the clock and the caller."""

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
