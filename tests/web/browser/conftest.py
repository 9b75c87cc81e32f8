"""Browser tests: the real app under uvicorn on a free local port, driven by Debian's headless
Chromium through Playwright (the Python package only; no browser download).

What a browser test gets (its API is shared by every role's tests: keep it stable):

- `live_server`: the app of `pool.app.create_app` with the suite's settings, engine (the
  per-test database) and fake clock, served by uvicorn in a background thread;
  `live_server.url` is its origin.
- `page`: a fresh browser context (1280x900, English, `base_url` = the live server) and its
  page. The test FAILS if any request leaves the service (another host or port; the request
  is aborted and listed) or if the page reports a Content-Security-Policy violation.
- `phone_page`: the same at phone size (390x844, touch).
- `login(page, caller)`: sign in through the form as one of the world's callers (`world.admin`,
  `world.licensee`, ...), ending on the home page.
- `screenshot(page, name)`: a full-page PNG `<name>.png`, written to `docs/screenshots/` only
  with `--screenshots` (the explicit refresh), to a temporary folder otherwise.

Mark the tests `@pytest.mark.browser` (every test under this folder gets it anyway). They run
in the normal test command on both databases: keep them few and fast.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    ViewportSize,
    sync_playwright,
)
from sqlalchemy import Engine

from pool.app import create_app
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.live_server import serving
from tests.pool.conftest import PASSWORD, Caller

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (`apt-get install chromium`)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent

__all__ = ["LiveServer", "login", "screenshot"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under this folder is a browser test, and database-free: what the browser does
    with a page (scripts, layout, forms) does not depend on the database behind it, and each
    page is requested on both databases by the HTTP tests under tests/web."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.database_free)


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:<port>, no trailing slash


@pytest.fixture
def live_server(settings: Settings, engine: Engine, clock: FakeClock) -> Iterator[LiveServer]:
    """The real app on a free port, for this test's database and clock."""
    app = create_app(settings=settings, engine=engine, clock=clock)
    try:
        with serving(app) as url:
            yield LiveServer(url=url)
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session (each test gets its own context)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield browser
    browser.close()


@dataclass
class Guard:
    """Requests that tried to leave the service, and CSP violations the page reported."""

    origin: str
    outside: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def check(self) -> None:
        problems = [f"request outside the service: {url}" for url in self.outside]
        problems += [f"Content-Security-Policy violation: {text}" for text in self.csp]
        if problems:
            pytest.fail("\n".join(problems))


def _open(
    chromium: Browser, live_server: LiveServer, *, phone: bool
) -> tuple[BrowserContext, Page, Guard]:
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-US",
        timezone_id="UTC",
        viewport=PHONE if phone else DESKTOP,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(TIMEOUT_MS)
    guard = Guard(origin=live_server.url)
    context.route("**/*", guard.route)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            guard.csp.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return context, page, guard


@pytest.fixture
def page(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A desktop-size page on the live server; fails the test on a request outside it."""
    context, opened, guard = _open(chromium, live_server, phone=False)
    yield opened
    context.close()
    guard.check()


@pytest.fixture
def phone_page(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    """The same at phone size."""
    context, opened, guard = _open(chromium, live_server, phone=True)
    yield opened
    context.close()
    guard.check()


def login(page: Page, caller: Caller) -> None:
    """Sign in through the login form as `caller` (one of the world's), ending on `/`."""
    me = page.request.get("/api/v1/me", headers=caller.headers)
    assert me.ok, me.text()
    page.goto("/login")
    page.fill("#f-email", me.json()["email"])
    page.fill("#f-password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


_SHOTS: dict[str, Path] = {}


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`docs/screenshots` only when asked (`pytest tests/web/browser --screenshots`): a
    normal run takes every screenshot into a temporary folder and leaves the tree as it was."""
    refresh = request.config.getoption("--screenshots")
    _SHOTS["dir"] = SCREENSHOTS if refresh else tmp_path_factory.mktemp("screenshots")


def screenshot(page: Page, name: str) -> Path:
    """The whole page as `<name>.png`: in `docs/screenshots` (linked from the README) with
    `--screenshots`, in a temporary folder otherwise."""
    folder = _SHOTS.get("dir") or SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    return path
