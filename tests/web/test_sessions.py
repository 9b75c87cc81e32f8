"""Signing in and out of the web pages: cookie flags, sessions in the database, redirects,
throttling shared with the API, and the rule that cookies never authorize the API."""

import hashlib
from dataclasses import replace
from http.cookies import SimpleCookie

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.app import create_app
from pool.models.user import ApiToken
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.web.conftest import PASSWORD, World, csrf_from, post_form, sign_in


def session_cookie(response_headers: list[str]) -> SimpleCookie:
    """The `pp_session` Set-Cookie header, parsed (flags included)."""
    found = [h for h in response_headers if h.startswith("pp_session=")]
    assert len(found) == 1, response_headers
    cookie: SimpleCookie = SimpleCookie()
    cookie.load(found[0])
    return cookie


def test_a_page_needs_a_session_and_login_comes_back_to_it(
    client: TestClient, world: World
) -> None:
    response = client.get("/organisation?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/organisation%3Fx%3D1"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    back = post_form(
        client,
        "/login",
        {"email": "sme@example.org", "password": PASSWORD, "next": "/organisation?x=1"},
    )
    assert (back.status_code, back.headers["location"]) == (303, "/organisation?x=1")
    assert client.get("/organisation").status_code == 200


def test_the_session_cookie_is_httponly_lax_and_lives_as_long_as_the_token(
    client: TestClient, world: World
) -> None:
    response = sign_in(client, "sme@example.org")
    morsel = session_cookie(response.headers.get_list("set-cookie"))["pp_session"]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    assert morsel["path"] == "/"
    assert not morsel["secure"]  # plain HTTP, setting off
    assert morsel["max-age"] == str(12 * 3600)


def test_the_session_cookie_is_secure_over_https(
    settings: Settings, engine: Engine, clock: FakeClock, world: World
) -> None:
    app = create_app(settings=settings, engine=engine, clock=clock)
    with TestClient(app, base_url="https://testserver.local") as browser:
        response = sign_in(browser, "sme@example.org")
    morsel = session_cookie(response.headers.get_list("set-cookie"))["pp_session"]
    assert morsel["secure"] is True


def test_the_cookies_are_secure_when_configured_behind_a_tls_proxy(
    settings: Settings, engine: Engine, clock: FakeClock, world: World
) -> None:
    """The app sees plain HTTP from the proxy; PATENTPOOL_COOKIE_SECURE marks the cookies
    Secure anyway (a browser then sends them back over HTTPS only, so the test does)."""
    app = create_app(settings=replace(settings, cookie_secure=True), engine=engine, clock=clock)
    with TestClient(app) as browser:
        form = browser.get("/login")
        assert "secure" in form.headers["set-cookie"].lower()  # the CSRF cookie
        token = csrf_from(form)
        response = browser.post(
            "/login",
            data={"email": "sme@example.org", "password": PASSWORD, "_csrf_token": token},
            headers={"cookie": f"pp_csrf={token}"},
            follow_redirects=False,
        )
    assert response.status_code == 303
    morsel = session_cookie(response.headers.get_list("set-cookie"))["pp_session"]
    assert morsel["secure"] is True


def test_sessions_live_in_the_database_and_logout_revokes_them(
    client: TestClient, world: World, engine: Engine
) -> None:
    sign_in(client, "uni@example.org")
    raw = client.cookies["pp_session"]
    with Session(engine) as db:
        token = db.exec(
            select(ApiToken).where(
                ApiToken.user_id == world.contributor.user_id, ApiToken.kind == "session"
            )
        ).one()
        assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()  # stored hashed
    out = post_form(client, "/logout", {}, page="/")
    assert (out.status_code, out.headers["location"]) == (303, "/login")
    assert "pp_session" not in client.cookies
    with Session(engine) as db:
        stored = db.get(ApiToken, token.id)
        assert stored is not None
        assert stored.revoked_at is not None
    client.cookies.set("pp_session", raw)  # a copy of the old cookie is worth nothing
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_an_expired_session_goes_back_to_the_login_page(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    sign_in(client, "uni@example.org")
    clock.advance(hours=11)
    assert client.get("/", follow_redirects=False).status_code == 200
    clock.advance(hours=2)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_the_session_cookie_never_authorizes_the_api(client: TestClient, world: World) -> None:
    sign_in(client, "admin@example.org")
    assert client.get("/").status_code == 200
    me = client.get("/api/v1/me")
    assert me.status_code == 401
    assert me.headers["content-type"].startswith("application/problem+json")
    created = client.post(
        "/api/v1/organisations", json={"name": "X", "kind": "university", "country": "US"}
    )
    assert created.status_code == 401


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil",
        "/\tx",
        "",
    ],
)
def test_login_only_goes_on_to_this_site(client: TestClient, world: World, target: str) -> None:
    response = post_form(
        client, "/login", {"email": "sme@example.org", "password": PASSWORD, "next": target}
    )
    assert (response.status_code, response.headers["location"]) == (303, "/")


def test_a_signed_in_visitor_skips_the_login_form(client: TestClient, world: World) -> None:
    sign_in(client, "sme@example.org")
    response = client.get("/login?next=/organisation", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/organisation")


def test_a_wrong_password_is_a_readable_message_on_the_form(
    client: TestClient, world: World
) -> None:
    response = post_form(client, "/login", {"email": "sme@example.org", "password": "nope"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert "Wrong e-mail or password." in response.text
    assert 'value="sme@example.org"' in response.text  # the e-mail is kept, never the password
    assert "nope" not in response.text
    assert "pp_session" not in client.cookies


def test_failed_web_logins_are_throttled_together_with_the_api(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    for _ in range(3):
        assert (
            post_form(client, "/login", {"email": "uni@example.org", "password": "x"}).status_code
            == 401
        )
    for _ in range(2):
        api = client.post("/api/v1/auth/login", json={"email": "uni@example.org", "password": "x"})
        assert api.status_code == 401
    blocked = post_form(client, "/login", {"email": "uni@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) == 15 * 60
    assert "Too many failed attempts" in blocked.text
    assert blocked.headers["content-type"].startswith("text/html")
    api = client.post("/api/v1/auth/login", json={"email": "uni@example.org", "password": PASSWORD})
    assert api.status_code == 429
    clock.advance(minutes=16)
    sign_in(client, "uni@example.org")
