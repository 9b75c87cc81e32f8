"""What the transport says about a request, and what the service says back: the client
address and scheme come from `X-Forwarded-*` only through a trusted proxy
(`PATENTPOOL_FORWARDED_ALLOW_IPS`, none by default), and the throttle and the access log
follow them; HTTPS answers carry HSTS (API and pages); no answer names the server.

The app is tested through Litestar's client, and under real uvicorn with the options
`patentpool serve` passes (`pool.cli.server_options`); tests/pool/test_cli.py checks that the
command passes them."""

import logging
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.cli import server_options
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.live_server import serving
from tests.pool.conftest import PASSWORD, World, app_for

HSTS = "max-age=31536000; includeSubDomains"
HTTPS = "https://testserver.local"  # the scope's scheme follows the URL's
PER_ADDRESS = 8  # the tests' PATENTPOOL_LOGIN_MAX_FAILURES_PER_ADDRESS
PROXY = "127.0.0.1"  # where the live server's requests come from


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, login_max_failures_per_address=PER_ADDRESS)


def served(settings: Settings, engine: Engine, clock: FakeClock) -> Iterator[httpx.Client]:
    """The app under uvicorn, with the options `patentpool serve` gives it for `settings`."""
    app = app_for(settings, engine, clock)
    with serving(app, **server_options(settings)) as url, httpx.Client(base_url=url) as client:
        yield client


@pytest.fixture
def direct(settings: Settings, engine: Engine, clock: FakeClock) -> Iterator[httpx.Client]:
    """Served with the default: no proxy trusted."""
    assert Settings.from_env({}).forwarded_allow_ips == ""
    yield from served(settings, engine, clock)


@pytest.fixture
def proxied(settings: Settings, engine: Engine, clock: FakeClock) -> Iterator[httpx.Client]:
    """Served behind a trusted proxy on this machine."""
    trusted = Settings.from_env({"PATENTPOOL_FORWARDED_ALLOW_IPS": PROXY}).forwarded_allow_ips
    yield from served(replace(settings, forwarded_allow_ips=trusted), engine, clock)


def access_clients(caplog: pytest.LogCaptureFixture, count: int) -> list[str]:
    """The client of each access line, once `count` are logged: the server logs a request
    after its answer is sent, so the line may come a moment after the client has it."""
    for _ in range(500):
        lines = [r for r in caplog.records if r.name == "patentpool.access"]
        if len(lines) >= count:
            return [r.fields["client"] for r in lines]
        time.sleep(0.01)
    return [r.fields["client"] for r in caplog.records if r.name == "patentpool.access"]


def login(client: httpx.Client | TestClient, email: str, password: str, via: str = "") -> int:
    headers = {"X-Forwarded-For": via} if via else {}
    body = {"email": email, "password": password}
    return client.post("/api/v1/auth/login", json=body, headers=headers).status_code


# ---------------------------------------------------------------- headers


PATHS = ("/api/v1/public/pools", "/login", "/health/live", "/api/v1/nothing", "/nothing")


def test_https_answers_carry_hsts_on_the_api_and_the_pages(
    client: TestClient, world: World
) -> None:
    for path in PATHS:
        assert client.get(HTTPS + path).headers.get("strict-transport-security") == HSTS, path
        assert "strict-transport-security" not in client.get(path).headers, path  # plain HTTP
    body = {"email": "x@example.org", "password": "x"}
    refused = client.post(HTTPS + "/api/v1/auth/login", json=body)
    assert refused.status_code == 401
    assert refused.headers["strict-transport-security"] == HSTS


def test_the_app_never_sends_a_server_header(client: TestClient, world: World) -> None:
    for path in (*PATHS, "/static/htmx.min.js", "/schema/openapi.json"):
        assert "server" not in client.get(path).headers, path
        assert "server" not in client.get(HTTPS + path).headers, path
    assert "server" not in client.post("/api/v1/auth/login", json={}).headers


def test_served_without_a_trusted_proxy_forwarded_headers_are_ignored(
    direct: httpx.Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="patentpool.access")
    spoofed = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    answer = direct.get("/api/v1/public/pools", headers=spoofed)
    assert answer.status_code == 200
    assert "server" not in answer.headers  # nor uvicorn's
    assert "strict-transport-security" not in answer.headers  # the request was plain HTTP
    assert access_clients(caplog, 1) == [PROXY]
    # a new X-Forwarded-For per guess does not escape the throttle: all count for the peer
    for n in range(PER_ADDRESS):
        assert login(direct, f"user{n}@example.org", "guess", via=f"198.51.100.{n}") == 401
    assert login(direct, "sme@example.org", PASSWORD, via="198.51.100.99") == 429


def test_behind_a_trusted_proxy_the_forwarded_client_and_scheme_count(
    proxied: httpx.Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="patentpool.access")
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    answer = proxied.get("/login", headers=forwarded)
    assert answer.headers["strict-transport-security"] == HSTS
    assert "server" not in answer.headers
    assert "strict-transport-security" not in proxied.get("/login").headers
    assert access_clients(caplog, 2) == ["203.0.113.7", PROXY]


def test_behind_a_trusted_proxy_accounts_lock_everywhere_and_addresses_one_by_one(
    proxied: httpx.Client, world: World
) -> None:
    for n in range(5):  # one account guessed from five addresses: locked from any
        assert login(proxied, "uni@example.org", "guess", via=f"203.0.113.{n}") == 401
    assert login(proxied, "uni@example.org", PASSWORD, via="203.0.113.200") == 429
    for n in range(PER_ADDRESS):  # one address sprays many accounts: that address is stopped
        assert login(proxied, f"user{n}@example.org", "guess", via="198.51.100.9") == 401
    assert login(proxied, "sme@example.org", PASSWORD, via="198.51.100.9") == 429
    # ... while other users behind the same proxy sign in
    assert login(proxied, "sme@example.org", PASSWORD, via="198.51.100.10") == 200
