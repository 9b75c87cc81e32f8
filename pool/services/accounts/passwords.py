"""Users and passwords: creation and password change, which ends the user's other sessions (the
sign-in itself is `signin`)."""

from datetime import datetime

from argon2 import PasswordHasher
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, FieldError, InvalidInput, NotFound
from pool.models.organisation import Organisation, OrganisationKind
from pool.models.user import ORGANISATION_ROLES, ApiToken, Role, User, UserCreate
from pool.rendering import Phrase
from pool.services import audit
from pool.services.accounts.signin import check_throttle, record_attempt, verify
from pool.services.audit.snapshot import snapshot
from pool.settings import Settings


def password_hasher(settings: Settings) -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
    )


def create_user(
    session: Session, *, data: UserCreate, hasher: PasswordHasher, actor: audit.Actor, now: datetime
) -> User:
    """Organisation roles (contributor, licensee) must name an existing organisation."""
    if data.role in ORGANISATION_ROLES and data.organisation_id is None:
        raise InvalidInput.field(
            "organisation_id", Phrase("a %(role)s belongs to an organisation", role=data.role)
        )
    organisation = (
        None if data.organisation_id is None else session.get(Organisation, data.organisation_id)
    )
    if data.organisation_id is not None and organisation is None:
        raise InvalidInput.field("organisation_id", "no such organisation")
    if data.role == Role.EVALUATOR and (
        organisation is None or organisation.kind != OrganisationKind.EVALUATION_AGENCY
    ):
        raise InvalidInput.field("organisation_id", "an evaluator belongs to an evaluation agency")
    if session.exec(select(User.id).where(User.email == data.email)).first() is not None:
        raise Conflict(Phrase("a user with e-mail %(email)s already exists", email=data.email))
    user = User(
        email=data.email,
        display_name=data.display_name,
        password_hash=hasher.hash(data.password),
        role=data.role,
        organisation_id=data.organisation_id,
        created_at=now,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.created",
        entity_type="user",
        entity_id=user.id,
        after=snapshot(user),
        now=now,
    )
    return user


PASSWORD_MIN_LENGTH = 12  # as `UserCreate`
PASSWORD_MAX_LENGTH = 200


def _new_password_faults(current: str, new: str) -> list[FieldError]:
    if len(new) < PASSWORD_MIN_LENGTH:
        message = f"must be at least {PASSWORD_MIN_LENGTH} characters"
    elif len(new) > PASSWORD_MAX_LENGTH:
        message = f"must be at most {PASSWORD_MAX_LENGTH} characters"
    elif new == current:
        message = "must differ from the current password"
    else:
        return []
    return [FieldError(message=message, field="new_password")]


def change_password(
    session: Session,
    *,
    principal: Principal,
    current_password: str,
    new_password: str,
    client: str,
    now: datetime,
    settings: Settings,
    hasher: PasswordHasher,
) -> InvalidInput | None:
    """Replace the caller's password after checking the current one, and end their other
    sessions (API tokens stay: scripts are revoked one by one).

    A wrong current password counts as a failed login (same throttle as `login`), so a stolen
    session cannot guess it. The refusal is *returned*, not raised, so that the caller's
    transaction commits the recorded attempt; throttling raises `TooManyAttempts`."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound("user not found")
    check_throttle(session, email=user.email, client=client, now=now, settings=settings)
    faults = _new_password_faults(current_password, new_password)
    if not verify(hasher, user.password_hash, current_password):
        record_attempt(session, email=user.email, client=client, now=now, succeeded=False)
        faults.insert(
            0, FieldError(message="the current password is wrong", field="current_password")
        )
    if faults:
        return InvalidInput("the password was not changed", faults)
    user.password_hash = hasher.hash(new_password)
    session.add(user)
    ended = _end_other_sessions(session, user_id=user.id or 0, keep=principal.token_id, now=now)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="user.password_changed",
        entity_type="user",
        entity_id=user.id,
        after={"sessions_ended": ended},
        now=now,
    )
    return None


def _end_other_sessions(session: Session, *, user_id: int, keep: int, now: datetime) -> list[int]:
    tokens = session.exec(
        select(ApiToken).where(
            ApiToken.user_id == user_id,
            ApiToken.kind == "session",
            col(ApiToken.revoked_at).is_(None),
            ApiToken.id != keep,
        )
    ).all()
    for token in tokens:
        token.revoked_at = now
        session.add(token)
    return sorted(token.id or 0 for token in tokens)
