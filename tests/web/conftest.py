"""The web portal over real HTTP: the API suite's app, database and small world, plus a browser
that signs in through the login form (CSRF token taken from the page, as a browser posts it)."""

import re
from collections.abc import Iterator

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.app import create_app
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import PASSWORD, World, client, world

__all__ = ["PASSWORD", "World", "client", "world"]

CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_from(page: Response) -> str:
    """The token the page's forms carry (every form has the same one)."""
    found = CSRF_INPUT.search(page.text)
    assert found, f"no CSRF field on {page.url}"
    return found.group(1)


def post_form(
    client: TestClient, url: str, data: dict[str, str], *, page: str = "/login"
) -> Response:
    """GET a page for its token, then post the form with it, as a browser would."""
    token = csrf_from(client.get(page))
    return client.post(url, data={**data, "_csrf_token": token}, follow_redirects=False)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 303, response.text
    return response


@pytest.fixture
def browser(settings: Settings, engine: Engine, clock: FakeClock) -> Iterator[TestClient]:
    """A second client (its own cookie jar), for a second person on the same app."""
    app = create_app(settings=settings, engine=engine, clock=clock)
    with TestClient(app) as test_client:
        yield test_client
