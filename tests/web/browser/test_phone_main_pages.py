"""Each role's main pages at phone width (390 px), in English and in Chinese, never scroll
sideways (issue 17): the administrator's dashboard, the licensee's home and invoices, the
contributor's home and statements, the auditor's home. Screenshots go to a temporary folder
(`--screenshots` for docs/screenshots), to look at by eye."""

from litestar.testing import TestClient
from playwright.sync_api import Page
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import Caller
from tests.web.browser.conftest import LiveServer, login, screenshot
from tests.web.conftest import World
from tests.web.test_contributor_pages import issued_statements

WIDTH = 390
SCROLL = "[document.scrollingElement.scrollWidth, window.innerWidth]"


def main_pages(world: World) -> list[tuple[str, Caller, list[str]]]:
    return [
        ("admin", world.admin, ["/", "/admin/"]),
        ("licensee", world.licensee, ["/", "/licensee/invoices"]),
        ("contributor", world.contributor, ["/", "/contributor/statements"]),
        ("auditor", world.auditor, ["/"]),
    ]


def test_every_roles_main_pages_fit_a_phone_in_both_languages(
    phone_page: Page,
    live_server: LiveServer,
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
) -> None:
    issued_statements(client, engine, world, clock)  # money everywhere: invoices, statements
    wide: list[tuple[str, str, str, int]] = []
    for lang in ("en", "zh-CN"):
        for role, caller, paths in main_pages(world):
            phone_page.context.clear_cookies()
            phone_page.context.add_cookies(
                [{"name": "lang", "value": lang, "url": live_server.url}]
            )
            login(phone_page, caller)
            for path in paths:
                response = phone_page.goto(path)
                assert response is not None
                assert response.ok, (role, path)
                assert phone_page.locator("html").get_attribute("lang") == lang
                scroll, inner = phone_page.evaluate(SCROLL)
                if scroll > inner:
                    wide.append((lang, role, path, scroll))
                name = path.strip("/").replace("/", "-") or "home"
                screenshot(phone_page, f"phone-{lang}-{role}-{name}")
    assert wide == [], "these pages scroll sideways on a phone"
