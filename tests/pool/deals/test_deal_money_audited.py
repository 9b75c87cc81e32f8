"""The deal register's money is checked against the audit trail like the pool's own money
(`audit.verify_money`): a deal's contract amount, dates and patents, and each receipt under
it. A capital contribution with two receipts, a pledge the pledgee consented to and a transfer
later ended verify; any single edit of a compared column, a receipt deleted and a receipt
written around the services are each detected and named."""

from datetime import UTC, date, datetime
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from pool.db import session_scope
from pool.services import audit
from pool.services.audit.money_tables import BY_NAME
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.deals.test_transfers_and_pledges import API, pledge, record, transfer
from tests.pool.distribution import kit
from tests.pool.test_audit_money import _edited

DEAL_TABLES = ("patent_deal", "deal_receipt")


def _deals(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> dict[str, int]:
    patents = [kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1)) for _ in range(3)]
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    share = {**transfer(world, patents[0]), "kind": "capital_contribution"}
    shares = record(client, world, "contributor", **share).json()["id"]
    for ref, day, amount in (("SH-1", "2025-03-01", 4_000_000), ("SH-2", "2025-04-01", 1_500_001)):
        body = {"received_on": day, "amount_minor": amount, "reference": ref}
        r = client.post(f"{API}/deals/{shares}/receipts", json=body, headers=world.admin.headers)
        assert r.status_code == 200, r.text
    pledged = record(client, world, "admin", **pledge(world, patents[1])).json()["id"]
    r = client.post(
        f"{API}/deals/{pledged}/consent", json={"consent_on": "2025-03-15"},
        headers=world.admin.headers,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    moved = record(client, world, "admin", **transfer(world, patents[2])).json()["id"]
    r = client.post(
        f"{API}/deals/{moved}/end", json={"ended_on": "2025-04-01", "reason": "undone"},
        headers=world.admin.headers,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    return {"shares": shares, "pledged": pledged, "moved": moved}


def _problems(engine: Engine) -> list[tuple[str, int, str | None, str]]:
    with session_scope(engine) as s:
        found = audit.verify_money(s).disagreements
    return sorted((d.table, d.row_id, d.field, d.problem) for d in found)


def _cells(engine: Engine) -> list[tuple[str, int, str, Any]]:
    cells = []
    with engine.connect() as conn:
        for name in DEAL_TABLES:
            spec = BY_NAME[name]
            compared = [f for f in spec.fields if not spec.table.c[f].foreign_keys]
            for row in conn.execute(spec.table.select()).mappings():
                cells += [(name, row["id"], f, row[f]) for f in compared if row[f] is not None]
    return cells


def test_deals_and_receipts_verify_and_any_single_edit_is_named(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    _deals(client, engine, world, clock)
    assert _problems(engine) == []
    cells = _cells(engine)
    assert {(t, f) for t, _, f, _ in cells} >= {
        ("patent_deal", "contract_amount_minor"),
        ("patent_deal", "consent_on"),
        ("patent_deal", "ended_on"),
        ("deal_receipt", "amount_minor"),
        ("deal_receipt", "received_on"),
    }
    missed = []
    for table, row_id, name, value in cells:
        with engine.connect() as conn, conn.begin() as transaction:
            conn.execute(
                text(f'UPDATE "{table}" SET "{name}" = :v WHERE id = :i'),
                {"v": _edited(value), "i": row_id},
            )
            with Session(bind=conn) as s:
                named = {(d.table, d.row_id, d.field) for d in audit.verify_money(s).disagreements}
            if (table, row_id, name) not in named:
                missed.append((table, row_id, name))
            transaction.rollback()
    assert missed == []


def test_a_receipt_deleted_or_slipped_in_and_a_patent_swapped_are_detected(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = _deals(client, engine, world, clock)
    other = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    with engine.begin() as conn:
        first = conn.execute(text("SELECT min(id) FROM deal_receipt")).scalar_one()
        conn.execute(text("DELETE FROM deal_receipt WHERE id = :i"), {"i": first})
        conn.execute(
            text(
                "INSERT INTO deal_receipt (deal_id, received_on, amount_minor, reference,"
                " created_at) VALUES (:d, '2025-04-02', 100000000, 'SLIPPED', '2025-04-02')"
            ),
            {"d": ids["shares"]},
        )
        conn.execute(
            text("UPDATE patent_deal_patent SET patent_id = :p WHERE deal_id = :d"),
            {"p": other, "d": ids["pledged"]},
        )
        slipped = conn.execute(
            text("SELECT id FROM deal_receipt WHERE reference = 'SLIPPED'")
        ).scalar_one()
    assert _problems(engine) == sorted(
        [
            ("deal_receipt", first, None, "gone"),
            ("deal_receipt", slipped, None, "unaudited"),
            ("patent_deal", ids["pledged"], "patents_sha256", "differs"),
        ]
    )
