"""The dashboard's yearly figures: the year shown (the latest year with data unless `?year=`
picks one), growth against the year before (a pool's first year has no base, so no verdict
instead of a red "not met" the pool could not avoid), and every box and figure linking to the
filtered list behind it."""

import html as html_text
import re
from datetime import UTC, date, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.web.conftest import World, sign_in
from tests.web.test_admin_pages import money_to_distribute


def headline_rows(html: str) -> dict[str, str]:
    """Each bold (headline) figure row of the yearly table: label -> the row's cells' text."""
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</th>(.*?)</tr>', html, flags=re.S)
    return {re.sub(r"<[^>]+>", "", label): re.sub(r"<[^>]+>", " ", c) for label, c in rows}


def kpis(html: str) -> dict[str, tuple[str, str]]:
    """Each box of the dashboard: its label -> (its value as text, where it leads)."""
    boxes = re.findall(
        r'<li class="kpi[^"]*"[^>]*><a href="([^"]+)"><span class="kpi-value">(.*?)</span>'
        r'<span class="kpi-label">(.*?)</span></a></li>',
        html,
    )
    return {
        label: (re.sub(r"<[^>]+>", "", value).strip(), html_text.unescape(href))
        for href, value, label in boxes
    }


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
    # the pool's three headline figures, and the five of every deal type and pledge financing
    assert html.count("无基准年") == 8
    assert "全部交易类型：合同金额" in html
    assert "质押融资金额（目标 10%）" in html


def test_the_dashboard_shows_the_latest_year_with_data_not_the_calendars(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)  # the business of 2025
    kit.pay(client, world, "Q1-rest", 50050, "2026-01-20", clock)  # its last money in 2026
    clock.now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    sign_in(client, "admin@example.org")
    html = client.get(f"/admin?pool={world.pool_id}").text
    assert '<option value="2025" selected>2025</option>' in html
    assert '<option value="2026">2026</option>' in html  # offered: money came in 2026
    assert '<option value="2024"' not in html  # nothing before the pool's first year
    boxes = kpis(html)
    assert boxes["Received in 2025"][0] == "$1,000.00"
    assert "no base year" in headline_rows(html)["Received"]  # 2025 against an empty 2024
    assert "not met" not in html


def test_the_year_asked_for_changes_the_figures(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)
    clock.now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    sign_in(client, "admin@example.org")
    later = client.get(f"/admin?pool={world.pool_id}&year=2026")
    assert later.status_code == 200
    assert '<option value="2026" selected>2026</option>' in later.text  # offered when asked
    assert kpis(later.text)["Received in 2026"][0] == "$0.00"
    received = headline_rows(later.text)["Received"]
    assert "$1,000.00" in received  # 2025, the year before, as the base
    assert "not met" in received
    earlier = kpis(client.get(f"/admin?pool={world.pool_id}&year=2024").text)
    assert earlier["Received in 2024"][0] == "$0.00"
    assert earlier["Invoiced in 2024"][0] == "$0.00"


def test_a_year_that_is_not_one_is_refused_clearly(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)  # the clock in 2025
    sign_in(client, "admin@example.org")
    for bad in ("abc", "1999", "2026", "20x5", "-2025"):
        refused = client.get(f"/admin?pool={world.pool_id}&year={bad}")
        assert refused.status_code == 422, bad
        assert 'id="e-year"' in refused.text
        assert "enter a year from 2000 to 2025" in refused.text
        assert "Showing 2025." in refused.text
        assert kpis(refused.text)["Received in 2025"][0] == "$1,000.00"  # the default year
    too_long = client.get(f"/admin?pool={world.pool_id}&year=" + "9" * 41)
    assert too_long.status_code == 422  # longer than any year: the query is refused
    assert "Invalid input" in too_long.text
    client.cookies.set("lang", "zh-CN")
    chinese = client.get(f"/admin?pool={world.pool_id}&year=abc").text
    assert "请输入 2000 至 2025 之间的年份" in chinese


def test_every_box_and_headline_figure_links_to_its_filtered_list(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)
    sign_in(client, "auditor@example.org")  # staff who read: the links are theirs too
    pool = world.pool_id
    html = client.get(f"/admin?pool={pool}&year=2025").text
    links = {label: href for label, (_, href) in kpis(html).items()}
    assert links == {
        "Active licence agreements": f"/admin/agreements?state=active&pool={pool}",
        "Patents in force": f"/admin/patents?status=accepted&pool={pool}",
        "Invoiced in 2025": f"/admin/invoices?pool={pool}&year=2025",
        "Received in 2025": f"/admin/payments/received?pool={pool}&from=2025-01-01&to=2025-12-31",
        "Overdue (1 invoice part)": f"/admin/invoices?status=overdue&pool={pool}&year=2025",
        "Agreements with an overdue filing": (f"/admin/agreements?pool={pool}&overdue_filing=yes"),
        "Patents waiting for evaluation": f"/admin/patents?pool={pool}",
        "Distribution drafts to approve": f"/admin/runs?pool={pool}&status=draft",
    }
    figures = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>', html)
    deals = f"/admin/deals?pool={pool}"
    year = "&year=2025"
    assert {label: html_text.unescape(href) for href, label in figures} == {
        "Deals signed": f"/admin/agreements?pool={pool}&year=2025",
        "Invoiced (not cancelled)": f"/admin/invoices?pool={pool}&year=2025",
        "Received": f"/admin/payments/received?pool={pool}&from=2025-01-01&to=2025-12-31",
        "Distributed (approved runs)": f"/admin/runs?pool={pool}&status=approved&year=2025",
        "All deal types": deals + year,
        "Transfer": f"{deals}&kind=transfer{year}",
        "Licence outside the pool": f"{deals}&kind=licence{year}",
        "Capital contribution": f"{deals}&kind=capital_contribution{year}",
        "All deal types: contracted": deals + year,
        "All deal types: received": deals + year,
        "Pledge financing (target 10 %)": f"{deals}&kind=pledge{year}",
        "Pledge projects (target 5 %)": f"{deals}&kind=pledge{year}",
    }
    assert "&amp;year=2025" in html  # written as HTML: the ampersands escaped
    # the lists behind them take the year: the world's agreement was signed in 2025
    listed = client.get(f"/admin/agreements?pool={pool}&year=2025").text
    assert "No licence agreement matches" not in listed
    assert "SME L" in listed
    none = client.get(f"/admin/agreements?pool={pool}&year=2024").text
    assert "No licence agreement matches" in none
    register = client.get(deals + year).text
    assert f'href="/admin/agreements?pool={pool}&amp;year=2025"' in register


def test_a_pledge_released_at_once_is_flagged_on_the_dashboard(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    clock.now = datetime(2025, 6, 2, 9, tzinfo=UTC)
    pledge = {
        "kind": "pledge", "supplier_organisation_id": world.contributor.organisation_id,
        "counterparty_organisation_id": world.other_licensee.organisation_id,
        "patent_ids": [patent], "signed_on": "2025-03-01", "effective_on": "2025-03-01",
        "contract_amount_minor": 500_000_00,
    }  # fmt: skip
    headers = world.admin.headers
    deal = client.post(f"/api/v1/pools/{world.pool_id}/deals", json=pledge, headers=headers)
    assert deal.status_code == 201, deal.text
    url = f"/api/v1/deals/{deal.json()['id']}/end"
    assert client.post(url, json={"ended_on": "2025-03-02"}, headers=headers).status_code == 200
    sign_in(client, "admin@example.org")
    html = client.get(f"/admin?pool={world.pool_id}&year=2025").text
    assert "Pledge released at once" in html
    assert "Ended 1 day after it took effect." in html
    assert "Pledge financing (target 10 %)" in html
    client.cookies.set("lang", "zh-CN")
    html = client.get(f"/admin?pool={world.pool_id}&year=2025").text
    assert "质押登记后随即解除" in html
    assert "生效 1 天后即终止。" in html
