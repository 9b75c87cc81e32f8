"""Signing in tells nothing about which accounts exist: an unknown e-mail or a disabled user
costs one argon2 verification, exactly as a wrong password does (counted through the app's
hasher seam, never timed), and gets the same answer."""

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
from tests.pool.conftest import PASSWORD, World
from tests.web.conftest import post_form


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
