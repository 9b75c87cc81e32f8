"""The portal's pages take the same bounded integers as the API (issue 13): an id out of range
in a page's path is its "Page not found" page, never a 500; a query integer out of range is
its "Invalid input" page. Each page is asked by the role it belongs to."""

from httpx import Cookies
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.conftest import World
from tests.pool.hostile.kit import TOO_BIG, database_state, integer_params, url_for
from tests.web.conftest import post_form, sign_in

ROLE_OF = {"/admin": "admin", "/contributor": "uni", "/licensee": "sme"}
NOT_FOUND = "Page not found"


def _pages(client: TestClient, source: str) -> dict[tuple[str, str], set[str]]:
    pages: dict[tuple[str, str], set[str]] = {}
    for p in integer_params(client.app):
        if p.source == source and not p.path.startswith("/api/"):
            pages.setdefault((p.path, p.method), set()).add(p.name)
    return pages


def _signed_in(client: TestClient) -> dict[str, Cookies]:
    """Each role's cookies, signed in once before the database is looked at (a sign-in
    writes its session and its audit event)."""
    jars = {}
    for who in {*ROLE_OF.values(), "sme"}:
        client.cookies.clear()
        sign_in(client, f"{who}@example.org")
        jars[who] = Cookies(client.cookies)
    return jars


def _as_owner(client: TestClient, jars: dict[str, Cookies], path: str) -> None:
    client.cookies = jars[ROLE_OF.get("/" + path.split("/")[1], "sme")]


def test_an_id_out_of_range_in_a_page_is_page_not_found(
    client: TestClient, world: World, engine: Engine
) -> None:
    jars = _signed_in(client)
    before = database_state(engine)
    pages = _pages(client, "path")
    assert len(pages) > 25
    wrong = {}
    for path, method in sorted(pages):
        _as_owner(client, jars, path)
        url = url_for(path, TOO_BIG)
        if method == "GET":
            r = client.get(url, follow_redirects=False)
        else:
            r = post_form(client, url, {}, page="/")
        if r.status_code != 404 or NOT_FOUND not in r.text:
            wrong[(method, url)] = (r.status_code, r.text[:120])
    assert wrong == {}
    assert database_state(engine) == before


def test_the_public_pool_page_needs_no_sign_in(client: TestClient) -> None:
    r = client.get(f"/pools/{TOO_BIG}", follow_redirects=False)
    assert r.status_code == 404
    assert NOT_FOUND in r.text
    assert r.headers["content-type"].startswith("text/html")


def test_a_query_integer_out_of_range_in_a_page_is_invalid_input(
    client: TestClient, world: World
) -> None:
    jars = _signed_in(client)
    pages = {k: v for k, v in _pages(client, "query").items() if k[1] == "GET"}
    assert len(pages) > 5
    wrong = {}
    for (path, _), names in sorted(pages.items()):
        _as_owner(client, jars, path)
        for name in names:
            url = f"{url_for(path, world.pool_id)}?{name}={TOO_BIG}"
            r = client.get(url, follow_redirects=False)
            if r.status_code != 422 or "Invalid input" not in r.text:
                wrong[url] = (r.status_code, r.text[:120])
    assert wrong == {}
