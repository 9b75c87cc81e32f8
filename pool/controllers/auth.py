"""Login, logout, the caller's own profile and API tokens."""

from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller
from pool.errors import Unauthenticated
from pool.models.user import (
    ApiTokenCreate,
    ApiTokenIssued,
    ApiTokenRead,
    LoginRequest,
    LoginResponse,
    User,
    UserRead,
)
from pool.openapi import OWN_ACCOUNT, problem_responses
from pool.problems import on_domain_error
from pool.services import accounts
from pool.services.common.pages import Page
from pool.settings import Settings
from pool.transport import client_address

# The login answers a problem rather than raising it, so that the failed attempt it records
# is committed (throttling counts it): its answers are declared here, not read off its type.
LOGIN_ANSWERS = {
    200: ResponseSpec(LoginResponse, description="The bearer token", generate_examples=False),
    **problem_responses([401, 429], {401: "Wrong e-mail or password, or the account is disabled."}),
}


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]
    opt = {OWN_ACCOUNT: True}

    @post("/login", sync_to_thread=True, status_code=200, security=[], responses=LOGIN_ANSWERS)
    def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginRequest],
        db: NamedDependency[Session],
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
        hasher: NamedDependency[PasswordHasher],
    ) -> Response[Any]:
        """Exchange e-mail and password for a bearer token. Repeated failures are throttled."""
        outcome = accounts.login(
            db,
            email=data.email,
            password=data.password,
            client=client_address(request.scope),
            now=now,
            settings=settings,
            hasher=hasher,
        )
        if outcome is None:
            return on_domain_error(request, Unauthenticated("wrong e-mail or password"))
        user, token, raw = outcome
        return Response(
            LoginResponse(
                token=raw, expires_at=token.expires_at or now, user=UserRead.model_validate(user)
            )
        )

    @post("/logout", sync_to_thread=True, status_code=204)
    def logout(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> None:
        """Revoke the token this request was made with."""
        accounts.revoke_token(db, principal=principal, token_id=principal.token_id, now=now)


class MeController(Controller):
    path = "/me"
    tags = ["auth"]
    opt = {OWN_ACCOUNT: True}

    @get("/", sync_to_thread=True)
    def me(self, db: NamedDependency[Session], principal: Caller) -> UserRead:
        """The signed-in user."""
        return UserRead.model_validate(db.get(User, principal.user_id))

    @get("/tokens", sync_to_thread=True)
    def list_tokens(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ApiTokenRead]:
        """The caller's API tokens, oldest first (never their secrets)."""
        return accounts.list_tokens(db, principal=principal, limit=limit, offset=offset)

    @post("/tokens", sync_to_thread=True)
    def create_token(
        self,
        data: JSONBody[ApiTokenCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> ApiTokenIssued:
        """Create an API token for scripts; the secret is shown only in this response."""
        token, raw = accounts.create_api_token(db, principal=principal, data=data, now=now)
        return ApiTokenIssued(**ApiTokenRead.model_validate(token).model_dump(), token=raw)

    @delete("/tokens/{token_id:int}", sync_to_thread=True, status_code=204)
    def revoke_token(
        self,
        token_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> None:
        """Revoke one of the caller's tokens."""
        accounts.revoke_token(db, principal=principal, token_id=token_id, now=now)
