"""Signing in tells nothing about which accounts exist: an unknown e-mail or a disabled user
costs one argon2 verification, exactly as a wrong password does (counted through the app's
hasher seam, never timed), and gets the same answer. Failures lock one account early and one
client address late, so the other users behind a NAT still sign in (the address as a trusted
proxy reports it: tests/pool/hostile/test_transport_headers.py)."""

from dataclasses import replace
from typing import Any

import pytest
from argon2 import PasswordHasher, extract_parameters
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.user import User
from pool.services import accounts
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import PASSWORD, World
from tests.web.conftest import post_form

PER_ADDRESS = 8  # the tests' limit per client address (PATENTPOOL_LOGIN_MAX_FAILURES_PER_ADDRESS)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """5 failures per e-mail, as by default; a per-address limit a test can reach quickly."""
    assert settings.login_max_failures == 5
    return replace(settings, login_max_failures_per_address=PER_ADDRESS)


class CountingHasher(PasswordHasher):
    """The app's real hasher (same parameters), noting every hash it is asked to verify."""

    def __init__(self, real: PasswordHasher) -> None:
        super().__init__(
            time_cost=real.time_cost,
            memory_cost=real.memory_cost,
            parallelism=real.parallelism,
            hash_len=real.hash_len,
            salt_len=real.salt_len,
            type=real.type,
        )
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append(hash.decode() if isinstance(hash, bytes) else hash)
        return super().verify(hash, password)


@pytest.fixture
def hasher(client: TestClient, settings: Settings) -> CountingHasher:
    """Installed where every handler gets its hasher from: the app's state."""
    counting = CountingHasher(accounts.password_hasher(settings))
    client.app.state.hasher = counting
    return counting


def stored_hash(engine: Engine, email: str) -> str:
    with session_scope(engine) as session:
        return session.exec(select(User.password_hash).where(User.email == email)).one()


def api_login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def refusal(response: Any) -> tuple[int, dict[str, Any]]:
    body = {k: v for k, v in response.json().items() if k not in ("instance", "request_id")}
    return response.status_code, body


def test_an_unknown_email_verifies_one_hash_with_the_real_parameters_and_is_refused_alike(
    client: TestClient, world: World, hasher: CountingHasher, engine: Engine
) -> None:
    wrong = api_login(client, "uni@example.org", "not the password")
    assert hasher.verified == [stored_hash(engine, "uni@example.org")]
    hasher.verified.clear()
    unknown = api_login(client, "nobody@example.org", "not the password")
    assert len(hasher.verified) == 1  # not zero: the cheap answer was the leak
    dummy = hasher.verified[0]
    assert extract_parameters(dummy) == extract_parameters(stored_hash(engine, "uni@example.org"))
    assert refusal(unknown) == refusal(wrong)
    assert wrong.status_code == 401
    hasher.verified.clear()
    api_login(client, "someone.else@example.org", PASSWORD)
    assert hasher.verified == [dummy]  # made once, not per request


def test_a_disabled_user_verifies_one_hash_and_is_refused_even_with_the_right_password(
    client: TestClient, world: World, hasher: CountingHasher, engine: Engine
) -> None:
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.email == "uni@example.org")).one()
        user.is_active = False
        session.add(user)
    right = api_login(client, "uni@example.org", PASSWORD)
    wrong = api_login(client, "uni@example.org", "not the password")
    assert len(hasher.verified) == 2
    assert refusal(right) == refusal(wrong)
    assert right.status_code == 401


def test_the_web_sign_in_verifies_one_hash_for_an_unknown_email_too(
    client: TestClient, world: World, hasher: CountingHasher
) -> None:
    wrong = post_form(client, "/login", {"email": "uni@example.org", "password": "nope"})
    assert len(hasher.verified) == 1
    unknown = post_form(client, "/login", {"email": "nobody@example.org", "password": "nope"})
    assert len(hasher.verified) == 2
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong e-mail or password." in unknown.text
    right = post_form(client, "/login", {"email": "uni@example.org", "password": PASSWORD})
    assert right.status_code == 303
    assert len(hasher.verified) == 3


def test_a_locked_account_does_not_lock_out_another_user_at_the_same_address(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    for _ in range(5):
        assert api_login(client, "uni@example.org", "guess").status_code == 401
    assert api_login(client, "uni@example.org", PASSWORD).status_code == 429  # locked
    # the same client address (one NAT, one proxy): another account signs in, API and web
    assert api_login(client, "sme@example.org", PASSWORD).status_code == 200
    assert (
        post_form(client, "/login", {"email": "lab@example.org", "password": PASSWORD}).status_code
        == 303
    )
    web = post_form(client, "/login", {"email": "uni@example.org", "password": PASSWORD})
    assert web.status_code == 429
    clock.advance(minutes=16)
    assert api_login(client, "uni@example.org", PASSWORD).status_code == 200


def test_one_address_spraying_many_accounts_is_stopped_at_the_looser_limit(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    for n in range(PER_ADDRESS):  # one failure each: no account reaches its own limit
        assert api_login(client, f"user{n}@example.org", "guess").status_code == 401
    blocked = api_login(client, "sme@example.org", PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) == 15 * 60
    assert (
        post_form(client, "/login", {"email": "sme@example.org", "password": PASSWORD}).status_code
        == 429
    )
    clock.advance(minutes=16)
    assert api_login(client, "sme@example.org", PASSWORD).status_code == 200


def test_the_per_address_limit_is_a_setting_looser_than_the_per_account_one() -> None:
    defaults = Settings.from_env({})
    assert (defaults.login_max_failures, defaults.login_max_failures_per_address) == (5, 50)
    configured = Settings.from_env({"PATENTPOOL_LOGIN_MAX_FAILURES_PER_ADDRESS": "200"})
    assert configured.login_max_failures_per_address == 200
