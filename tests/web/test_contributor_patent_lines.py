"""The contributor's statement page lists the statement's per-patent lines, the same as the
API gives (tests/pool/distribution/test_patent_lines.py), in English and Chinese."""

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.web.conftest import World, post_form, sign_in
from tests.web.test_contributor_pages import STATEMENTS, issued_statements


def test_the_statement_page_shows_each_patents_part(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued_statements(client, engine, world, clock)
    sign_in(client, "uni@example.org")
    page = client.get(f"{STATEMENTS}/{ids['mine_q2']}")
    assert page.status_code == 200
    assert "Your money by patent" in page.text
    assert page.text.count('<span class="num">$150.03</span>') == 2  # 45,008 over 3 patents
    assert page.text.count('<span class="num">$150.02</span>') == 1
    assert page.text.count("<td>CN7") == 3
    assert "Codec" in page.text
    adjusted = client.get(f"{STATEMENTS}/{ids['mine_q3']}")  # Q1 adjusted: 22,526 over 3
    assert adjusted.text.count('<span class="num">$75.09</span>') == 2
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
    chinese = client.get(f"{STATEMENTS}/{ids['mine_q2']}")
    assert "按专利列示的应得金额" in chinese.text
    assert "有效天数" in chinese.text
