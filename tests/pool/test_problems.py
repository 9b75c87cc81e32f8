"""Every error is an RFC 9457 problem: clear, typed, with the request id; never a 500."""

from typing import Any

from httpx import Response
from litestar.testing import TestClient

from tests.pool.conftest import World


def assert_problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://patentpool.dev/problems/")
    assert body["title"]
    assert body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return dict(body)


def test_unknown_route(client: TestClient) -> None:
    body = assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert body["instance"] == "/api/v1/nothing-here"


def test_wrong_method(client: TestClient, world: World) -> None:
    assert_problem(client.delete("/api/v1/pools", headers=world.admin.headers), 405)


def test_malformed_json(client: TestClient, world: World) -> None:
    r = client.post(
        "/api/v1/pools",
        content=b"{not json",
        headers={**world.admin.headers, "Content-Type": "application/json"},
    )
    assert r.status_code in (400, 422)
    assert r.headers["content-type"].startswith("application/problem+json")


def test_missing_fields_are_all_listed(client: TestClient, world: World) -> None:
    body = assert_problem(client.post("/api/v1/pools", json={}, headers=world.admin.headers), 422)
    fields = {e["field"] for e in body["errors"]}
    assert {"name", "technology_field", "currency"} <= fields


def test_wrong_types_in_the_path_and_query(client: TestClient, world: World) -> None:
    assert client.get("/api/v1/pools/abc", headers=world.admin.headers).status_code == 404
    assert_problem(client.get("/api/v1/pools?limit=0", headers=world.admin.headers), 422)
    assert_problem(client.get("/api/v1/public/pools/1/patents?on=yesterday"), 422)


def test_oversized_json_is_413(client: TestClient, world: World) -> None:
    big = {"name": "x" * 6_000_000}
    assert_problem(client.post("/api/v1/pools", json=big, headers=world.admin.headers), 413)


def test_unauthenticated_problem_has_a_challenge(client: TestClient) -> None:
    r = client.get("/api/v1/pools")
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
