"""Bad reports are refused with every fault named (line and column, or field); nothing is
stored, nothing is audited, and no request ends in a 500."""

from datetime import UTC, date, datetime

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.reporting.kit import API, Deal, count, cover, deal, line, submit

TERMS = {
    "terms_version": "v1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "mobile", "rate": "0.50"},
        {
            "category": "TV",
            "bands": [
                {"lower_minor": 0, "upper_minor": 50000, "upper_inclusive": False, "rate": "0.5"},
                {"lower_minor": 50000, "lower_inclusive": True, "rate": "1"},
            ],
        },
    ],
}
HEADER = "product_id,country_of_manufacture,country_of_sale,units,net_sales_minor\n"


@pytest.fixture
def deals(engine: Engine, world: World) -> tuple[Deal, Deal]:
    cover(engine, world, "CN", date(2020, 1, 1))
    return deal(engine, world, royalty=TERMS), deal(
        engine, world, royalty=TERMS, caller="other_licensee"
    )


def upload(
    client: TestClient, world: World, d: Deal, body: str | bytes, period: str = "2025-01-01"
) -> Response:
    content = body.encode() if isinstance(body, str) else body
    return client.post(
        f"{API}/agreements/{d.agreement_id}/reports/import",
        params={"period_start": period},
        content=content,
        headers={**world.callers[d.caller].headers, "Content-Type": "text/csv"},
    )


def stored(client: TestClient, world: World) -> tuple[int, int, int]:
    return (
        count(client, world, "reports"),
        count(client, world, "invoices"),
        count(client, world, "audit"),
    )


def refused(response: Response, status: int = 422) -> list[tuple[int | None, str | None, str]]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [
        (e.get("line"), e.get("column") or e.get("field"), e["message"])
        for e in response.json().get("errors", [])
    ]


def test_a_clean_csv_with_a_bom_imports(
    client: TestClient, world: World, deals: tuple[Deal, Deal]
) -> None:
    d = deals[0]
    body = "\ufeff" + HEADER + f"{d.products['mobile']},CN,US,1000,0\n\n"
    r = upload(client, world, d, body)
    assert r.status_code == 201, r.text
    assert (r.json()["line_count"], r.json()["units_total"]) == (1, 1000)


def test_every_bad_line_and_column_is_reported_and_nothing_stored(
    client: TestClient, world: World, deals: tuple[Deal, Deal]
) -> None:
    mine, theirs = deals
    before = stored(client, world)
    mobile, tv = mine.products["mobile"], mine.products["TV"]
    body = HEADER + (
        f"{mobile},CN,US,1000,0\n"  # 2: fine
        f"999999,CN,US,10,0\n"  # 3: unknown product
        f"{theirs.products['mobile']},CN,US,10,0\n"  # 4: another licensee's product
        f"{mobile},CN,US,-5,0\n"  # 5: negative units
        f"{mobile},CN,US,ten,0\n"  # 6: not a number
        f"{mobile},XX,UK,10,0\n"  # 7: two bad countries
        f"{tv},CN,US,10,0\n"  # 8: banded category without a unit price
        f"{mobile},CN,US\n"  # 9: too few fields
    )
    errors = refused(upload(client, world, mine, body))
    assert [(line_no, column) for line_no, column, _ in errors] == [
        (3, "product_id"),
        (4, "product_id"),
        (5, "units"),
        (6, "units"),
        (7, "country_of_manufacture"),
        (7, "country_of_sale"),
        (8, "unit_price_minor"),
        (9, None),
    ]
    messages = {(line_no, column): message for line_no, column, message in errors}
    assert messages[(5, "units")] == "must not be negative"
    assert "did you mean 'GB'" in messages[(7, "country_of_sale")]
    assert stored(client, world) == before


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "product_id;country_of_manufacture;country_of_sale;units;net_sales_minor\n1;CN;US;1;0\n",
            [(1, None, "fields separated by semicolons, not commas")],
        ),
        (
            "product_id,country_of_sale,units,net_sales_minor\n1,US,1,0\n",
            [(1, "country_of_manufacture", "required column missing")],
        ),
        ("", [(1, None, "no header line")]),
        (HEADER, [(2, None, "no data lines")]),
        (b"\xff\xfe" + HEADER.encode("utf-16-le"), [(1, None, "not UTF-8 at byte 0")]),
    ],
    ids=["semicolons", "missing column", "empty", "header only", "utf-16"],
)
def test_malformed_files_are_refused_clearly(
    client: TestClient,
    world: World,
    deals: tuple[Deal, Deal],
    body: str | bytes,
    expected: list[tuple[int, str | None, str]],
) -> None:
    before = stored(client, world)
    assert refused(upload(client, world, deals[0], body)) == expected
    assert stored(client, world) == before


def test_a_50_mb_file_is_refused_with_413(
    client: TestClient, world: World, deals: tuple[Deal, Deal]
) -> None:
    d = deals[0]
    row = f"{d.products['mobile']},CN,US,1,0\n".encode()
    body = HEADER.encode() + row * (50 * 1024 * 1024 // len(row))
    refused(upload(client, world, d, body), 413)
    assert stored(client, world)[0] == 0


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        (
            "2024-10-01",
            "period_start",
            "the period [2024-10-01, 2025-01-01) lies outside the "
            "agreement [2025-01-01, 2028-01-01)",
        ),
        ("2025-02-01", "period_start", "a quarterly period starts on 1 Jan, Apr, Jul, Oct"),
        ("2025-07-01", "period_start", "the period has not started yet"),
    ],
)
def test_periods_outside_the_agreement_or_the_cadence_are_refused(
    client: TestClient,
    world: World,
    deals: tuple[Deal, Deal],
    period: str,
    field: str,
    message: str,
) -> None:
    d = deals[0]
    r = submit(client, world, d, period, [line(d.products["mobile"], 10)])
    assert refused(r) == [(None, field, message)]
    body = HEADER + f"{d.products['mobile']},CN,US,1,0\n"
    assert refused(upload(client, world, d, body, period)) == [(None, field, message)]


def test_json_lines_name_the_field_of_each_fault(
    client: TestClient, world: World, deals: tuple[Deal, Deal]
) -> None:
    mine, theirs = deals
    lines = [
        line(mine.products["mobile"], 10),
        line(theirs.products["mobile"], 10),
        line(mine.products["mobile"], 10, upstream=11),
    ]
    errors = refused(submit(client, world, mine, "2025-01-01", lines))
    assert [field for _, field, _ in errors] == [
        "lines[1].product_id",
        "lines[2].upstream_paid_units",
    ]
    bad = submit(client, world, mine, "2025-01-01", [line(mine.products["mobile"], -1)])
    assert bad.status_code == 422
    assert "units" in bad.text
    country = submit(
        client, world, mine, "2025-01-01", [line(mine.products["mobile"], 1, sold="ZZ")]
    )
    assert country.status_code == 422
    assert "country_of_sale" in country.text
    assert stored(client, world)[0] == 0


def test_currency_mismatch_is_refused(
    client: TestClient, world: World, deals: tuple[Deal, Deal]
) -> None:
    d = deals[0]
    body = {
        "period_start": "2025-01-01",
        "currency": "CNY",
        "lines": [line(d.products["mobile"], 10)],
    }
    r = client.post(
        f"{API}/agreements/{d.agreement_id}/reports", json=body, headers=world.licensee.headers
    )
    assert refused(r) == [(None, "currency", "reports are in the pool's currency, USD")]


def test_a_period_reported_twice_is_a_conflict_but_a_late_earlier_one_is_not(
    client: TestClient, world: World, deals: tuple[Deal, Deal], clock: FakeClock
) -> None:
    clock.now = datetime(2025, 10, 5, tzinfo=UTC)
    d = deals[0]
    mobile = d.products["mobile"]
    assert submit(client, world, d, "2025-04-01", [line(mobile, 10)]).status_code == 201
    again = submit(client, world, d, "2025-04-01", [line(mobile, 10)])
    assert "send a correction" in again.json()["detail"]
    assert again.status_code == 409
    # a late report of an earlier period is taken (test_earlier_periods.py); at a flat rate
    # it changes nothing later, so Q2's invoice stands
    earlier = submit(client, world, d, "2025-01-01", [line(mobile, 10)])
    assert earlier.status_code == 201, earlier.text
    assert (count(client, world, "reports"), count(client, world, "invoices")) == (2, 2)


def test_an_agreement_that_is_not_active_takes_no_reports(
    client: TestClient, world: World, engine: Engine
) -> None:
    d = deal(engine, world, royalty=TERMS, state="suspended")
    r = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 10)])
    assert r.status_code == 409
    assert "suspended" in r.json()["detail"]
