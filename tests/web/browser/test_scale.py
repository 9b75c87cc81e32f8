"""Daily work at 10x the demo (issue 17), in headless Chromium on the pool of
`tests/scale_world.py` (2,000 licensees, 15,000 patents): the world is built once per test
worker into a template SQLite file, and each test gets a copy (this module's `engine`). SQLite
only, like every browser test (skipped in the PostgreSQL run)."""

import csv
import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import make_engine, session_scope
from pool.models.licensing import LicenceAgreement, Product
from pool.models.patent import Patent
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.scale_world import ScaleWorld, build
from tests.web.browser.conftest import login


@pytest.fixture(scope="session")
def scale_template(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> tuple[Path, ScaleWorld]:
    """The 10x pool, built once per worker (some 10 s), in a file each test copies."""
    folder = tmp_path_factory.mktemp("scale")
    path = folder / "scale10.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    settings = Settings(
        data_dir=folder,
        database_url=f"sqlite:///{path}",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )
    built = build(engine, settings, FakeClock(datetime(2025, 6, 2, 9, 30, tzinfo=UTC)))
    engine.dispose()
    return path, built


@pytest.fixture
def engine(tmp_path: Path, scale_template: tuple[Path, ScaleWorld]) -> Engine:
    database = tmp_path / "test.sqlite3"
    shutil.copyfile(scale_template[0], database)
    return make_engine(f"sqlite:///{database}")


@pytest.fixture
def scale(scale_template: tuple[Path, ScaleWorld]) -> ScaleWorld:
    return scale_template[1]


def test_an_administrator_finds_an_agreement_in_one_search_and_exports_it(
    page: Page, scale: ScaleWorld
) -> None:
    login(page, scale.world.admin)
    page.goto("/admin/agreements")
    expect(page.locator(".list-summary")).to_contain_text("2000 matches")
    page.locator("#f-q").fill(scale.searched)
    page.locator("#f-q").press("Enter")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(scale.searched)
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(downloaded.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 2
    assert scale.searched in table[1]
    assert str(scale.searched_agreement_id) in table[1]


def test_a_licensee_registers_a_product_by_standard_section(
    page: Page, engine: Engine, scale: ScaleWorld
) -> None:
    world = scale.world
    with session_scope(engine) as s:
        agreement = s.exec(
            select(LicenceAgreement.id).where(
                LicenceAgreement.licensee_organisation_id == world.licensee.organisation_id
            )
        ).one()
        in_section = {
            p.id
            for p in s.exec(select(Patent).where(Patent.status == "accepted"))
            if "8.2.1" in p.standard_sections
        }
    login(page, world.licensee)
    page.goto(f"/licensee/agreements/{agreement}/products/new")
    expect(page.locator("input[name=patents]")).to_have_count(0)  # no checkbox per patent
    page.get_by_label("Product name").fill("Scale phone")
    page.get_by_label("Model").fill("S10")
    page.locator("input[name=sections][value='8.2.1']").check()
    page.get_by_role("button", name="Register the product").click()
    expect(page.get_by_text("The product was registered")).to_be_visible()
    with session_scope(engine) as s:
        product = s.exec(select(Product).where(Product.model == "S10")).one()
    assert set(product.patent_ids) == in_section
    assert len(in_section) > 1000


def _state(engine: Engine, agreement_id: int) -> str:
    with session_scope(engine) as s:
        found = s.get(LicenceAgreement, agreement_id)
        assert found is not None
        return found.state


def test_terminating_an_agreement_asks_for_confirmation_first(
    page: Page, engine: Engine, scale: ScaleWorld
) -> None:
    agreement = scale.searched_agreement_id
    login(page, scale.world.admin)
    page.goto(f"/admin/agreements?q={scale.searched}")
    row_choice = page.locator(f"#to-{agreement}")
    expect(row_choice).to_have_value("")  # nothing destructive chosen in advance
    row_choice.select_option("terminated")
    page.get_by_role("button", name="Change state…").click()
    page.get_by_label("On", exact=True).fill("2025-06-02")
    page.get_by_label("Reason").fill("Licensee stopped paying")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#what-happens")).to_contain_text(scale.searched)
    asked = page.url
    assert _state(engine, agreement) == "active"  # asked, nothing done yet
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("h1")).not_to_contain_text("Change an agreement's state")
    assert _state(engine, agreement) == "active"
    page.goto(asked)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status").first).to_be_visible()
    assert _state(engine, agreement) == "terminated"


def test_the_dashboard_year_switch_changes_the_figures(page: Page, scale: ScaleWorld) -> None:
    page.set_default_timeout(90_000)  # the dashboard takes seconds at 10x (docs/benchmarks.md)
    login(page, scale.world.admin)
    page.goto("/admin?year=2024")
    expect(page.locator("#f-year")).to_have_value("2024")
    before = page.locator(".kpis").inner_text()
    page.locator("#f-year").select_option("2025")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    expect(page.locator("#f-year")).to_have_value("2025")
    expect(page.locator(".kpis")).not_to_have_text(before)
