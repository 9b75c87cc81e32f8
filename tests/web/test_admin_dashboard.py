"""The dashboard's yearly figures in a pool's first year: growth has no base, so the page
gives no verdict ("no base year") instead of a red "not met" the pool could not avoid."""

import re

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.web.conftest import World, sign_in
from tests.web.test_admin_pages import money_to_distribute


def headline_rows(html: str) -> dict[str, str]:
    """Each bold (headline) figure row of the yearly table: label -> the row's cells' text."""
    rows = re.findall(r'<tr>\s*<th scope="row">([^<]+)</th>(.*?)</tr>', html, flags=re.S)
    return {label: re.sub(r"<[^>]+>", " ", cells) for label, cells in rows}


def test_a_first_year_has_no_growth_verdict(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)  # 2025 money; nothing in 2024
    sign_in(client, "admin@example.org")
    html = client.get(f"/admin?pool={world.pool_id}").text
    rows = headline_rows(html)
    for label in ("Deals signed", "Invoiced (not cancelled)", "Received"):
        assert "no base year" in rows[label], rows[label]
    assert "not met" not in html


def test_the_chinese_dashboard_says_no_base_year_in_chinese(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    client.cookies.set("lang", "zh-CN")
    html = client.get(f"/admin?pool={world.pool_id}").text
    assert html.count("无基准年") == 3
