"""Each role in a real browser gets no link to and no page of another's data: a licensee's
invoices, reports and agreements, a contributor's statements and patents. Direct URLs to
them answer 404 for every other signed-in caller (another licensee or contributor included)
and send a signed-out visitor to the sign-in page."""

import re

from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.models.billing import Invoice
from pool.models.distribution import Statement
from pool.models.licensing import LicenceAgreement
from pool.models.patent import Patent
from pool.models.reporting import UsageReport
from tests.conftest import FakeClock
from tests.pool.conftest import Caller
from tests.web.browser.conftest import login
from tests.web.conftest import World
from tests.web.test_contributor_pages import issued_statements


def licensee_urls(engine: Engine, world: World) -> list[str]:
    """Pages of the world's licensee's own objects (its agreement, reports and invoices)."""
    org = world.licensee.organisation_id
    with Session(engine) as session:
        agreements = session.exec(
            select(LicenceAgreement.id).where(LicenceAgreement.licensee_organisation_id == org)
        ).all()
        reports = session.exec(
            select(UsageReport.id).where(col(UsageReport.agreement_id).in_(agreements))
        ).all()
        invoices = session.exec(
            select(Invoice.id).where(col(Invoice.agreement_id).in_(agreements))
        ).all()
    assert agreements
    assert reports
    assert invoices
    return [
        *(f"/licensee/agreements/{i}" for i in agreements),
        *(f"/licensee/agreements/{i}/reports/new" for i in agreements),
        *(f"/licensee/reports/{i}" for i in reports),
        *(f"/licensee/invoices/{i}" for i in invoices),
    ]


def contributor_urls(engine: Engine, world: World) -> list[str]:
    """Pages of the world's contributor's statements (and their PDF) and patents."""
    org = world.contributor.organisation_id
    with Session(engine) as session:
        statements = session.exec(
            select(Statement.id).where(Statement.contributor_organisation_id == org)
        ).all()
        patents = session.exec(select(Patent.id).where(Patent.owner_organisation_id == org)).all()
    assert statements
    assert patents
    return [
        *(f"/contributor/statements/{i}" for i in statements),
        *(f"/contributor/statements/{i}/documents/pdf" for i in statements),
        *(f"/contributor/patents/{i}" for i in patents),
    ]


def refused_everything(page: Page, caller: Caller, urls: list[str], own_prefix: str) -> None:
    """Signed in as `caller`: no link to any of `urls`, and each answers 404."""
    login(page, caller)
    for listing in ("/", "/licensee/invoices", "/contributor/statements"):
        page.goto(listing)
        for url in urls:
            expect(page.locator(f'a[href="{url}"]')).to_have_count(0)
    for url in urls:
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, (caller, url)
        expect(page.locator("h1")).to_have_text("Page not found")
        expect(page.locator("main")).not_to_contain_text("INV-")
    if own_prefix:  # the caller's own pages of that kind still work: the 404s are about owners
        page.goto(own_prefix)
        expect(page.locator("h1")).not_to_have_text("Page not found")
    page.context.clear_cookies()


def test_no_role_reaches_another_callers_invoices_reports_or_statements(
    page: Page, client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued_statements(client, engine, world, clock)
    theirs = licensee_urls(engine, world)
    statements = contributor_urls(engine, world)

    for url in (theirs[0], statements[0]):  # signed out: to the sign-in page
        page.goto(url)
        expect(page).to_have_url(re.compile(r"/login\?next="))

    refused_everything(page, world.other_licensee, theirs + statements, "/licensee/invoices")
    refused_everything(page, world.contributor, theirs, "/contributor/statements")
    refused_everything(page, world.other_contributor, statements, "/contributor/statements")
    refused_everything(page, world.licensee, statements, "/licensee/invoices")

    login(page, world.licensee)  # the owner sees its own, so the URLs above were real pages
    for url in theirs:
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
