"""Chart labels fit: a quarter reads "2025 Q1" (not "2025-01"), period labels and amounts never
overlap however many periods there are, and a long name left of a bar is cut with "…" to its
room (the whole name is its tooltip) instead of being clipped at the edge."""

import re
from datetime import date, timedelta
from itertools import pairwise

from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.web import charts
from pool.web.admin import views as av
from tests.conftest import FakeClock
from tests.web.conftest import World, sign_in
from tests.web.test_contributor_pages import issued_statements


def quarters(n: int, amount: int) -> list[charts.Point]:
    points = []
    for index in range(n):
        year, quarter = 2020 + index // 4, index % 4
        start = date(year, 3 * quarter + 1, 1)
        end = date(year + 1, 1, 1) if quarter == 3 else date(year, 3 * quarter + 4, 1)
        points.append(charts.Point(start, end - timedelta(days=1), amount))
    return points


def test_a_calendar_quarter_is_named_as_one() -> None:
    assert charts.quarter_of(date(2025, 1, 1), date(2025, 3, 31)) == 1
    assert charts.quarter_of(date(2025, 10, 1), date(2025, 12, 31)) == 4
    assert charts.quarter_of(date(2025, 2, 1), date(2025, 4, 30)) is None  # not a quarter
    assert charts.quarter_of(date(2025, 1, 1), date(2025, 1, 31)) is None  # a month


def test_a_few_periods_show_every_amount_on_one_row_of_labels() -> None:
    drawn = charts.bar_chart(quarters(4, 40_507), "USD")
    assert [bar.quarter for bar in drawn.bars] == [1, 2, 3, 4]
    assert all(bar.show_value for bar in drawn.bars)
    assert {bar.period_y for bar in drawn.bars} == {drawn.label_y}


def test_many_periods_never_overlap_their_labels() -> None:
    drawn = charts.bar_chart(quarters(16, 123_456_789), "CNY")
    assert not any(bar.show_value for bar in drawn.bars)  # in the tooltip and the table
    rows: dict[int, list[int]] = {}
    for bar in drawn.bars:
        rows.setdefault(bar.period_y, []).append(bar.label_x)
    assert len(rows) == 2
    for xs in rows.values():  # labels on one row are a whole label apart
        assert all(b - a >= charts.PERIOD_LABEL_PX for a, b in pairwise(xs))
    assert max(rows) + 4 <= drawn.height  # the lower row is inside the picture
    few = charts.bar_chart(quarters(8, 40_507), "USD")
    slot = (few.plot_right - few.plot_left) / 8
    assert all(bar.show_value for bar in few.bars) == (
        charts.DIGIT_PX * (len("40,507") + 5) <= slot - 4
    )


def test_a_long_name_is_cut_to_fit_left_of_its_bar() -> None:
    room = av.LABEL_WIDTH - 12
    long_name = "Shanghai Research Institute for Image Coding"
    chinese = "上海图像编码技术研究院有限责任公司第二研究所"
    drawn = av.chart([(long_name, 300), (chinese, 200), ("Uni A", 100)])
    shown = {bar.label: bar.short for bar in drawn.bars}
    assert shown["Uni A"] == "Uni A"
    for name in (long_name, chinese):
        assert shown[name].endswith("…")
        assert name.startswith(shown[name][:-1].rstrip())
        assert charts.text_width(shown[name], av.LABEL_PX) <= room


def test_the_statements_chart_names_quarters_and_the_run_chart_keeps_whole_names(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued_statements(client, engine, world, clock)
    sign_in(client, "uni@example.org")
    html = client.get("/contributor/statements").text
    periods = re.findall(r'<text class="chart-period"[^>]*>([^<]+)<title>', html)
    assert sorted(periods) == ["2025 Q2", "2025 Q3"]
    assert ">2025-04<" not in html
    client.cookies.set("lang", "zh-CN")
    assert "2025年Q2" in client.get("/contributor/statements").text
