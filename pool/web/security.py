"""Browser security for the web pages: CSRF, cookies, secure headers and safe redirects.

- CSRF: Litestar's double-submit middleware. A GET sets the signed token in the `pp_csrf`
  cookie; every form posts it back in `_csrf_token` (the `form` macro adds it); a POST whose
  two copies do not match is refused with 403 before any handler runs. The JSON API, the
  OpenAPI schema and the health checks are excluded: they take no cookies.
- The token is signed with `PATENTPOOL_COOKIE_SECRET` (share it across instances); without
  it, a secret is generated once and kept in `<data dir>/cookie_secret`.
- Headers: every response outside the API gets CSP (no inline script or style), nosniff,
  `X-Frame-Options: DENY` and `Referrer-Policy: same-origin`; pages are not cached.
"""

import base64
import hashlib
import re
from datetime import datetime
from hmac import compare_digest
from typing import Any, Literal
from urllib.parse import urlsplit

from litestar import Request, Response
from litestar.config.csrf import CSRFConfig
from litestar.enums import ScopeType
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from pool.dependencies import SESSION_COOKIE
from pool.settings import Settings, kept_secret

CSRF_COOKIE = "pp_csrf"
CSRF_FIELD = "_csrf_token"  # the form field Litestar's middleware reads
NOT_WEB = ("/api", "/schema", "/health")  # JSON endpoints: no cookies, no CSRF, no page headers
SAME_SITE: Literal["lax"] = "lax"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    )
)
PAGE_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def policy_for_document(html: str) -> str:
    """The pages' policy, also allowing exactly the `<style>` elements of `html` (by their
    SHA-256): a standalone document (an invoice) carries its CSS inline, so that its printout
    and its PDF need nothing else, and nothing else inline may run or style it."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in _STYLE_ELEMENT.findall(html)
    ]
    return CONTENT_SECURITY_POLICY.replace(
        "style-src 'self'", " ".join(["style-src 'self'", *hashes])
    )


def is_web_path(path: str) -> bool:
    return not any(path == prefix or path.startswith(prefix + "/") for prefix in NOT_WEB)


def cookie_secret(settings: Settings) -> str:
    """The configured secret, else one generated on first start and kept in the data dir
    (readable by the service's user only), so restarts do not invalidate open forms. Several
    workers starting at once agree: the file appears atomically, and the first one wins."""
    if settings.cookie_secret:
        return settings.cookie_secret
    return kept_secret(settings.data_dir / "cookie_secret")


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=cookie_secret(settings),
        cookie_name=CSRF_COOKIE,
        cookie_secure=settings.cookie_secure,
        cookie_httponly=True,  # the token reaches forms from the page, never from scripts
        cookie_samesite=SAME_SITE,
        exclude=[f"^{prefix}(/|$)" for prefix in NOT_WEB],
    )


def csrf_token(request: Request[Any, Any, Any]) -> str:
    """The token of this request (set by the middleware on GET and on a verified POST)."""
    token = ScopeState.from_scope(request.scope).csrf_token
    return token if isinstance(token, str) else ""


def csrf_cookie_is_stale(request: Request[Any, Any, Any], secret: str) -> bool:
    """A cookie signed with another secret (rotated, or another instance's): the middleware
    never replaces a cookie it is sent, so the refusal page deletes it."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) <= CSRF_SECRET_LENGTH:
        return token is not None
    expected = generate_csrf_hash(token[:CSRF_SECRET_LENGTH], secret)
    return not compare_digest(token[CSRF_SECRET_LENGTH:], expected)


def secure(request: Request[Any, Any, Any], settings: Settings) -> bool:
    return settings.cookie_secure or request.url.scheme == "https"


def set_session_cookie(
    response: Response[Any],
    request: Request[Any, Any, Any],
    settings: Settings,
    *,
    raw_token: str,
    expires_at: datetime | None,
    now: datetime,
) -> None:
    lifetime = int((expires_at - now).total_seconds()) if expires_at else None
    response.set_cookie(
        SESSION_COOKIE,
        raw_token,
        max_age=lifetime,
        path="/",
        secure=secure(request, settings),
        httponly=True,
        samesite=SAME_SITE,
    )


def forget_session(response: Response[Any]) -> None:
    """Drop the session cookie, and the CSRF cookie with it: the next page issues a fresh
    token, so a token seen before login (or logout) is never reused after it."""
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: absolute URLs, `//host`, backslashes and control characters
    (all ways off-site) fall back to `default`."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def secure_headers_middleware(app: ASGIApp) -> ASGIApp:
    """Add the page headers to every response outside the JSON endpoints (pages, error pages,
    static files), without replacing a header a handler chose."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or not is_web_path(scope["path"]):
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in PAGE_HEADERS if name not in present]
                if not scope["path"].startswith("/static/") and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
