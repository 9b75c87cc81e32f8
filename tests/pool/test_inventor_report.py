"""The yearly inventor remuneration report: the 50/30/20 worked example to the cent in the
report, its CSV (rows per inventor, a total row) and its HTML and PDF in Chinese."""

import csv
import io
import subprocess
from decimal import Decimal

from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.organisation import Organisation
from pool.services import inventor_reports
from tests.pool.conftest import World
from tests.pool.test_inventors import THREE, url
from tests.pool.test_patents import submit


def report(client: TestClient, engine: Engine, world: World, *, language: str = "en") -> bytes:
    patent_id = submit(client, world).json()["id"]
    other = submit(client, world, number="us 10,223,456 b2", title="无发明人的专利").json()["id"]
    r = client.put(url(patent_id), json={"inventors": THREE}, headers=world.contributor.headers)
    assert r.status_code == 200, r.text
    with session_scope(engine) as s:
        org = s.get(Organisation, world.contributor.organisation_id)
        assert org is not None
        org.language = language
        found = inventor_reports.build(
            s,
            organisation=org,
            pool_id=world.pool_id,
            year=2025,
            rate=inventor_reports.check_rate(Decimal("10")),
            received={patent_id: 1_234_567, other: 1_000},
        )
    [with_inventors, without] = sorted(found.patents, key=lambda p: p.patent_id)
    assert (with_inventors.received_minor, with_inventors.total_minor) == (1_234_567, 123_457)
    assert [i.amount_minor for i in with_inventors.inventors] == [61_729, 37_037, 24_691]
    assert (without.total_minor, without.inventors) == (100, ())
    assert found.unassigned == (without,)
    assert (found.received_minor, found.total_minor) == (1_235_567, 123_557)
    return (
        inventor_reports.render_html(found)
        if language == "zh"
        else inventor_reports.render_csv(found)
    )


def test_the_csv_has_a_row_per_inventor_and_a_total(
    client: TestClient, engine: Engine, world: World
) -> None:
    rows = list(csv.DictReader(io.StringIO(report(client, engine, world).decode("utf-8-sig"))))
    assert [
        (r["title"], r["received"], r["patent_remuneration"], r["inventor"], r["share_percent"],
         r["remuneration"])
        for r in rows
    ] == [
        ("Adaptive partitioning", "12345.67", "1234.57", "Li Wei", "50", "617.29"),
        ("Adaptive partitioning", "12345.67", "1234.57", "Zhang Min", "30", "370.37"),
        ("Adaptive partitioning", "12345.67", "1234.57", "Wang Fang", "20", "246.91"),
        ("无发明人的专利", "10.00", "1.00", "", "", ""),
        ("", "12355.67", "1235.57", "", "", ""),
    ]  # fmt: skip
    assert rows[-1]["patent"] == "TOTAL"
    assert {(r["year"], r["currency"], r["rate"]) for r in rows} == {("2025", "USD", "0.1")}


def test_the_report_reads_in_chinese_as_html_and_pdf(
    client: TestClient, engine: Engine, world: World
) -> None:
    html = report(client, engine, world, language="zh")
    text = html.decode()
    for shown in ("2025 年发明人报酬", "Li Wei", "US$617.29", "未登记发明人"):
        assert shown in text, shown
    pdf = inventor_reports.render_pdf(html)
    assert pdf[:5] == b"%PDF-"
    words = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "发明人报酬" in words
