"""A pledge and the open licence it blocks, in headless Chromium (issue 18): an administrator
records Uni A's pledge of its CN patent to Big M on the deal register, choosing both parties
with the organisation picker; publishing a CN open-licence offer is then refused with the
pledge named, and nothing is published; once the pledgee's consent is recorded, the same offer
is published."""

from datetime import UTC, date, datetime

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.models.patent import Patent
from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.pool.licensing.helpers import add_terms
from tests.web.browser.conftest import LiveServer, login, screenshot
from tests.web.conftest import World


@pytest.fixture
def cn_patent(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> str:
    """Uni A's CN patent in the pool (its number), the pool's terms 2025-1; 2025-04-10."""
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    patent_id = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    add_terms(client, world)
    with Session(engine) as s:
        patent = s.get(Patent, patent_id)
        assert patent is not None
        return patent.number


def patent_id(engine: Engine, number: str) -> int:
    with Session(engine) as s:
        found = s.exec(select(Patent.id).where(Patent.number == number)).one()
        return int(found or 0)


def pick(page: Page, field: str, typed: str, name: str) -> None:
    """Type part of a name and take the picker's suggestion for it."""
    page.fill(f"#f-record-{field}", typed)
    option = page.locator(f'#{field}-options option[value^="{name} (#"]')
    expect(option).to_have_count(1)
    page.fill(f"#f-record-{field}", option.get_attribute("value") or "")


def publish_cn_offer(page: Page) -> None:
    page.select_option("#f-terms_id", label="2025-1")
    page.fill("#f-term_months", "36")
    page.fill("#f-jurisdiction", "CN")
    page.fill("#f-payment_method", "bank transfer within 30 days")
    expect(page.locator("#f-published_on")).to_have_value("2025-04-10")
    page.get_by_role("button", name="Publish the offer").click()


def test_a_recorded_pledge_refuses_the_open_licence_until_the_pledgee_consents(
    page: Page, world: World, cn_patent: str
) -> None:
    login(page, world.admin)
    page.locator(".menu").get_by_role("link", name="Deal register").click()
    expect(page.get_by_role("heading", name="Record a deal")).to_be_visible()
    expect(page.locator("#f-record-kind")).to_have_value("")  # no kind chosen in advance
    page.select_option("#f-record-kind", label="Pledge")
    pick(page, "supplier", "uni", "Uni A")
    pick(page, "counterparty", "big", "Big M")
    page.fill("#f-record-patents", cn_patent)
    page.fill("#f-record-signed_on", "2025-02-20")
    page.fill("#f-record-effective_on", "2025-03-01")
    page.fill("#f-record-amount", "500,000.001")
    page.get_by_role("button", name="Record the deal").click()
    expect(page.locator("#e-record-amount")).to_have_text("this currency has fewer decimals")
    page.fill("#f-record-amount", "500,000.00")
    page.fill("#f-record-registration_number", "Y2025110000123")
    page.get_by_role("button", name="Record the deal").click()
    expect(page.get_by_role("status")).to_have_text("The deal was recorded.")
    row = page.locator("table.deals tbody tr").first
    expect(row).to_contain_text("Pledge")
    expect(row).to_contain_text("Big M")
    expect(row).to_contain_text(cn_patent)
    expect(row).to_contain_text("$500,000.00")
    deal_id = (row.get_attribute("id") or "").removeprefix("deal-")
    screenshot(page, "admin-deals")

    page.get_by_role("link", name="Open-licence offers").click()
    publish_cn_offer(page)
    refusal = page.locator("#form-errors")
    expect(refusal).to_contain_text(f"patent {cn_patent} is pledged (deal {deal_id}")
    expect(refusal).to_contain_text("record the pledgee's consent or the pledge's release first")
    expect(page.locator("main")).to_contain_text("The pool has published no open-licence offer.")
    screenshot(page, "admin-offer-refused")

    page.get_by_role("link", name="Deal register").first.click()
    row = page.locator(f"#deal-{deal_id}-actions")
    row.get_by_text("Record the pledgee's consent").click()
    row.get_by_label("Consent from").fill("2025-04-05")
    row.get_by_role("button", name="Record the consent").click()
    expect(page.get_by_role("status")).to_have_text("The pledgee's consent was recorded.")
    expect(page.locator(f"#deal-{deal_id}")).to_contain_text("Pledgee consented from Apr 5, 2025")

    page.get_by_role("link", name="Open-licence offers").click()
    publish_cn_offer(page)
    expect(page.get_by_role("status")).to_have_text("The offer was published.")
    offer = page.locator("table.offers tbody tr").first
    expect(offer).to_contain_text("2025-1")
    expect(offer).to_contain_text("CN")
    expect(offer).to_contain_text("36 months")
    screenshot(page, "admin-offers")


def test_the_deal_register_and_the_offers_fit_a_phone_in_chinese(
    phone_page: Page,
    client: TestClient,
    engine: Engine,
    world: World,
    cn_patent: str,
    live_server: LiveServer,
) -> None:
    body = {
        "kind": "pledge",
        "supplier_organisation_id": world.contributor.organisation_id,
        "counterparty_organisation_id": world.other_licensee.organisation_id,
        "patent_ids": [patent_id(engine, cn_patent)],
        "signed_on": "2025-02-20",
        "effective_on": "2025-03-01",
        "contract_amount_minor": 50_000_000,
        "registration_number": "Y2025110000123",
        "registered_on": "2025-03-01",
    }
    url = f"/api/v1/pools/{world.pool_id}/deals"
    assert client.post(url, json=body, headers=world.admin.headers).status_code == 201
    phone_page.context.add_cookies([{"name": "lang", "value": "zh-CN", "url": live_server.url}])
    login(phone_page, world.admin)
    for path, name in (("/admin/deals", "deals"), ("/admin/offers", "offers")):
        phone_page.goto(f"{path}?pool={world.pool_id}")
        expect(phone_page.locator("h1")).to_contain_text("Test pool")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        screenshot(phone_page, f"admin-{name}-phone-zh")
    expect(phone_page.locator("table.deals")).to_have_count(0)  # the offers page
    phone_page.goto(f"/admin/deals?pool={world.pool_id}")
    expect(phone_page.locator("table.deals")).to_contain_text("质押")


def test_the_contributors_own_deals_fit_a_phone_in_chinese(
    phone_page: Page,
    client: TestClient,
    engine: Engine,
    world: World,
    cn_patent: str,
    live_server: LiveServer,
) -> None:
    """Uni A records its pledge on its own register (the counterparty by its full name)."""
    phone_page.context.add_cookies([{"name": "lang", "value": "zh-CN", "url": live_server.url}])
    login(phone_page, world.contributor)
    phone_page.goto("/contributor/deals")
    expect(phone_page.locator("h1")).to_have_text("我的专利交易")
    phone_page.select_option("#f-record-kind", value="pledge")
    phone_page.fill("#f-record-counterparty", "Big M")
    phone_page.fill("#f-record-patents", cn_patent)
    phone_page.fill("#f-record-signed_on", "2025-02-20")
    phone_page.fill("#f-record-effective_on", "2025-03-01")
    phone_page.fill("#f-record-amount", "500,000.00")
    phone_page.fill("#f-record-registration_number", "Y2025110000123")
    phone_page.locator("#record button[type=submit]").click()
    expect(phone_page.get_by_role("status")).to_be_visible()
    row = phone_page.locator("table.deals tbody tr").first
    expect(row).to_contain_text("质押")
    expect(row).to_contain_text("Big M")
    expect(row).to_contain_text(cn_patent)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    screenshot(phone_page, "contributor-deals-phone-zh")
