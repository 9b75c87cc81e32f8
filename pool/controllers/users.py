"""User accounts, managed by administrators."""

from datetime import datetime

from argon2 import PasswordHasher
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller
from pool.models.user import UserCreate, UserRead
from pool.services import accounts
from pool.services.accounts import users
from pool.services.audit.trail import Actor
from pool.services.common.pages import Page


class UserController(Controller):
    path = "/users"
    tags = ["users"]

    @get("/", sync_to_thread=True)
    def list_users(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        role: FromQuery[str | None] = None,
        organisation_id: QueryId = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[UserRead]:
        """Administrators and auditors list every user; others see only themselves."""
        return users.listing(
            db,
            principal=principal,
            role=role,
            organisation_id=organisation_id,
            limit=limit,
            offset=offset,
        )

    @post("/", sync_to_thread=True)
    def create_user(
        self,
        data: JSONBody[UserCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        hasher: NamedDependency[PasswordHasher],
    ) -> UserRead:
        """Create a user (administrators only)."""
        principal.require_admin()
        user = accounts.create_user(
            db,
            data=data,
            hasher=hasher,
            actor=Actor.of(principal),
            now=now,
        )
        return UserRead.model_validate(user)

    @get("/{user_id:int}", sync_to_thread=True)
    def get_user(
        self,
        user_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> UserRead:
        """One user: staff see anyone, others only themselves."""
        return UserRead.model_validate(users.get(db, principal=principal, user_id=user_id))
