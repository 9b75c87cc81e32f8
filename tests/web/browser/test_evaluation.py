"""The evaluation in a real browser (issue 19): an evaluator signs in, opens the claim chart
from their queue and records a finding; the administrator resolves a disagreement on the
decision page. Desktop and phone, English and Chinese; screenshots evaluation-*.png."""

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect

from tests.pool.evaluation.kit import (
    CHART,
    assign,
    bearer,
    evaluators,
    finding,
    ok,
    patent_under_evaluation,
    upload,
)
from tests.web.browser.conftest import LiveServer, login, screenshot
from tests.web.conftest import World

pytestmark = pytest.mark.browser


def _disagreement(client: TestClient, world: World) -> tuple[int, int]:
    """A patent with its chart and two evaluators: eve (still to find) and a second one who
    found it essential, grade A."""
    patent = patent_under_evaluation(client, world)
    chart = int(ok(upload(client, world.contributor.headers, patent, CHART))["id"])
    (second,) = evaluators(client, world, 1)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    ok(assign(client, world, patent, int(second["id"]), "2025-05-01"))
    ok(finding(client, bearer(second), patent, chart, grade="A", on="2025-05-02"))
    return patent, chart


def test_an_evaluator_records_a_finding_and_the_administrator_decides(
    page: Page, phone_page: Page, client: TestClient, world: World
) -> None:
    patent, _ = _disagreement(client, world)
    login(page, world.evaluator)
    page.locator("header nav").get_by_role("link", name="My evaluations").click()
    screenshot(page, "evaluation-queue")
    page.get_by_role("link", name="JP6123456B2").click()
    with page.expect_download() as chart:
        page.locator("#evidence ~ .table-wrap a[download]").first.click()
    assert chart.value.path().read_bytes() == CHART
    screenshot(page, "evaluation-finding-form")
    page.get_by_label("5.1").select_option("yes")
    page.get_by_label("Grade").select_option("C")
    page.get_by_label("Reasoning").fill("Claim 1 reads on 5.1, with a work-around")
    page.get_by_role("button", name="Record the finding").click()
    expect(page.get_by_role("status")).to_contain_text("Your finding was recorded.")

    login(phone_page, world.evaluator)
    phone_page.goto("/evaluation")
    cell = phone_page.locator("td[data-label='Assigned on']").first
    expect(cell).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "evaluation-queue-phone")

    page.context.clear_cookies()
    login(page, world.admin)
    page.goto(f"/admin/patents/{patent}")
    page.get_by_role("link", name="Evaluation record: evaluators, findings, documents").click()
    expect(page.locator(".finding")).to_have_count(2)
    screenshot(page, "evaluation-decision")
    page.get_by_label("Outcome").select_option("yes")
    page.locator("#decide").get_by_label("Grade").select_option("B")
    page.get_by_label("Reasons").fill("Essential to 5.1; the work-around is costly: grade B")
    page.get_by_role("button", name="Decide…").click()
    expect(page.locator(".consequences")).to_contain_text("cannot be undone")
    screenshot(page, "evaluation-decide-confirm")
    page.get_by_role("button", name="Decide: this is final").click()
    page.wait_for_url(f"**/admin/patents/{patent}?done=decided")
    expect(page.locator("dl.facts")).to_contain_text("Accepted")
    expect(page.locator("dl.facts")).to_contain_text("Essential to 5.1")


def test_the_evaluation_pages_in_chinese(
    page: Page, phone_page: Page, client: TestClient, world: World, live_server: LiveServer
) -> None:
    patent, chart = _disagreement(client, world)
    for opened in (page, phone_page):
        opened.context.add_cookies([{"name": "lang", "value": "zh-CN", "url": live_server.url}])
    login(page, world.evaluator)
    page.goto(f"/evaluation/patents/{patent}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#finding")).to_contain_text("记录评估意见")
    screenshot(page, "evaluation-finding-form-zh")
    ok(finding(client, world.evaluator.headers, patent, chart, grade="C", on="2025-05-03"))
    login(phone_page, world.admin)
    phone_page.goto(f"/admin/patents/{patent}/evaluation")
    expect(phone_page.locator("#decide")).to_contain_text("裁决评估分歧")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "evaluation-decision-phone-zh")
