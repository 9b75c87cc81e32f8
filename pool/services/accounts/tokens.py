"""Session and API tokens: issued (only their SHA-256 is stored), resolved to a principal on every
authenticated request, listed and revoked by their owner."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import (
    NotFound,
    Unauthenticated,
)
from pool.models.user import (
    ApiToken,
    ApiTokenCreate,
    ApiTokenRead,
    Role,
    User,
)
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.common.plain_reads import PlainRead, Rows, run_in

TOKEN_PREFIX = "pp_"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(
    session: Session,
    *,
    user: User,
    name: str,
    kind: str,
    now: datetime,
    expires_at: datetime | None,
) -> tuple[ApiToken, str]:
    """Create a random token; only its SHA-256 is stored, the secret is returned once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id or 0,
        name=name,
        kind=kind,
        token_hash=_hash_token(raw),
        prefix=raw[:10],
        created_at=now,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return token, raw


def create_api_token(
    session: Session, *, principal: Principal, data: ApiTokenCreate, now: datetime
) -> tuple[ApiToken, str]:
    """A long-lived token for scripts; the secret is returned once and never stored."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound("user not found")
    expires = now + timedelta(days=data.expires_in_days) if data.expires_in_days else None
    token, raw = issue_token(
        session, user=user, name=data.name, kind="api", now=now, expires_at=expires
    )
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="token.created",
        entity_type="api_token",
        entity_id=token.id,
        after=snapshot(token),
        now=now,
    )
    return token, raw


TOKEN_LOOKUP = (
    sa_select(
        col(ApiToken.id),
        col(ApiToken.expires_at),
        col(ApiToken.revoked_at),
        col(User.id),
        col(User.email),
        col(User.role),
        col(User.organisation_id),
        col(User.is_active),
    )
    .join_from(ApiToken, User, col(User.id) == col(ApiToken.user_id))
    .where(col(ApiToken.token_hash) == bindparam("hash"))
)


def authentication(*, raw_token: str, now: datetime) -> PlainRead[Principal]:
    """Resolve a bearer token to its principal; expired, revoked or unknown tokens are 401.

    Every authenticated request runs this, so it is one indexed look-up of plain columns
    (the token's unique hash, joined to its user by primary key), with no ORM objects; it runs
    in the request's transaction (`authenticate`) or on the event loop (pool.loop_reads)."""

    def answer(rows: Rows) -> Principal:
        if not rows:
            raise Unauthenticated("unknown token")
        token_id, expires_at, revoked_at, user_id, email, role, organisation_id, active = rows[0]
        if revoked_at is not None or (expires_at is not None and expires_at <= now):
            raise Unauthenticated("token expired or revoked")
        if not active:
            raise Unauthenticated("user is disabled")
        return Principal(
            user_id=user_id or 0,
            email=email,
            role=Role(role),
            organisation_id=organisation_id,
            token_id=token_id or 0,
        )

    return PlainRead(TOKEN_LOOKUP, {"hash": _hash_token(raw_token)}, answer)


def authenticate(session: Session, *, raw_token: str, now: datetime) -> Principal:
    """`authentication`, in the session's transaction."""
    return run_in(session, authentication(raw_token=raw_token, now=now))


def revoke_token(
    session: Session, *, principal: Principal, token_id: int, now: datetime
) -> ApiToken:
    """Users revoke their own tokens only; another user's token id is simply not found."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != principal.user_id:
        raise NotFound("token not found")
    if token.revoked_at is None:
        token.revoked_at = now
        session.add(token)
        audit.record(
            session,
            actor=audit.Actor.of(principal),
            action="token.revoked",
            entity_type="api_token",
            entity_id=token.id,
            after=snapshot(token),
            now=now,
        )
    return token


def list_tokens(
    session: Session, *, principal: Principal, limit: int, offset: int
) -> Page[ApiTokenRead]:
    """The caller's API tokens, oldest first, one page: a page like every list, counted by the
    database (session tokens are not listed; they end with logout or expiry)."""
    query = select(ApiToken).where(ApiToken.user_id == principal.user_id, ApiToken.kind == "api")
    return paginate(
        session,
        query.order_by(col(ApiToken.id)),
        limit=limit,
        offset=offset,
        convert=ApiTokenRead.model_validate,
    )
