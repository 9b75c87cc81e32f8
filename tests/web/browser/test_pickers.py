"""Type-ahead in headless Chromium: a licensee registers a product by standard section and
sees suggestions of the pool's patents as it types a number; an administrator records a
payment by typing part of the licensee's name and taking the suggestion."""

from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.billing import Payment
from pool.models.licensing import Product
from tests.pool.billing import kit
from tests.pool.licensing.helpers import active, add_terms
from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import World
from tests.web.test_product_patents import PATENTS, accepted


def test_a_licensee_registers_a_product_by_standard_section(
    page: Page, client: TestClient, engine: Engine, world: World
) -> None:
    ids = {
        number: accepted(client, world, number, family_id=family, standard_sections=sections)
        for number, (family, sections) in PATENTS.items()
    }
    agreement = active(client, world, add_terms(client, world)["id"])
    login(page, world.licensee)
    page.goto(f"/licensee/agreements/{agreement['id']}/products/new")
    page.get_by_label("Product name").fill("Phone")
    page.get_by_label("Model").fill("P1")
    page.get_by_label("By patent number").fill("us1000")
    expect(page.locator("#patent-options option")).to_have_count(2)
    page.get_by_label("By patent number").fill("")
    page.get_by_role("checkbox", name="8.2.1 (2 patents)").check()
    screenshot(page, "licensee-product-by-section")
    page.get_by_role("button", name="Register the product").click()
    expect(page.get_by_text("The product was registered")).to_be_visible()
    with session_scope(engine) as s:
        (product,) = s.exec(select(Product)).all()
        assert product.patent_ids == sorted([ids["CN100000002A"], ids["US10000003B2"]])


def test_an_administrator_names_the_payer_by_typing(
    page: Page, engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        for caller in (world.licensee, world.other_licensee):
            kit.agreement(s, pool_id=world.pool_id, licensee_id=caller.organisation_id or 0)
    login(page, world.admin)
    page.goto("/admin/payments")
    big = f"Big M (#{world.other_licensee.organisation_id})"
    page.get_by_label("Licensee", exact=True).fill("bi")
    expect(page.locator("#licensee-options option")).to_have_attribute("value", big)
    page.get_by_label("Licensee", exact=True).fill(big)
    page.get_by_label("Bank reference").fill("BANK-7")
    page.get_by_label("Amount received (USD)").fill("12.50")
    page.get_by_label("Date received").fill("2025-06-01")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("cell", name="BANK-7")).to_be_visible()
    with session_scope(engine) as s:
        paid = [(p.licensee_organisation_id, p.amount_minor) for p in s.exec(select(Payment))]
    assert paid == [(world.other_licensee.organisation_id, 12_50)]
