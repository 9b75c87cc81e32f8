"""Reading user accounts, scoped to what the caller may see."""

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.user import User, UserRead
from pool.services.common.pages import Page, paginate


def get(session: Session, *, principal: Principal, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not (principal.sees_everything or user.id == principal.user_id):
        raise NotFound("user not found")
    return user


def listing(
    session: Session,
    *,
    principal: Principal,
    role: str | None,
    organisation_id: int | None,
    limit: int,
    offset: int,
) -> Page[UserRead]:
    query = select(User).order_by(col(User.id))
    if not principal.sees_everything:
        query = query.where(User.id == principal.user_id)
    if role:
        query = query.where(User.role == role)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    return paginate(session, query, limit=limit, offset=offset, convert=UserRead.model_validate)
