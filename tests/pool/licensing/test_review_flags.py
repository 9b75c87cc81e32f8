"""Review flags: licences that may not aim at implementation (DOMAIN.md section 4)."""

from datetime import UTC, date, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from pool.models.reporting import UsageReport
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.licensing.helpers import API, accepted_patent, active, add_terms, move, ok


def report(engine: Engine, agreement: dict[str, int], start: date, end: date, nil: bool) -> None:
    """Accepted usage reports are another slice's; the flags only read the table."""
    with session_scope(engine) as s:
        s.add(
            UsageReport(
                agreement_id=agreement["id"],
                licensee_organisation_id=agreement["licensee_organisation_id"],
                period_start=start,
                period_end=end,
                is_nil=nil,
                units_total=0 if nil else 10,
                content_sha256="0" * 64,
                submitted_at=datetime(2025, 1, 1, tzinfo=UTC),
            )
        )


def flags(client: TestClient, world: World, **params: int) -> set[tuple[int, str]]:
    url = f"{API}/pools/{world.pool_id}/review-flags"
    body = ok(client.get(url, params=params, headers=world.auditor.headers))
    return {(flag["agreement_id"], flag["kind"]) for flag in body["items"]}


def test_worked_example(client: TestClient, world: World, engine: Engine) -> None:
    """Today is 2025-06-02; quarterly reports are due 30 days after each quarter.

    | agreement | since      | products | Q4 2024 | Q1 2025 | flags                       |
    |-----------|------------|----------|---------|---------|-----------------------------|
    | busy      | 2024-10-01 | 1        | units   | units   | -                           |
    | idle      | 2024-10-01 | 0        | nil     | missing | no_product, nil_reports     |
    | new       | 2025-05-01 | 0        | -       | -       | - (not 90 days yet)         |
    | quit      | 2025-01-10 | 0        | -       | -       | early_termination (80 days) |
    """
    patent = accepted_patent(client, world)
    terms_id = add_terms(client, world)["id"]
    since = {"signed_on": "2024-10-01", "start_on": "2024-10-01"}
    busy, idle = active(client, world, terms_id, **since), active(client, world, terms_id, **since)
    new = active(client, world, terms_id, signed_on="2025-05-01", start_on="2025-05-01")
    quit_ = active(client, world, terms_id)
    ok(move(client, world, quit_["id"], "terminated", "2025-03-31"))
    product = {"name": "P", "model": "1", "category": "mobile", "patent_ids": [patent]}
    ok(
        client.post(
            f"{API}/agreements/{busy['id']}/products", json=product, headers=world.licensee.headers
        )
    )
    report(engine, busy, date(2024, 10, 1), date(2025, 1, 1), nil=False)
    report(engine, busy, date(2025, 1, 1), date(2025, 4, 1), nil=False)
    report(engine, idle, date(2024, 10, 1), date(2025, 1, 1), nil=True)
    assert flags(client, world) == {
        (idle["id"], "no_product"),
        (idle["id"], "nil_reports"),
        (quit_["id"], "early_termination"),
    }
    assert (new["id"], "no_product") in flags(client, world, no_product_days=30)
    assert (quit_["id"], "early_termination") not in flags(client, world, early_termination_days=60)


def test_zero_and_nominal_fees(client: TestClient, world: World) -> None:
    zero = add_terms(
        client,
        world,
        terms_version="zero",
        categories=[{"category": "mobile", "rate": "0"}],
        entry_fee_minor=0,
        free_units_per_year=0,
    )
    capped = add_terms(
        client, world, terms_version="capped", annual_cap_minor=50_000, entry_fee_minor=0
    )
    normal = add_terms(client, world, terms_version="normal")
    ids = {
        name: active(client, world, terms["id"], product_categories=["mobile"])["id"]
        for name, terms in (("zero", zero), ("capped", capped), ("normal", normal))
    }
    fee_flags = {f for f in flags(client, world) if f[1].endswith("_fee")}
    assert fee_flags == {(ids["zero"], "zero_fee"), (ids["capped"], "nominal_fee")}
    body = ok(client.get(f"{API}/pools/{world.pool_id}/review-flags", headers=world.admin.headers))
    reason = next(f["reason"] for f in body["items"] if f["kind"] == "nominal_fee")
    assert reason == "terms capped charge at most 50000 minor units a year (below 100000)"
    assert next(f["licensee"] for f in body["items"]) == "SME L"
    assert (body["total"], body["limit"], body["offset"]) == (len(body["items"]), 50, 0)


def test_flags_are_listed_a_page_at_a_time(client: TestClient, world: World) -> None:
    """Flags come by agreement id; `total` counts every flag, not only the page's."""
    zero = add_terms(
        client,
        world,
        terms_version="zero",
        categories=[{"category": "mobile", "rate": "0"}],
        entry_fee_minor=0,
        free_units_per_year=0,
    )
    ids = [active(client, world, zero["id"], product_categories=["mobile"])["id"] for _ in range(3)]
    url = f"{API}/pools/{world.pool_id}/review-flags"
    every = ok(client.get(url, headers=world.auditor.headers))
    found = [(f["agreement_id"], f["kind"]) for f in every["items"]]
    assert {(i, "zero_fee") for i in ids} <= set(found)
    assert [agreement for agreement, _ in found] == sorted(agreement for agreement, _ in found)
    page = ok(client.get(url, params={"limit": 1, "offset": 1}, headers=world.auditor.headers))
    assert page["items"] == every["items"][1:2]
    assert (page["total"], page["limit"], page["offset"]) == (len(found), 1, 1)


def test_only_staff_see_flags(client: TestClient, world: World, clock: FakeClock) -> None:
    url = f"{API}/pools/{world.pool_id}/review-flags"
    assert client.get(url, headers=world.licensee.headers).status_code == 404
    assert client.get(url, headers=world.contributor.headers).status_code == 404
