"""Challenges in a real browser (issue 19): a licensee picks an admitted patent by typing part
of its number, files a challenge with a PDF; the administrator assigns the re-evaluator on
the challenge's page; the list on a phone and the pages in Chinese. Screenshots
challenge-*.png."""

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.distribution.kit import PER_UNIT
from tests.pool.evaluation.kit import CHART, evaluators
from tests.pool.evaluation.test_challenges import admitted_by_the_evaluator
from tests.pool.reporting.kit import deal
from tests.web.browser.conftest import LiveServer, login, screenshot
from tests.web.conftest import World

pytestmark = pytest.mark.browser


def test_a_licensee_files_a_challenge_and_the_administrator_assigns_it(
    page: Page,
    phone_page: Page,
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    live_server: LiveServer,
) -> None:
    admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    evaluators(client, world, 1)  # "Evaluator 0", free to re-evaluate
    login(page, world.licensee)
    page.locator("header nav").get_by_role("link", name="Challenges").click()
    expect(page.get_by_role("link", name="Challenge a patent")).to_have_attribute(
        "href", "/challenges/new"
    )
    page.goto("/challenges/new")  # a full load: the picker is live when typing starts
    page.get_by_label("Patent number").press_sequentially("JP61234")
    expect(page.locator("#number-options option")).to_have_count(1)
    page.get_by_label("Patent number").fill("JP6123456B2")
    page.get_by_label("Reasons").fill("Claim 1 reads on an optional feature only")
    page.get_by_label("Documents (PDF").set_input_files(
        [{"name": "prior-art.pdf", "mimeType": "application/pdf", "buffer": CHART}]
    )
    screenshot(page, "challenge-form")
    page.get_by_role("button", name="File the challenge").click()
    expect(page.get_by_role("status")).to_contain_text("The challenge was filed.")
    expect(page.locator("#documents ~ .table-wrap")).to_contain_text("prior-art.pdf")
    screenshot(page, "challenge-filed")

    login(phone_page, world.licensee)
    phone_page.goto("/challenges")
    expect(phone_page.locator("td[data-label='Patent']")).to_contain_text("JP6123456B2")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "challenge-list-phone")
    phone_page.context.add_cookies([{"name": "lang", "value": "zh-CN", "url": live_server.url}])
    phone_page.goto("/challenges/new")
    expect(phone_page.locator("h1")).to_have_text("对专利提出异议")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "challenge-form-phone-zh")

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "lang", "value": "zh-CN", "url": live_server.url}])
    login(page, world.admin)
    page.goto("/challenges")
    page.get_by_role("link", name="JP6123456B2").click()
    expect(page.locator("#assign")).to_contain_text("指派复评员")
    expect(page.locator("#assign option")).to_have_count(1)  # not the original evaluator
    screenshot(page, "challenge-assign-zh")
    page.locator("#assign button").click()
    expect(page.get_by_role("status")).to_contain_text("已指派复评员")
    expect(page.locator("dl.facts")).to_contain_text("Evaluator 0")
