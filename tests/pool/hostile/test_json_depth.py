"""JSON nested 100,000 levels deep (issue 13) made the decoder raise `RecursionError`: a 500,
on `/api/v1/auth/login` without signing in. Every JSON body is now measured before it is
decoded, by the app's request class: deeper than 64 arrays and objects is a 400 problem."""

from litestar.enums import RequestEncodingType
from litestar.params import BodyKwarg
from litestar.routes import HTTPRoute
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.bounds import MAX_JSON_DEPTH, nested_too_deep
from tests.pool.conftest import World
from tests.pool.hostile.kit import database_state, url_for
from tests.pool.test_problems import assert_problem

LOGIN = "/api/v1/auth/login"
JSON = {"Content-Type": "application/json"}
TOO_DEEP = f"nested more than {MAX_JSON_DEPTH} levels deep"


def arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def objects(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def test_login_with_json_nested_100000_deep_is_a_400(client: TestClient, engine: Engine) -> None:
    before = database_state(engine)
    for body in (
        arrays(100_000),
        objects(100_000),
        b'{"email": "a@example.org", "password": "x", "extra": ' + arrays(100_000) + b"}",
    ):
        problem = assert_problem(client.post(LOGIN, content=body, headers=JSON), 400)
        assert TOO_DEEP in problem["detail"]
    assert database_state(engine) == before


def test_the_limit_is_64_levels(client: TestClient, world: World) -> None:
    at_limit = client.post(LOGIN, content=arrays(MAX_JSON_DEPTH), headers=JSON)
    assert at_limit.status_code == 422, at_limit.text  # decoded: a list is not a login
    over = assert_problem(client.post(LOGIN, content=arrays(MAX_JSON_DEPTH + 1), headers=JSON), 400)
    assert TOO_DEEP in over["detail"]


def test_brackets_inside_strings_do_not_count(client: TestClient, world: World) -> None:
    password = '[{"' * 150 + '\\"[['
    r = client.post(
        LOGIN,
        json={"email": "sme@example.org", "password": password[:200]},
        headers=JSON,
    )
    assert r.status_code == 401, r.text  # read, and refused as a wrong password


def _json_bodies(client: TestClient) -> list[tuple[str, str]]:
    """Every API operation that takes a JSON body."""
    found = []
    for route in client.app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None:
                continue
            kwarg = data.kwarg_definition
            if isinstance(kwarg, BodyKwarg) and kwarg.media_type != RequestEncodingType.JSON:
                continue
            found.extend((route.path, m) for m in handler.http_methods if m != "OPTIONS")
    return found


def test_every_json_body_is_measured_before_it_is_decoded(
    client: TestClient, world: World, engine: Engine
) -> None:
    operations = _json_bodies(client)
    assert len(operations) >= 30
    before = database_state(engine)
    wrong = {}
    for path, method in operations:
        url = url_for(path, world.pool_id)
        for body in (arrays(100_000), objects(MAX_JSON_DEPTH + 1)):
            r = client.request(method, url, content=body, headers={**world.admin.headers, **JSON})
            if r.status_code != 400 or TOO_DEEP not in r.json()["detail"]:
                wrong[(method, url)] = (r.status_code, r.text[:200])
    assert wrong == {}
    assert database_state(engine) == before


def test_the_scan_reads_strings_as_json_does() -> None:
    assert not nested_too_deep(b'["' + b"[" * 100 + b'"]')
    assert not nested_too_deep(b'["\\"' + b"[" * 100 + b'"]')  # an escaped quote
    assert nested_too_deep(b'["\\\\"' + arrays(100) + b"]")  # an escaped backslash
    assert not nested_too_deep(b'"unclosed' + arrays(100))  # all string, as a decoder reads it
    assert nested_too_deep(b"[" * 100 + b'"unclosed')  # a decoder would go 100 deep first
    assert not nested_too_deep(b"[]" * 10_000)  # wide is not deep
