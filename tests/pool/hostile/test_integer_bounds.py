"""Integers beyond 64 bits in a path or query (issue 13) raised `OverflowError` in the SQLite
driver, a 500, even without signing in. Every integer path or query parameter is now bounded
where Litestar parses it: a path id out of range is the 404 of a missing object, a query
integer out of range a 422 naming the parameter; nothing reaches the database."""

from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.conftest import World
from tests.pool.hostile.kit import (
    INT_PARAM,
    MAX_ID,
    MAX_INT64,
    TOO_BIG,
    database_state,
    integer_params,
    url_for,
)
from tests.pool.test_problems import assert_problem

API = "/api/v1"
OUT_OF_RANGE = (MAX_ID + 1, TOO_BIG, 10**40, 0, -1)
REQUIRED_QUERY = {  # so that a missing query parameter is not what is refused
    f"{API}/pools/{{pool_id:int}}/figures": "?year=2025",
    f"{API}/pools/{{pool_id:int}}/figures/table.csv": "?year=2025",
    f"{API}/agreements/{{agreement_id:int}}/reports/import": "?period_start=2025-04-01",
}


def test_every_integer_path_and_query_parameter_is_bounded(client: TestClient) -> None:
    params = integer_params(client.app)
    assert len({p.path for p in params}) > 100  # the API and the pages were both seen
    unbounded = [
        p for p in params if p.ge is None or p.le is None or p.ge < -(2**63) or p.le > MAX_INT64
    ]
    assert unbounded == []
    # Litestar writes a bound into the OpenAPI document as a float: it must stay exact.
    assert [p for p in params if float(p.le or 0) != p.le or float(p.ge or 0) != p.ge] == []
    ids = [p for p in params if p.source == "path" or p.name.endswith("_id")]
    assert [p for p in ids if (p.ge or 0) < 1 or (p.le or 0) > MAX_ID] == []


def _api_path_routes(client: TestClient) -> set[tuple[str, str]]:
    return {
        (p.path, p.method)
        for p in integer_params(client.app)
        if p.source == "path" and p.path.startswith(API)
    }


def _send(client: TestClient, method: str, path: str, value: int, world: World | None) -> Response:
    url = url_for(path, value) + REQUIRED_QUERY.get(path, "")
    headers = world.admin.headers if world else {}
    return client.request(method, url, headers=headers, json={})


def test_path_ids_out_of_range_are_not_found(
    client: TestClient, world: World, engine: Engine
) -> None:
    """A read is the 404 of a missing object. A change whose body is also wrong may be
    refused for its body first, exactly as for an id in range that names nothing."""
    before = database_state(engine)
    routes = _api_path_routes(client)
    wrong = {}
    for path, method in routes:
        missing = _send(client, method, path, MAX_ID, world)
        for value in OUT_OF_RANGE:
            r = _send(client, method, path, value, world)
            expected = {404} if method == "GET" else {404, missing.status_code}
            if r.status_code not in expected or r.status_code >= 500:
                wrong[(method, url_for(path, value))] = (r.status_code, r.text[:200])
            elif r.status_code == 404:
                assert r.json()["type"] == "https://patentpool.dev/problems/not-found"
    assert wrong == {}
    assert len(routes) > 60
    assert database_state(engine) == before


def test_a_valid_change_to_an_id_out_of_range_is_not_found(
    client: TestClient, world: World, engine: Engine
) -> None:
    before = database_state(engine)
    for big in (MAX_ID + 1, TOO_BIG):
        for method, path, body in (
            ("PATCH", f"/pools/{big}", {"name": "Renamed"}),
            ("PATCH", f"/organisations/{big}", {"name": "Renamed"}),
            ("POST", f"/patents/{big}/reject", {"reason": "not essential"}),
            ("POST", f"/memberships/{big}/withdraw", {"withdrawn_on": "2025-06-30"}),
            ("DELETE", f"/me/tokens/{big}", None),
        ):
            r = client.request(method, API + path, json=body, headers=world.admin.headers)
            assert_problem(r, 404)
    assert database_state(engine) == before


def test_an_id_out_of_range_reads_as_a_missing_one(client: TestClient, world: World) -> None:
    for path in ("/pools/{}", "/agreements/{}", "/public/pools/{}/patents", "/invoices/{}"):
        missing = assert_problem(
            client.get(API + path.format(MAX_ID), headers=world.admin.headers), 404
        )
        for big in (MAX_ID + 1, TOO_BIG):
            out = assert_problem(
                client.get(API + path.format(big), headers=world.admin.headers), 404
            )
            for key in ("type", "title", "status", "detail"):
                assert out[key] == missing[key], (path, key)


def test_without_signing_in_a_huge_id_is_never_a_server_error(client: TestClient) -> None:
    statuses = {  # by method and URL: a GET and a POST of one URL are two answers
        (method, url_for(path, TOO_BIG)): _send(client, method, path, TOO_BIG, None).status_code
        for path, method in _api_path_routes(client)
    }
    assert {key: s for key, s in statuses.items() if s not in (401, 404)} == {}
    assert statuses[("GET", f"{API}/public/pools/{TOO_BIG}/patents")] == 404
    # the upload routes too, whose multipart body Litestar reads before any dependency
    assert statuses[("POST", f"{API}/patents/{TOO_BIG}/evidence")] == 401


def test_the_offset_in_the_issue_is_a_422_naming_it(client: TestClient) -> None:
    body = assert_problem(client.get(f"{API}/public/pools?offset={TOO_BIG}"), 422)
    assert [e["field"] for e in body["errors"]] == ["offset"]


def test_query_integers_out_of_range_are_422_naming_them(
    client: TestClient, world: World, engine: Engine
) -> None:
    before = database_state(engine)
    queried = [
        p for p in integer_params(client.app) if p.source == "query" and p.path.startswith(API)
    ]
    assert {"offset", "limit", "pool_id", "agreement_id"} <= {p.name for p in queried}
    wrong = {}
    for p in queried:
        assert p.ge is not None
        assert p.le is not None
        for value in (TOO_BIG, int(p.le) + 1, int(p.ge) - 1):
            url = f"{url_for(p.path, world.pool_id)}?{p.name}={value}"
            r = client.request(p.method, url, headers=world.admin.headers, json={})
            named = {e.get("field") for e in r.json().get("errors", [])}
            if r.status_code != 422 or p.name not in named:
                wrong[(p.method, url)] = (r.status_code, r.text[:200])
    assert wrong == {}
    assert database_state(engine) == before


def test_the_largest_offset_is_an_empty_page(client: TestClient, world: World) -> None:
    lists = {
        p.path: p.le
        for p in integer_params(client.app)
        if p.name == "offset"
        and p.method == "GET"
        and p.path.startswith(API)
        and set(INT_PARAM.findall(p.path)) <= {"pool_id"}  # the world has no other ids
    }
    assert len(lists) > 15
    wrong = {}
    for path, largest in lists.items():
        url = f"{url_for(path, world.pool_id)}?offset={largest}"
        r = client.get(url, headers=world.admin.headers)
        if r.status_code != 200 or r.json()["items"] != [] or r.json()["offset"] != largest:
            wrong[url] = (r.status_code, r.text[:200])
    assert wrong == {}
