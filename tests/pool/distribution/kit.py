"""A small pool with money in it, built through the real services and HTTP: patents of two
contributors, one licensee's reports, invoices and payments; then period close helpers."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.db import session_scope
from pool.models.patent import Patent, PatentInclusion
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.reporting.kit import Deal, deal, line, submit

API = "/api/v1"
PER_UNIT = {
    "terms_version": "flat",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [
        {"category": "mobile", "basis": "per_unit", "tiers": [{"from_units": 0, "rate": "0.50"}]}
    ],
}


def patent(
    engine: Engine,
    world: World,
    owner: str | int,
    country: str,
    start: date,
    end: date | None = None,
) -> int:
    """An accepted pool patent of `owner` (a caller's name, or an organisation id) in
    `country`, in the pool over [start, end)."""
    owner_id = owner if isinstance(owner, int) else world.callers[owner].organisation_id or 0
    with session_scope(engine) as s:
        return add_patent(s, world.pool_id, owner_id, country, start, end)


def add_patent(
    s: Session, pool_id: int, owner_id: int, country: str, start: date, end: date | None
) -> int:
    """The patent row and its in-pool interval, in the caller's transaction."""
    count = len(s.exec(select(Patent.id)).all())
    row = Patent(
        pool_id=pool_id,
        owner_organisation_id=owner_id,
        number=f"{country}{7000000 + count}B2",
        number_key=f"{country}{7000000 + count}",
        jurisdiction=country,
        country=country,
        title="Codec",
        filing_date=date(2015, 1, 1),
        status="accepted",
        submitted_at=datetime(2024, 1, 1, tzinfo=UTC),
        updated_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    s.add(row)
    s.flush()
    s.add(
        PatentInclusion(
            patent_id=row.id or 0, pool_id=pool_id, country=country, start_on=start, end_on=end
        )
    )
    return row.id or 0


@dataclass
class Books:
    """The pool of the worked example: Uni A holds 3 CN patents, Lab B 1 CN and 1 US."""

    deal: Deal
    invoice_id: int


def worked_example(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> Books:
    """Q1 2025 report: 1,000 units sold in the US (500.00) and 2,001 in Germany (1,000.50),
    all made in China; invoiced at once (net 0 days)."""
    for _ in range(3):
        patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    patent(engine, world, "other_contributor", "CN", date(2020, 1, 1))
    patent(engine, world, "other_contributor", "US", date(2020, 1, 1))
    d = deal(engine, world, royalty=PER_UNIT, payment={"net_days": 0})
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    mobile = d.products["mobile"]
    receipt = submit(
        client,
        world,
        d,
        "2025-01-01",
        [line(mobile, 1000, made="CN", sold="US"), line(mobile, 2001, made="CN", sold="DE")],
    )
    assert receipt.status_code == 201, receipt.text
    return Books(d, receipt.json()["invoice_id"])


def pay(
    client: TestClient, world: World, reference: str, amount: int, on: str, clock: FakeClock
) -> None:
    """Record money received `on` that day: the clock moves there first if it is earlier (no
    date that moves money may lie in the future)."""
    clock.now = max(clock.now, datetime.combine(date.fromisoformat(on), time(12), UTC))
    r = client.post(
        f"{API}/pools/{world.pool_id}/payments",
        json={
            "licensee_organisation_id": world.licensee.organisation_id,
            "reference": reference,
            "amount_minor": amount,
            "currency": "USD",
            "received_on": on,
        },
        headers=world.admin.headers,
    )
    assert r.status_code == 201, r.text


def close(client: TestClient, world: World, period_start: str) -> dict[str, Any]:
    r = client.post(
        f"{API}/pools/{world.pool_id}/distribution-runs",
        json={"period_start": period_start},
        headers=world.admin.headers,
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def approve(client: TestClient, world: World, run_id: int) -> dict[str, Any]:
    r = client.post(f"{API}/distribution-runs/{run_id}/approve", headers=world.admin.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def issue(client: TestClient, world: World, run_id: int) -> list[dict[str, Any]]:
    r = client.post(f"{API}/distribution-runs/{run_id}/statements", headers=world.admin.headers)
    assert r.status_code == 200, r.text
    body: list[dict[str, Any]] = r.json()
    return body


def by_contributor(run: dict[str, Any], world: World) -> dict[str, tuple[int, int, int, int]]:
    """(gross, adjustments, withholding, net) per caller name."""
    names = {
        world.contributor.organisation_id: "contributor",
        world.other_contributor.organisation_id: "other_contributor",
    }
    return {
        names[c["contributor_organisation_id"]]: (
            c["gross_minor"],
            c["adjustments_minor"],
            c["withholding_minor"],
            c["net_payable_minor"],
        )
        for c in run["contributors"]
    }
