"""A contributor's main journey in headless Chromium: sign in, open its statements, see the
royalty chart, download the statement as PDF, and the file is a valid PDF with its name."""

import io
import re
from pathlib import Path

from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.web.browser.conftest import login, screenshot
from tests.web.conftest import World
from tests.web.test_contributor_pages import issued_statements


def test_a_contributor_downloads_its_statement_as_pdf(
    page: Page, client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued_statements(client, engine, world, clock)  # Q2 and Q3 2025 statements
    login(page, world.contributor)

    page.locator(".menu").get_by_role("link", name="Statements").click()
    expect(page).to_have_url(re.compile(r"/contributor/statements$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Statements")
    chart = page.locator(f"#royalties-{world.pool_id} svg")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.chart-bar")).to_have_count(2)

    serial = f"PP{world.pool_id:04d}-202507-{world.contributor.organisation_id:06d}"
    row = page.get_by_role("row").filter(has_text=serial)
    with page.expect_download() as started:
        row.get_by_role("link", name=f"{serial} as PDF").click()
    download = started.value
    assert download.suggested_filename == f"{serial}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(content)).pages)
    assert "Uni A" in text
    assert serial in text

    screenshot(page, "contributor-home")
