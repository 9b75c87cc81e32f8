"""Password sign-in, so that neither its answer, nor its cost, nor its throttle tells whether an
account exists: every attempt verifies exactly one argon2 hash (an unknown e-mail's against a
dummy made with the same parameters; a disabled user's against their own, refused whatever it
says), and failures are throttled strictly per e-mail and loosely per client address."""

import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.errors import TooManyAttempts
from pool.models.user import ApiToken, LoginAttempt, User, normalise_email
from pool.services.accounts.tokens import issue_token
from pool.settings import Settings

CLIENT_LENGTH = 64  # as `LoginAttempt.client`


def check_throttle(
    session: Session, *, email: str, client: str, now: datetime, settings: Settings
) -> None:
    """429 once this e-mail has failed `login_max_failures` times in the window, or this
    address `login_max_failures_per_address` times (whatever the e-mails): guessing one
    account stops early, spraying many from one address later, and the other users behind a
    NAT or proxy still sign in when one of them is locked out."""
    client = client[:CLIENT_LENGTH]
    per_email, per_address = session.exec(
        select(
            func.count().filter(col(LoginAttempt.email) == email),
            func.count().filter(col(LoginAttempt.client) == client),
        ).where(
            col(LoginAttempt.at) >= now - timedelta(minutes=settings.login_window_minutes),
            ~col(LoginAttempt.succeeded),
            (col(LoginAttempt.email) == email) | (col(LoginAttempt.client) == client),
        )
    ).one()
    if (
        per_email >= settings.login_max_failures
        or per_address >= settings.login_max_failures_per_address
    ):
        raise TooManyAttempts(
            "too many failed logins; try again later",
            retry_after_seconds=settings.login_window_minutes * 60,
        )


def record_attempt(
    session: Session, *, email: str, client: str, now: datetime, succeeded: bool
) -> None:
    session.add(
        LoginAttempt(email=email, client=client[:CLIENT_LENGTH], at=now, succeeded=succeeded)
    )


def login(
    session: Session,
    *,
    email: str,
    password: str,
    client: str,
    now: datetime,
    settings: Settings,
    hasher: PasswordHasher,
) -> tuple[User, ApiToken, str] | None:
    """Check the password. A failure returns None instead of raising, so that the caller's
    transaction still commits the recorded attempt and throttling sees it."""
    try:
        email = normalise_email(email)
    except ValueError:
        email = email.strip().lower()[:254]
    check_throttle(session, email=email, client=client, now=now, settings=settings)
    user = session.exec(select(User).where(User.email == email)).first()
    stored = user.password_hash if user is not None else dummy_hash(hasher)
    verified = verify(hasher, stored, password)  # always exactly one verification
    ok = verified and user is not None and user.is_active
    record_attempt(session, email=email, client=client, now=now, succeeded=ok)
    if not ok or user is None:
        return None
    expires = now + timedelta(hours=settings.session_token_hours)
    token, raw = issue_token(
        session, user=user, name="login", kind="session", now=now, expires_at=expires
    )
    return user, token, raw


def verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def dummy_hash(hasher: PasswordHasher) -> str:
    """A hash nobody knows the password of, with the parameters `hasher` gives real hashes,
    so verifying against it costs what a wrong password costs."""
    return _dummy_hash(
        hasher.time_cost,
        hasher.memory_cost,
        hasher.parallelism,
        hasher.hash_len,
        hasher.salt_len,
        hasher.type,
    )


@lru_cache(maxsize=8)
def _dummy_hash(
    time_cost: int, memory_cost: int, parallelism: int, hash_len: int, salt_len: int, kind: Type
) -> str:
    """Made once per set of parameters and process (`pool.app.app_state` makes it at start)."""
    maker = PasswordHasher(
        time_cost=time_cost,
        memory_cost=memory_cost,
        parallelism=parallelism,
        hash_len=hash_len,
        salt_len=salt_len,
        type=kind,
    )
    return maker.hash(secrets.token_urlsafe(32))
