"""A file over the upload limit, chosen in a real browser (issue 19): the file input refuses it
at once with the limit in words (app.js, `data-max-bytes`), and the form is not sent, so the
person learns it before a long upload, not from an error page after it."""

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from pool.models.evaluation import Challenge
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.distribution.kit import PER_UNIT
from tests.pool.evaluation.kit import CHART
from tests.pool.evaluation.test_challenges import admitted_by_the_evaluator
from tests.pool.reporting.kit import deal
from tests.web.browser.conftest import LiveServer, login
from tests.web.conftest import World

pytestmark = pytest.mark.browser


def test_a_file_over_the_limit_is_refused_before_it_is_sent(
    page: Page,
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    settings: Settings,
    live_server: LiveServer,
) -> None:
    admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    login(page, world.licensee)
    page.goto("/challenges/new")
    page.get_by_label("Patent number").fill("JP6123456B2")
    page.get_by_label("Reasons").fill("Claim 1 reads on an optional feature only")
    files = page.get_by_label("Documents (PDF")
    big = CHART + b"0" * settings.max_upload_bytes
    files.set_input_files([{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": big}])
    message = files.evaluate("input => input.validationMessage")
    limit = f"{settings.max_upload_bytes / 1048576:g}"
    assert (
        message
        == f"This file is larger than the upload limit of {limit} MiB: choose a smaller one."
    )
    page.get_by_role("button", name="File the challenge").click()
    expect(page).to_have_url(f"{live_server.url}/challenges/new")
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Challenge)).one() == 0

    files.set_input_files([{"name": "art.pdf", "mimeType": "application/pdf", "buffer": CHART}])
    assert files.evaluate("input => input.validationMessage") == ""  # a fitting file clears it
    page.get_by_role("button", name="File the challenge").click()
    expect(page.get_by_role("status")).to_contain_text("The challenge was filed.")
