"""A Chinese statement is never stored as a PDF of boxes (issue 17): without a font covering
Chinese, issuance refuses with a 503 problem and stores nothing; with one, the PDF carries the
Chinese text. The missing font is a real one missing: `PATENTPOOL_CJK_FONT` names the family
the check requires, here one no machine has."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from litestar.testing import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.organisation import Organisation
from pool.services.statements import fonts
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.web.conftest import post_form, sign_in

API = "/api/v1"


def approved_chinese_run(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> int:
    kit.worked_example(client, engine, world, clock)
    with session_scope(engine) as s:
        uni = s.get(Organisation, world.contributor.organisation_id)
        assert uni is not None
        uni.language = "zh-CN"
        s.add(uni)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    run = kit.close(client, world, "2025-04-01")
    kit.approve(client, world, run["id"])
    return int(run["id"])


def test_without_the_font_a_chinese_statement_is_refused_and_nothing_stored(
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_id = approved_chinese_run(client, engine, world, clock)
    monkeypatch.setenv(fonts.CJK_FONT_ENV, "No Such Font 17")
    refused = client.post(
        f"{API}/distribution-runs/{run_id}/statements", headers=world.admin.headers
    )
    assert refused.status_code == 503, refused.text
    problem = refused.json()
    assert problem["type"].endswith("no-cjk-font")
    assert "No Such Font 17" in problem["detail"]
    assert "install it and restart" in problem["detail"]
    listed = client.get(f"{API}/statements", headers=world.admin.headers).json()
    assert listed["total"] == 0  # not even the English one: the batch is one transaction

    monkeypatch.delenv(fonts.CJK_FONT_ENV)
    issued = kit.issue(client, world, run_id)
    assert len(issued) == 2
    mine = client.get(f"{API}/statements", headers=world.contributor.headers).json()["items"][0]
    url = f"{API}/statements/{mine['id']}/documents/pdf"
    pdf = PdfReader(BytesIO(client.get(url, headers=world.contributor.headers).content))
    assert "专利许可费分配结算单" in pdf.pages[0].extract_text()
    embedded = {
        font["/BaseFont"] for page in pdf.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK" in str(name) or "WenQuanYi" in str(name) for name in embedded), embedded


def test_the_check_names_a_font_that_is_there() -> None:
    found = fonts.cjk_font(None)
    assert found is not None  # the test machine has one (README: fonts-wqy-microhei)
    assert fonts.cjk_font(found) == found
    assert fonts.cjk_font("No Such Font 17") is None
    assert fonts.cjk_font("DejaVu Sans") is None  # installed, but no Chinese in it


def test_the_administrators_page_says_why_in_chinese(
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_id = approved_chinese_run(client, engine, world, clock)
    monkeypatch.setenv(fonts.CJK_FONT_ENV, "No Such Font 17")
    sign_in(client, "admin@example.org")
    client.cookies.set("lang", "zh-CN")
    page = f"/admin/runs/{run_id}"
    refused = post_form(client, f"{page}/statements", {}, page=page)
    assert refused.status_code == 503, refused.text
    assert "系统未安装含中文字形的字体“No Such Font 17”" in refused.text
    assert "中文文件（结算单、发票）将显示为方框" in refused.text
    assert "would show boxes" not in refused.text
