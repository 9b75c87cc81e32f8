"""The usage report CSV template and its friendly columns over real HTTP: a licensee downloads
its agreement's template (products by filing code, amounts in major units), fills it in and
uploads it; the amounts arrive as exact minor units. An amount with more decimals than the
currency has, or not a number, or an unknown filing code is refused naming its line and
column, and nothing is stored. The old columns (product_id, net_sales_minor) still work.
Another licensee's agreement, other roles: 404; visitors: the login page."""

import csv
import html
import io

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.reporting import UsageReportLine
from tests.pool.reporting.kit import Deal
from tests.web.conftest import World, sign_in
from tests.web.test_licensee_pages import active_deal, upload

TEMPLATE = "/licensee/agreements/{}/reports/template.csv"


@pytest.fixture
def mine(engine: Engine, world: World) -> Deal:
    return active_deal(engine, world)


def lines(engine: Engine) -> list[tuple[int, int, int, int | None]]:
    with session_scope(engine) as s:
        found = s.exec(select(UsageReportLine).order_by(UsageReportLine.line_no)).all()
        return [(x.product_id, x.units, x.net_sales_minor, x.unit_price_minor) for x in found]


def template(client: TestClient, d: Deal) -> list[list[str]]:
    response = client.get(TEMPLATE.format(d.agreement_id))
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.reader(io.StringIO(response.text)))


def write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_a_filled_template_gives_the_exact_minor_units(
    client: TestClient, engine: Engine, world: World, mine: Deal
) -> None:
    sign_in(client, "sme@example.org")
    form = client.get(f"/licensee/agreements/{mine.agreement_id}/reports/new").text
    assert f'href="{TEMPLATE.format(mine.agreement_id)}"' in form
    header, *examples = template(client, mine)
    assert header == ["product", "country_of_manufacture", "country_of_sale", "units",
                      "net_sales", "upstream_paid_units", "unit_price"]  # fmt: skip
    assert examples == [[f"PF-{mine.agreement_id}-mobile", "US", "US", "", "", "", ""]]
    (row,) = examples
    row[3:5] = ["1000", "45000.05"]
    second = [row[0].lower(), "CN", "US", "7", "0.1", "", "19999999.99"]
    response = upload(client, mine, write([header, row, second]))
    assert response.status_code == 303, response.text[-3000:]
    product = mine.products["mobile"]
    assert lines(engine) == [(product, 1000, 45_000_05, None), (product, 7, 10, 19_999_999_99)]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["PF-X", "CN", "US", "5", "10.00"], "product", "no registered product 'PF-X'"),
        (["{code}", "CN", "US", "5", "10.005"], "net_sales", "has more decimals than USD has (2)"),
        (["{code}", "CN", "US", "5", "ten"], "net_sales", "'ten' is not an amount"),
        (["{code}", "CN", "US", "5", "1e3"], "net_sales", "'1e3' is not an amount"),
        (["{code}", "CN", "US", "5", "-1.00"], "net_sales", "must not be negative"),
        (["{code}", "CN", "US", "5", ""], "net_sales", "required"),
        (["{code}", "CN", "US", "x", "1.00"], "units", "is not a whole number"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_stored(
    client: TestClient,
    engine: Engine,
    world: World,
    mine: Deal,
    cells: list[str],
    column: str,
    message: str,
) -> None:
    sign_in(client, "sme@example.org")
    code = f"PF-{mine.agreement_id}-mobile"
    good = [code, "CN", "US", "1", "1.00"]
    header = ["product", "country_of_manufacture", "country_of_sale", "units", "net_sales"]
    bad = [c.format(code=code) for c in cells]
    response = upload(client, mine, write([header, good, bad]))
    assert response.status_code == 422
    text = html.unescape(" ".join(response.text.split()))
    assert 'id="line-3"' in text
    assert 'id="line-2"' not in text  # the good line
    fault = text.split('id="line-3"', 1)[1].split("</tbody>", 1)[0]
    assert f"<strong>{column}</strong>: " in fault
    assert message in fault
    assert lines(engine) == []


def test_the_old_columns_still_work(client: TestClient, engine: Engine, mine: Deal) -> None:
    sign_in(client, "sme@example.org")
    product = mine.products["mobile"]
    header = "product_id,country_of_manufacture,country_of_sale,units,net_sales_minor\n"
    response = upload(client, mine, f"{header}{product},CN,US,1000,4500000\n")
    assert response.status_code == 303
    assert lines(engine) == [(product, 1000, 4_500_000, None)]


@pytest.mark.parametrize(
    "email", ["big@example.org", "uni@example.org", "lab@example.org", "admin@example.org",
              "auditor@example.org"],
)  # fmt: skip
def test_only_the_agreements_licensee_gets_its_template(
    client: TestClient, world: World, mine: Deal, email: str
) -> None:
    sign_in(client, email)
    response = client.get(TEMPLATE.format(mine.agreement_id))
    assert response.status_code == 404
    assert "PF-" not in response.text


def test_visitors_are_sent_to_the_login_page(client: TestClient, mine: Deal) -> None:
    response = client.get(TEMPLATE.format(mine.agreement_id), follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")
