"""A usage report's integers, as JSON and as CSV lines (issue 13): each is bounded by its type,
and what they add up to must fit where it is stored. Every refusal is a 422 naming the line
and column (CSV) or the field (JSON), and writes nothing; before, each case here was a 500."""

from datetime import date
from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.conftest import World
from tests.pool.hostile.kit import TOO_BIG, database_state
from tests.pool.reporting.kit import API, Deal, cover, deal, invoice_of, line, submit
from tests.pool.test_problems import assert_problem

MAX_ID = 2**31 - 1
MAX_EXACT = 2**53 - 1
MAX_UNITS = 10**12
MAX_MINOR = 10**15
TERMS = {
    "terms_version": "v1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "mobile", "rate": "0.50"},
        {"category": "PC", "basis": "percent_of_net_sales", "percent": "1"},
        {"category": "dear", "rate": "1000000"},  # 10^8 minor units a unit
    ],
}
HEADER = "product_id,country_of_manufacture,country_of_sale,units,net_sales_minor\n"
ROYALTY_TOO_LARGE = (
    f"the royalty would pass {10**18} minor units, the most charged a line or a year"
)
PATENT_HEADER = "number,title,filing_date,owner_organisation_id\n"


@pytest.fixture
def d(engine: Engine, world: World) -> Deal:
    cover(engine, world, "CN", date(2020, 1, 1))
    return deal(engine, world, royalty=TERMS)


def upload(client: TestClient, world: World, d: Deal, body: str) -> Response:
    return client.post(
        f"{API}/agreements/{d.agreement_id}/reports/import",
        params={"period_start": "2025-01-01"},
        content=body.encode(),
        headers={**world.licensee.headers, "Content-Type": "text/csv"},
    )


def faults(response: Response) -> list[tuple[Any, Any]]:
    body = assert_problem(response, 422)
    return [(e.get("line"), e.get("column") or e.get("field")) for e in body["errors"]]


def test_the_most_units_a_line_may_carry_are_invoiced(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    """Report lines store units as BigInteger, invoice lines stored them as `integer`: on
    PostgreSQL a line of more than 2^31-1 units was a 500 ("integer out of range")."""
    mobile = d.products["mobile"]
    invoice = invoice_of(
        client, world, submit(client, world, d, "2025-01-01", [line(mobile, 10**12)])
    )
    assert [x["units"] for x in invoice["lines"]] == [MAX_UNITS]
    assert invoice["total_minor"] == MAX_UNITS * 50
    before = database_state(engine)
    more = submit(client, world, d, "2025-04-01", [line(mobile, MAX_UNITS + 1)])
    assert faults(more) == [(None, "lines.0.units")]
    assert database_state(engine) == before


def test_lines_whose_total_passes_what_the_report_holds_are_refused_naming_the_line(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    """10,000 lines of the largest net sales summed past the report's 64-bit column: a 500.
    The line whose running total passes 2^53-1 is named, in JSON and in CSV alike."""
    before = database_state(engine)
    pc = d.products["PC"]
    lines = [line(pc, 1, net=MAX_MINOR)] * 10_000
    assert MAX_MINOR * 9 <= MAX_EXACT < MAX_MINOR * 10
    assert faults(submit(client, world, d, "2025-01-01", lines)) == [
        (None, "lines[9].net_sales_minor")
    ]
    csv = HEADER + f"{pc},CN,US,1,{MAX_MINOR}\n" * 10_000
    assert faults(upload(client, world, d, csv)) == [(11, "net_sales_minor")]
    assert database_state(engine) == before


def test_a_royalty_past_the_largest_amount_charged_is_refused(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    """Bounded units at a large rate made `contracts` refuse an amount past 10^18 with a
    ValidationError nobody caught: a 500, for one line or for the year's total."""
    before = database_state(engine)
    dear = d.products["dear"]
    one_line = [line(dear, MAX_UNITS)]  # 10^20 minor units
    year = [line(dear, 10**10)] * 2  # 10^18 each, 2 * 10^18 in the year
    for lines in (one_line, year):
        response = submit(client, world, d, "2025-01-01", lines)
        assert faults(response) == [(None, "lines")]
        assert response.json()["errors"][0]["message"] == ROYALTY_TOO_LARGE
    assert faults(upload(client, world, d, HEADER + f"{dear},CN,US,{10**10},0\n" * 2)) == [
        (None, "lines")
    ]
    assert database_state(engine) == before


def test_a_csv_number_out_of_range_names_its_line_and_column(
    client: TestClient, world: World, engine: Engine, d: Deal
) -> None:
    before = database_state(engine)
    mobile = d.products["mobile"]
    body = HEADER + (
        f"{mobile},CN,US,1,0\n"  # 2: fine
        f"{TOO_BIG},CN,US,1,0\n"  # 3: a product id past 64 bits
        f"{MAX_ID + 1},CN,US,1,0\n"  # 4: past 32 bits
        f"{mobile},CN,US,{'9' * 5000},0\n"  # 5: 5,000 digits: int() raised ValueError, a 500
        f"{mobile},CN,US,1,{MAX_MINOR + 1}\n"  # 6
    )
    response = upload(client, world, d, body)
    assert faults(response) == [
        (3, "product_id"),
        (4, "product_id"),
        (5, "units"),
        (6, "net_sales_minor"),
    ]
    messages = [e["message"] for e in response.json()["errors"]]
    assert messages == [f"at most {MAX_ID}"] * 2 + [f"at most {MAX_UNITS}", f"at most {MAX_MINOR}"]
    assert database_state(engine) == before


def test_a_patent_csv_owner_out_of_range_names_its_line_and_column(
    client: TestClient, world: World, engine: Engine
) -> None:
    """The patent import reads each line with `PatentCreate`, so its owner is a `BodyId`."""
    before = database_state(engine)
    owner = world.contributor.organisation_id
    body = PATENT_HEADER + (
        f"US1000001B2,Codec,2015-01-01,{owner}\n"
        f"US1000002B2,Codec,2015-01-01,{TOO_BIG}\n"
        f"US1000003B2,Codec,2015-01-01,{MAX_ID + 1}\n"
    )
    response = client.post(
        f"{API}/pools/{world.pool_id}/patents/import",
        content=body.encode(),
        headers={**world.admin.headers, "Content-Type": "text/csv"},
    )
    assert faults(response) == [(3, "owner_organisation_id"), (4, "owner_organisation_id")]
    assert database_state(engine) == before
