"""Errors on web pages are pages: a readable message in the visitor's language, the status
code of the problem, never a stack trace or a JSON body.

`exception_handlers` wraps the app's problem-details handlers: a request for the JSON API
(or the schema, or a health check) still gets exactly the problem it always got; any other
path gets the same status and headers as an HTML page. The problem handler still runs first,
so logging and the status mapping stay in one place (`pool.problems`).
"""

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import PermissionDeniedException
from litestar.types import ExceptionHandlersMap
from sqlmodel import Session

from pool.auth import Principal
from pool.dependencies import SESSION_COOKIE, signed_in
from pool.errors import DomainError, Overloaded, Unauthenticated
from pool.log_format import request_id_var
from pool.web.i18n import N_
from pool.web.pages import page, redirect
from pool.web.security import CSRF_COOKIE, csrf_cookie_is_stale, is_web_path

log = logging.getLogger("patentpool.web.errors")
CSRF_FAILED = "CSRF token verification failed"  # Litestar's CSRFMiddleware detail
# What a page keeps of the problem's headers: when to retry, and a 405's methods (RFC 9110).
KEPT_HEADERS = ("retry-after", "allow")

TITLES = {
    400: N_("The request could not be read"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Not allowed here"),
    409: N_("Conflict"),
    413: N_("Too large"),
    422: N_("Invalid input"),
    429: N_("Too many attempts"),
    503: N_("Service unavailable"),
}
MESSAGES = {
    400: N_("The form could not be read. Reload the page and try again."),
    403: N_("You are not allowed to do this."),
    404: N_("There is nothing here, or it is not yours to see."),
    405: N_("This page cannot be used that way."),
    409: N_("Someone changed the same thing at the same time. Nothing was saved; try again."),
    413: N_("What you sent is larger than the upload limit. Go back and choose a smaller file."),
    422: N_("Some values are not valid. Go back, check them and try again."),
    429: N_("Too many attempts. Wait a few minutes and try again."),
    503: N_("The database is busy or unreachable. Nothing was saved; try again in a moment."),
}
UNEXPECTED_TITLE = N_("Something went wrong")
UNEXPECTED = N_("An unexpected error occurred. It has been logged with the reference below.")
CSRF_TITLE = N_("This form has expired")
CSRF_MESSAGE = N_(
    "The page was open for too long, or the form was sent from another site. "
    "Reload the page and send the form again."
)

Handler = Callable[[Request[Any, Any, Any], Any], Response[Any]]


def exception_handlers(api: ExceptionHandlersMap, cookie_secret: str) -> ExceptionHandlersMap:
    """The app's handlers, each answering pages with HTML and the API as before."""
    return {kind: _either(handler, cookie_secret) for kind, handler in api.items()}


def _either(api_handler: Handler, cookie_secret: str) -> Handler:
    def handle(request: Request[Any, Any, Any], exc: Any) -> Response[Any]:
        if not is_web_path(request.url.path):
            return api_handler(request, exc)
        if isinstance(exc, Unauthenticated):
            return redirect(login_url(request))
        problem = api_handler(request, exc)  # logs, and maps the status exactly as for the API
        return error_page(request, exc, problem, cookie_secret)

    return handle


def login_url(request: Request[Any, Any, Any]) -> str:
    """Back to this page after signing in (a GET of it, whatever the method was)."""
    here = request.url.path
    if request.method == "GET" and request.url.query:
        here += "?" + request.url.query
    return "/login" if here == "/" else "/login?next=" + quote(here, safe="/")


def signed_in_viewer(request: Request[Any, Any, Any], status: int) -> Principal | None:
    """Who is signed in, so the error page keeps the menu: looked up in a short session of
    its own (the request's may be the one that failed). Never after a server or database
    error, and a failed lookup only costs the menu, never the error page."""
    if status >= 500 or not request.cookies.get(SESSION_COOKIE):
        return None
    try:
        state = request.app.state
        with Session(state.engine) as session:
            return signed_in(session, request.cookies[SESSION_COOKIE], state.clock())
    except Exception:  # the page must still be shown: without the menu
        log.warning("no viewer for the error page", exc_info=True)
        return None


def error_page(
    request: Request[Any, Any, Any], exc: Exception, problem: Response[Any], cookie_secret: str
) -> Response[str]:
    status = problem.status_code or 500
    csrf = isinstance(exc, PermissionDeniedException) and exc.detail == CSRF_FAILED
    if csrf:
        title, message = CSRF_TITLE, CSRF_MESSAGE
    elif status >= 500 and status != 503:
        title, message = UNEXPECTED_TITLE, UNEXPECTED
    else:
        title = TITLES.get(status, UNEXPECTED_TITLE)
        # an overloaded service says so in the page's language, not in the API's detail
        if isinstance(exc, DomainError) and not isinstance(exc, Overloaded):
            message = exc.detail
        else:
            message = MESSAGES.get(status, UNEXPECTED)
    headers = {k: v for k, v in problem.headers.items() if k.lower() in KEPT_HEADERS}
    response = page(
        request,
        "web/error.html.j2",
        signed_in_viewer(request, status),
        status=status,
        headers=headers,
        title=title,
        message=message,
        reference=request_id_var.get() if status >= 500 else None,
    )
    if csrf and csrf_cookie_is_stale(request, cookie_secret):
        response.delete_cookie(CSRF_COOKIE, path="/")
    return response
