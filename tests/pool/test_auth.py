"""Password login, throttling, bearer tokens and API tokens over real HTTP."""

from httpx import Response
from litestar.testing import TestClient

from tests.conftest import FakeClock
from tests.pool.conftest import PASSWORD, World


def login(client: TestClient, email: str, password: str) -> Response:
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def test_login_gives_a_working_bearer_token(client: TestClient, world: World) -> None:
    response = login(client, "UNI@example.org ", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["role"] == "contributor"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "uni@example.org"


def test_wrong_password_is_a_401_problem(client: TestClient, world: World) -> None:
    response = login(client, "uni@example.org", "wrong password!")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "Authentication required"
    assert "token" not in response.json()


def test_repeated_failures_are_throttled_even_with_the_right_password(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    for _ in range(5):
        assert login(client, "uni@example.org", "guess").status_code == 401
    blocked = login(client, "uni@example.org", PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    clock.advance(minutes=16)
    assert login(client, "uni@example.org", PASSWORD).status_code == 200


def test_missing_or_malformed_authorization_is_401(client: TestClient, world: World) -> None:
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_session_tokens_expire(client: TestClient, world: World, clock: FakeClock) -> None:
    token = login(client, "uni@example.org", PASSWORD).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    clock.advance(hours=11)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(hours=2)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_logout_revokes_the_token(client: TestClient, world: World) -> None:
    token = login(client, "uni@example.org", PASSWORD).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_api_tokens_are_shown_once_listed_without_secret_and_revocable(
    client: TestClient, world: World
) -> None:
    created = client.post(
        "/api/v1/me/tokens", json={"name": "ci script"}, headers=world.licensee.headers
    )
    assert created.status_code == 201
    secret = created.json()["token"]
    script = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=script).json()["email"] == "sme@example.org"
    listed = client.get("/api/v1/me/tokens", headers=world.licensee.headers).json()
    assert [t["name"] for t in listed["items"]] == ["test", "ci script"]
    assert (listed["total"], listed["limit"], listed["offset"]) == (2, 50, 0)
    assert all("token" not in t for t in listed["items"])
    revoked = client.delete(
        f"/api/v1/me/tokens/{created.json()['id']}", headers=world.licensee.headers
    )
    assert revoked.status_code == 204
    assert client.get("/api/v1/me", headers=script).status_code == 401


def test_api_tokens_are_listed_a_page_at_a_time(client: TestClient, world: World) -> None:
    """The fixture's token "test" comes first; `total` counts every token, not the page."""
    for name in ("second", "third"):
        client.post("/api/v1/me/tokens", json={"name": name}, headers=world.licensee.headers)
    page = client.get(
        "/api/v1/me/tokens", params={"limit": 1, "offset": 1}, headers=world.licensee.headers
    ).json()
    assert [t["name"] for t in page["items"]] == ["second"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)


def test_a_user_cannot_revoke_another_users_token(client: TestClient, world: World) -> None:
    created = client.post(
        "/api/v1/me/tokens", json={"name": "mine"}, headers=world.licensee.headers
    )
    other = client.delete(
        f"/api/v1/me/tokens/{created.json()['id']}", headers=world.other_licensee.headers
    )
    assert other.status_code == 404
    mine = {"Authorization": f"Bearer {created.json()['token']}"}
    assert client.get("/api/v1/me", headers=mine).status_code == 200
