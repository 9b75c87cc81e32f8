"""`Idempotency-Key`: a retried submission replays the stored response instead of acting twice.

Keys are scoped per user (two users may pick the same key). The stored record is written in
the same transaction as the change it describes, so either both exist or neither does; two
concurrent first attempts with one key collide on the unique (user, key) constraint and the
loser is rolled back (409, retry-able, and the retry then replays).
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from pool.auth import Principal
from pool.errors import FieldError, InvalidInput
from pool.models.reporting import IdempotencyRecord
from pool.rendering import Phrase

MAX_KEY_LENGTH = 200


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What "the same request" means: same method, same path, byte-identical body."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            "the Idempotency-Key header is not valid",
            [
                FieldError(
                    message=Phrase(
                        "1 to %(count)s printable characters",
                        count=MAX_KEY_LENGTH,
                    ),
                    field="Idempotency-Key",
                )
            ],
        )
    return key


def _stored(
    session: Session, user_id: int, key: str, request_sha256: str
) -> IdempotencyRecord | None:
    stored = session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    ).first()
    if stored is not None and stored.request_sha256 != request_sha256:
        raise InvalidInput(
            "this Idempotency-Key was already used for a different request",
            [FieldError(message="reused with a different request", field="Idempotency-Key")],
        )
    return stored


def run(
    session: Session,
    *,
    principal: Principal,
    key: str | None,
    request_sha256: str,
    status_code: int,
    action: Callable[[], dict[str, Any]],
    now: datetime,
) -> tuple[int, dict[str, Any]]:
    """Do `action` once per (user, key); replay its stored response on a retry.

    The same key with a different request is refused (422) rather than silently replayed:
    the client has a bug, and guessing which request it meant could bill the wrong thing.
    """
    if key is None:
        return status_code, action()
    key = _check_key(key)
    stored = _stored(session, principal.user_id, key, request_sha256)
    if stored is not None:
        return stored.status_code, stored.response
    response = action()
    session.add(
        IdempotencyRecord(
            user_id=principal.user_id,
            key=key,
            request_sha256=request_sha256,
            status_code=status_code,
            response=response,
            created_at=now,
        )
    )
    session.flush()
    return status_code, response
