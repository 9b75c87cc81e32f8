"""The programme's yearly figures with every deal type, worked by hand (docs/figures.md).

2024: Uni A (a university) transfers a patent to Big M (large), 10,000.00, and receives
6,000.00 in June; Lab B (an institute) pledges a patent from 1 September, securing 50,000.00.
2025: the last 4,000.00 of the transfer arrive in February; Lab B licenses a patent outside the
pool to SME L (small), 3,000.00, all received in April; Uni A contributes a patent to Big M's
capital, valued at 20,000.00 (nothing received); two pledges take effect, Uni A's (30,000.00)
and Lab B's (26,000.00, released a month later: still a 2025 project). No pool licence.

                          2024        2025      growth
  deals (not pledges)        1           2      100.0000 %  (3 %: met)
  contracted         1,000,000   2,300,000      130.0000 %  (3 %: met)
  received             600,000     700,000       16.6666 %  (3 %: met; 16.666.. rounded down)
  pledge amount      5,000,000   5,600,000       12.0000 %  (10 %: met)
  pledge projects            1           2      100.0000 %  (5 %: met)"""

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit

API = "/api/v1"


def deal(client: TestClient, engine: Engine, world: World, **body: Any) -> int:
    owner = "contributor" if body.pop("by") == "uni" else "other_contributor"
    patent = kit.patent(engine, world, owner, "CN", date(2020, 1, 1))
    to = world.other_licensee if body.pop("to") == "big" else world.licensee
    receipts = body.pop("receipts", [])
    full = {
        "supplier_organisation_id": world.callers[owner].organisation_id,
        "counterparty_organisation_id": to.organisation_id,
        "patent_ids": [patent],
        "effective_on": body["signed_on"],
        **body,
    }
    r = client.post(f"{API}/pools/{world.pool_id}/deals", json=full, headers=world.admin.headers)
    assert r.status_code == 201, r.text
    deal_id = int(r.json()["id"])
    for n, (on, amount) in enumerate(receipts):
        receipt = {"received_on": on, "amount_minor": amount, "reference": f"R{deal_id}-{n}"}
        url = f"{API}/deals/{deal_id}/receipts"
        assert client.post(url, json=receipt, headers=world.admin.headers).status_code == 200
    return deal_id


def test_every_deal_type_is_counted_by_supplier_and_size_with_its_targets(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 1, 15, 9, tzinfo=UTC)
    deal(client, engine, world, by="uni", to="big", kind="transfer", signed_on="2024-05-01",
         contract_amount_minor=1_000_000,
         receipts=[("2024-06-01", 600_000), ("2025-02-01", 400_000)])  # fmt: skip
    deal(client, engine, world, by="lab", to="big", kind="pledge", signed_on="2024-08-20",
         effective_on="2024-09-01", contract_amount_minor=5_000_000)  # fmt: skip
    deal(client, engine, world, by="lab", to="sme", kind="licence", signed_on="2025-03-01",
         contract_amount_minor=300_000, receipts=[("2025-04-01", 300_000)])  # fmt: skip
    deal(client, engine, world, by="uni", to="big", kind="capital_contribution",
         signed_on="2025-06-01", contract_amount_minor=2_000_000)  # fmt: skip
    deal(client, engine, world, by="uni", to="big", kind="pledge", signed_on="2025-02-01",
         contract_amount_minor=3_000_000)  # fmt: skip
    released = deal(client, engine, world, by="lab", to="big", kind="pledge",
                    signed_on="2025-07-01", contract_amount_minor=2_600_000)  # fmt: skip
    r = client.post(
        f"{API}/deals/{released}/end", json={"ended_on": "2025-08-01"}, headers=world.admin.headers
    )
    assert r.status_code == 200, r.text

    r = client.get(f"{API}/pools/{world.pool_id}/figures?year=2025", headers=world.auditor.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    now, before = body["current"]["transactions"], body["previous"]["transactions"]
    kinds = {k["kind"]: k for k in now["kinds"]}
    assert [k["kind"] for k in now["kinds"]] == [
        "transfer", "licence", "capital_contribution", "pledge",
    ]  # fmt: skip
    assert (kinds["transfer"]["signed"], kinds["transfer"]["received_minor"]) == (0, 400_000)
    licence = kinds["licence"]
    assert (licence["signed"], licence["contracted_minor"], licence["received_minor"]) == (
        1, 300_000, 300_000,
    )  # fmt: skip
    assert licence["by_supplier"] == {
        "university_or_institute": 1,
        "enterprise": 0,
        "individual": 0,
    }
    assert licence["by_counterparty_size"]["small"] == 1
    capital = kinds["capital_contribution"]
    assert (capital["signed"], capital["contracted_minor"], capital["received_minor"]) == (
        1, 2_000_000, 0,
    )  # fmt: skip
    assert capital["contracted_by_supplier"]["university_or_institute"] == 2_000_000
    assert capital["by_counterparty_size"]["large"] == 1
    assert (kinds["pledge"]["signed"], kinds["pledge"]["contracted_minor"]) == (2, 5_600_000)
    assert now["pledges"] == {"projects": 2, "secured_minor": 5_600_000}
    assert (now["deals"], now["contracted_minor"], now["received_minor"]) == (
        2, 2_300_000, 700_000,
    )  # fmt: skip
    assert (before["deals"], before["contracted_minor"], before["received_minor"]) == (
        1, 1_000_000, 600_000,
    )  # fmt: skip
    assert before["pledges"] == {"projects": 1, "secured_minor": 5_000_000}

    growth = {g["figure"]: g for g in body["growth"]}
    table = [
        (name, *(growth[name][x] for x in ("target_percent", "percent", "meets_target")))
        for name in (
            "transactions", "transactions_contracted", "transactions_received",
            "pledge_amount", "pledge_projects",
        )
    ]  # fmt: skip
    assert table == [
        ("transactions", "3", "100.0000", True),
        ("transactions_contracted", "3", "130.0000", True),
        ("transactions_received", "3", "16.6666", True),
        ("pledge_amount", "10", "12.0000", True),
        ("pledge_projects", "5", "100.0000", True),
    ]

    table = client.get(
        f"{API}/pools/{world.pool_id}/figures/table.csv?year=2025", headers=world.admin.headers
    )
    assert table.status_code == 200, table.text
    assert table.headers["content-type"].startswith("text/csv")
    assert table.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows[1] == [
        "section", "figure", "breakdown", "2024", "2025", "unit",
        "growth_percent", "target_percent", "target_met",
    ]  # fmt: skip
    found = {tuple(r[:3]): r[3:] for r in rows[2:]}
    assert found[("all deal types", "contracted", "")] == [
        "10000.00", "23000.00", "USD", "130.0000", "3", "yes",
    ]  # fmt: skip
    assert found[("pledge financing", "amount", "")] == [
        "50000.00", "56000.00", "USD", "12.0000", "10", "yes",
    ]  # fmt: skip
    assert found[("pledge financing", "projects", "")] == [
        "1",
        "2",
        "count",
        "100.0000",
        "5",
        "yes",
    ]
    assert found[("licences", "signed", "university or institute")][:2] == ["0", "1"]
    assert found[("capital contributions", "contracted", "university or institute")][:2] == [
        "0.00", "20000.00",
    ]  # fmt: skip
    # review flags: Lab B's second pledge was released 31 days after it took effect (the
    # threshold is 30); none of the others ended
    assert body["deal_flags"] == []
    r = client.post(
        f"{API}/deals/{released}/end", json={"ended_on": "2025-08-05"}, headers=world.admin.headers
    )
    assert r.status_code == 409, r.text  # ended once, for good


def test_a_transfer_undone_and_a_pledge_released_at_once_are_flagged(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 1, 15, 9, tzinfo=UTC)
    moved = deal(client, engine, world, by="uni", to="big", kind="transfer",
                 signed_on="2025-03-01", contract_amount_minor=100)  # fmt: skip
    pledged = deal(client, engine, world, by="lab", to="big", kind="pledge",
                   signed_on="2025-05-01", contract_amount_minor=100)  # fmt: skip
    kept = deal(client, engine, world, by="lab", to="big", kind="pledge",
                signed_on="2025-06-01", contract_amount_minor=100)  # fmt: skip
    for deal_id, on in ((moved, "2025-06-01"), (pledged, "2025-05-31"), (kept, "2025-09-01")):
        r = client.post(
            f"{API}/deals/{deal_id}/end", json={"ended_on": on}, headers=world.admin.headers
        )
        assert r.status_code == 200, r.text
    r = client.get(f"{API}/pools/{world.pool_id}/figures?year=2025", headers=world.admin.headers)
    flags = [(f["deal_id"], f["kind"], f["facts"]) for f in r.json()["deal_flags"]]
    assert flags == [
        (moved, "transfer_undone", {"days": 92}),
        (pledged, "pledge_released_at_once", {"days": 30}),
    ]  # the pledge kept 92 days is not flagged
    assert r.json()["review_flags"] == {"pledge_released_at_once": 1, "transfer_undone": 1}
