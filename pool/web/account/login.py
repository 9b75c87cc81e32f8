"""Signing in and out, the password, and the language switch."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from argon2 import PasswordHasher
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.errors import TooManyAttempts
from pool.services import accounts
from pool.settings import Settings
from pool.transport import client_address
from pool.web.i18n import N_
from pool.web.locale import LANG_COOKIE, from_tag, tag
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect
from pool.web.security import (
    CSRF_COOKIE,
    SAME_SITE,
    forget_session,
    safe_next,
    secure,
    set_session_cookie,
)

WRONG_LOGIN = N_("Wrong e-mail or password.")
THROTTLED = N_("Too many failed attempts. Wait a few minutes and try again.")
NOT_CONFIRMED = N_("does not match the new password")
ONE_YEAR = 365 * 24 * 3600
Next = Annotated[str, QueryParameter(name="next", max_length=2000)]
Done = Annotated[bool, QueryParameter(name="done")]


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    next: str = ""


@dataclass
class PasswordForm:
    current_password: str = ""
    new_password: str = ""
    confirm_password: str = ""


@dataclass
class LanguageForm:
    lang: str = ""
    next: str = ""


def _throttled(error: TooManyAttempts) -> dict[str, str]:
    return {"Retry-After": str(error.retry_after_seconds)}


def _refused(
    request: Request[Any, Any, Any],
    data: LoginForm,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    """The form again with the message; the e-mail is kept, the password never echoed."""
    return page(
        request,
        "web/login.html.j2",
        None,
        status=status,
        headers=headers,
        errors=FormErrors.message(message),
        email=data.email,
        next=safe_next(data.next, ""),
    )


class AccountController(Controller):
    include_in_schema = False

    @get("/login", sync_to_thread=False)
    def login_form(
        self,
        request: Request[Any, Any, Any],
        viewer: NamedDependency[Principal | None],
        next_: Next = "",
    ) -> Response[Any]:
        """The sign-in form; a signed-in visitor goes straight on."""
        if viewer is not None:
            return redirect(safe_next(next_))
        return page(request, "web/login.html.j2", None, email="", next=next_, errors=NO_ERRORS)

    @post("/login", sync_to_thread=True)
    def login(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[LoginForm],
        db: NamedDependency[Session],
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
        hasher: NamedDependency[PasswordHasher],
    ) -> Response[Any]:
        """Check the password (throttled exactly as the API's login) and start a session."""
        try:
            outcome = accounts.login(
                db,
                email=data.email,
                password=data.password,
                client=client_address(request.scope),
                now=now,
                settings=settings,
                hasher=hasher,
            )
        except TooManyAttempts as error:
            return _refused(request, data, 429, THROTTLED, _throttled(error))
        if outcome is None:
            return _refused(request, data, 401, WRONG_LOGIN)
        _, token, raw = outcome
        response = redirect(safe_next(data.next))
        response.delete_cookie(CSRF_COOKIE, path="/")  # a fresh CSRF token for the new session
        set_session_cookie(
            response, request, settings, raw_token=raw, expires_at=token.expires_at, now=now
        )
        return response

    @post("/logout", sync_to_thread=True)
    def logout(
        self,
        db: NamedDependency[Session],
        viewer: NamedDependency[Principal | None],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """End the session: its token is revoked in the database, the cookie dropped."""
        if viewer is not None:
            accounts.revoke_token(db, principal=viewer, token_id=viewer.token_id, now=now)
        response = redirect("/login")
        forget_session(response)
        return response

    @get("/account/password", sync_to_thread=False)
    def password_form(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        done: Done = False,
    ) -> Response[str]:
        """The change-password form."""
        return page(request, "web/password.html.j2", principal, errors=NO_ERRORS, done=done)

    @post("/account/password", sync_to_thread=True)
    def change_password(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[PasswordForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
        hasher: NamedDependency[PasswordHasher],
    ) -> Response[Any]:
        """Change the password; the user's other sessions end, this one goes on."""
        template = "web/password.html.j2"
        if data.new_password != data.confirm_password:
            errors = FormErrors(fields={"confirm_password": [NOT_CONFIRMED]})
            return page(request, template, principal, status=422, errors=errors, done=False)
        try:
            refusal = accounts.change_password(
                db,
                principal=principal,
                current_password=data.current_password,
                new_password=data.new_password,
                client=client_address(request.scope),
                now=now,
                settings=settings,
                hasher=hasher,
            )
        except TooManyAttempts as error:
            errors = FormErrors.message(THROTTLED)
            return page(
                request,
                template,
                principal,
                status=429,
                headers=_throttled(error),
                errors=errors,
                done=False,
            )
        if refusal is not None:
            errors = FormErrors.of(refusal)
            return page(request, template, principal, status=422, errors=errors, done=False)
        return redirect("/account/password?done=true")

    @post("/language", sync_to_thread=False)
    def language(
        self,
        request: Request[Any, Any, Any],
        data: URLEncodedBody[LanguageForm],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        """Remember the chosen language for a year and go back to the page it was chosen on."""
        response = redirect(safe_next(data.next))
        response.set_cookie(
            LANG_COOKIE,
            tag(from_tag(data.lang) or "en"),
            max_age=ONE_YEAR,
            path="/",
            secure=secure(request, settings),
            httponly=True,
            samesite=SAME_SITE,
        )
        return response
