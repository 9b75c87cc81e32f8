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
from tests.pool.hostile.kit import database_state
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
