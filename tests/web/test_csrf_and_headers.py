"""CSRF refusal on every form post, the token in every form, and the security headers."""

import re
from dataclasses import replace

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.app import create_app
from pool.settings import Settings
from pool.web.security import cookie_secret
from tests.conftest import FakeClock
from tests.web.conftest import PASSWORD, World, csrf_from, sign_in

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)


def assert_refused_as_a_page(response_text: str, status: int, content_type: str) -> None:
    assert status == 403
    assert content_type.startswith("text/html")
    assert "This form has expired" in response_text
    assert "Reload the page" in response_text


def test_a_login_post_without_the_token_is_refused_with_a_readable_page(
    client: TestClient, world: World
) -> None:
    client.get("/login")  # has the cookie, but the form field is missing
    response = client.post(
        "/login", data={"email": "sme@example.org", "password": PASSWORD}, follow_redirects=False
    )
    assert_refused_as_a_page(response.text, response.status_code, response.headers["content-type"])
    assert "pp_session" not in client.cookies


def test_a_post_from_another_site_is_refused(
    client: TestClient, browser: TestClient, world: World
) -> None:
    """The attacker's page can post a token of its own, but not the victim's cookie's twin."""
    sign_in(client, "sme@example.org")
    attacker_token = csrf_from(browser.get("/login"))
    forged = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "attacker chose this",
            "confirm_password": "attacker chose this",
            "_csrf_token": attacker_token,
        },
        follow_redirects=False,
    )
    assert_refused_as_a_page(forged.text, forged.status_code, forged.headers["content-type"])
    logout = client.post("/logout", follow_redirects=False)  # no token at all
    assert logout.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_a_token_signed_with_another_secret_is_refused_and_replaced(
    settings: Settings, engine: Engine, clock: FakeClock, world: World
) -> None:
    """After the secret changes, the old cookie is dropped so the next page issues a new one."""
    old = create_app(
        settings=replace(settings, cookie_secret="old secret"), engine=engine, clock=clock
    )
    new = create_app(
        settings=replace(settings, cookie_secret="new secret"), engine=engine, clock=clock
    )
    with TestClient(old) as before:
        token = csrf_from(before.get("/login"))
    with TestClient(new) as after:
        refused = after.post(
            "/login",
            data={"email": "sme@example.org", "password": PASSWORD, "_csrf_token": token},
            headers={"cookie": f"pp_csrf={token}"},
            follow_redirects=False,
        )
        assert refused.status_code == 403
        dropped = refused.headers["set-cookie"]
        assert dropped.startswith('pp_csrf=""')
        assert "Max-Age=0" in dropped
        sign_in(after, "sme@example.org")  # the next page issues a token the new secret signed


def test_the_json_api_needs_no_csrf_token(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"email": "sme@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "pp_csrf" not in response.headers.get("set-cookie", "")


@pytest.mark.parametrize("role", ["admin", "licensee", "contributor", None])
def test_every_form_on_every_page_carries_the_token(
    client: TestClient, world: World, role: str | None
) -> None:
    emails = {
        "admin": "admin@example.org",
        "licensee": "sme@example.org",
        "contributor": "uni@example.org",
    }
    if role:
        sign_in(client, emails[role])
    pages = ["/login", "/pools", f"/pools/{world.pool_id}", "/pools/999"]
    if role:
        pages += ["/", "/organisation", "/account/password"]
    for url in pages:
        page = client.get(url)
        forms = FORM.findall(page.text)
        assert forms, url
        token = client.cookies["pp_csrf"]
        for form in forms:
            assert f'name="_csrf_token" value="{token}"' in form, (url, form)


PAGE_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def test_pages_error_pages_and_static_files_carry_the_security_headers(
    client: TestClient, world: World
) -> None:
    sign_in(client, "sme@example.org")
    for url in [
        "/login",
        "/",
        "/organisation",
        f"/pools/{world.pool_id}",
        "/pools/999",
        "/static/app.css",
        "/static/htmx.min.js",
    ]:
        response = client.get(url)
        for name, value in PAGE_HEADERS.items():
            assert response.headers[name] == value, (url, name)
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
    assert client.get("/").headers["cache-control"] == "no-store"
    assert "max-age=3600" in client.get("/static/app.css").headers["cache-control"]


def test_the_api_responses_are_unchanged(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/me", headers=world.licensee.headers)
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers
    assert "set-cookie" not in response.headers
    missing = client.get("/api/v1/nothing-here")
    assert missing.headers["content-type"].startswith("application/problem+json")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_pages_have_no_inline_script_or_style(client: TestClient, world: World) -> None:
    """Content-Security-Policy allows neither; htmx is configured by its meta tag."""
    sign_in(client, "admin@example.org")
    for url in [
        "/",
        "/login",
        "/organisation",
        "/account/password",
        f"/pools/{world.pool_id}",
        "/pools/999",
    ]:
        html = client.get(url).text
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert "<style" not in html
        assert " style=" not in html
        assert 'name="htmx-config"' in html


def test_the_csrf_secret_is_configured_or_kept_in_the_data_dir(settings: Settings) -> None:
    assert cookie_secret(replace(settings, cookie_secret="shared")) == "shared"
    first = cookie_secret(settings)
    kept = settings.data_dir / "cookie_secret"
    assert len(first) == 64
    assert kept.stat().st_mode & 0o777 == 0o600
    assert cookie_secret(settings) == first  # a restart signs with the same secret
    assert sorted(p.name for p in settings.data_dir.iterdir() if "cookie" in p.name) == [
        "cookie_secret"
    ]
