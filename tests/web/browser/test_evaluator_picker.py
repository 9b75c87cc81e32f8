"""Assigning an evaluator in headless Chromium (issue 19): the administrator types part of an
agency's name, sees its evaluators suggested with their e-mail and agency (never the owner's
staff), takes one and sets the day the finding is due; the evaluator's queue shows it, the
overdue one marked, on a phone in Chinese too. Screenshots evaluation-assign*.png and
evaluation-queue-due*.png."""

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect

from tests.conftest import FakeClock
from tests.pool.evaluation.kit import API, evaluators, ok, patent_under_evaluation
from tests.web.browser.conftest import LiveServer, login, screenshot
from tests.web.conftest import World

pytestmark = pytest.mark.browser


def test_the_administrator_picks_an_evaluator_and_sets_a_due_date(
    page: Page,
    phone_page: Page,
    client: TestClient,
    world: World,
    clock: FakeClock,
    live_server: LiveServer,
) -> None:
    patent = patent_under_evaluation(client, world)
    more = evaluators(client, world, 3)
    late = patent_under_evaluation(client, world, number="JP6123457B2")
    body = {"evaluator_user_id": world.evaluator.user_id, "assigned_on": "2025-06-02",
            "due_on": "2025-06-03"}  # fmt: skip
    ok(client.post(f"{API}/patents/{late}/evaluation/assignments", json=body,
                   headers=world.admin.headers))  # fmt: skip

    login(page, world.admin)
    page.goto(f"/admin/patents/{patent}")
    expect(page.locator("#independent")).to_have_count(0)  # nobody assigned: direct accept
    page.goto(f"/admin/patents/{patent}/evaluation")
    field = page.get_by_label("Evaluator", exact=True)
    field.fill("agency f")
    expect(page.locator("#evaluator-options option")).to_have_count(3)
    expect(page.locator("#evaluator-options option").first).to_have_text(
        "evaluator0@agency-f.example.org · Agency F"
    )
    screenshot(page, "evaluation-assign")
    field.fill(f"Evaluator 1 (#{more[1]['id']})")
    expect(page.get_by_label("Finding due on")).to_have_value("2025-07-02")
    page.get_by_label("Finding due on").fill("2025-06-20")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("main ul.links")).to_contain_text("Evaluator 1")
    expect(page.locator("main ul.links")).to_contain_text("finding due")
    page.goto(f"/admin/patents/{patent}")
    expect(page.locator("#independent")).to_contain_text("Evaluators are assigned")
    expect(page.locator(f"form[action='/admin/patents/{patent}/accept']")).to_have_count(0)
    screenshot(page, "evaluation-patent-independent")

    clock.advance(days=5)  # 2025-06-07: JP6123457B2 was due on 2025-06-03
    phone_page.context.add_cookies([{"name": "lang", "value": "zh-CN", "url": live_server.url}])
    login(phone_page, world.admin)
    phone_page.goto(f"/admin/patents/{patent}/evaluation")
    expect(phone_page.locator("#f-evaluator")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "evaluation-assign-phone-zh")
    phone_page.context.clear_cookies()
    phone_page.context.add_cookies([{"name": "lang", "value": "zh-CN", "url": live_server.url}])
    login(phone_page, world.evaluator)
    phone_page.goto("/evaluation")
    expect(phone_page.locator("tr.late")).to_have_count(1)
    expect(phone_page.locator("tr.late")).to_contain_text("JP6123457B2")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "evaluation-queue-due-phone-zh")
    login(page, world.evaluator)
    page.goto("/evaluation")
    expect(page.locator("tbody tr").first).to_contain_text("JP6123457B2")
    screenshot(page, "evaluation-queue-due")
