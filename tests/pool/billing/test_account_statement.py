"""The account statement and the trial balance through the API, and the CLI table."""

from datetime import date

from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.cli import main
from pool.db import session_scope
from pool.settings import Settings
from tests.pool.billing import kit
from tests.pool.conftest import World

Q1 = (date(2025, 1, 1), date(2025, 4, 1))


def scene(engine: Engine, world: World) -> None:
    """Q1 invoice of 100.00: 60.00 due on 2025-04-01, 40.00 deferred to 2025-10-01;
    80.00 paid on 2025-04-10 settles the 60.00 due and, at once, 20.00 of the part not yet
    due (paying early is paying: issue 15)."""
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 60_00), (date(2025, 10, 1), 40_00)],
        )
        kit.pay(s, world, reference="BANK-1", amount_minor=80_00, on=date(2025, 4, 10))


def test_the_statement_runs_a_balance_over_every_entry(
    client: TestClient, engine: Engine, world: World
) -> None:
    scene(engine, world)
    url = f"/api/v1/licensees/{world.licensee.organisation_id}/account"
    body = client.get(url, headers=world.licensee.headers).json()
    #  date        kind             amount    balance
    assert [
        (x["occurred_on"], x["kind"], x["amount_minor"], x["balance_minor"]) for x in body["lines"]
    ] == [
        ("2025-04-01", "invoice_issued", 100_00, 100_00),
        ("2025-04-10", "payment_received", -80_00, 20_00),
    ]
    assert (body["receivable_minor"], body["deferred_receivable_minor"], body["credit_minor"]) == (
        0,
        20_00,
        0,
    )
    assert [(d["number"], d["due_on"], d["amount_minor"]) for d in body["deferred"]] == [
        ("Q1", "2025-10-01", 20_00)
    ]
    assert body["good_standing"] is False  # no usage report for Q1 yet
    later = client.get(url, params={"from": "2025-04-05"}, headers=world.admin.headers).json()
    assert later["opening_balance_minor"] == 100_00
    assert later["closing_balance_minor"] == 20_00


def test_the_trial_balance_sums_to_zero_and_attributes_cash_to_its_period(
    client: TestClient, engine: Engine, world: World
) -> None:
    scene(engine, world)
    url = f"/api/v1/pools/{world.pool_id}/ledger/trial-balance"
    body = client.get(url, headers=world.auditor.headers).json()
    assert {a["account"]: a["balance_minor"] for a in body["accounts"]} == {
        "cash": 80_00,
        "deferred_receivable": 20_00,  # 40.00 not yet due, 20.00 of it paid early
        "receivable": 0,  # 60.00 due, 60.00 settled
        "royalty_revenue": -100_00,
    }
    assert body["total_minor"] == 0
    assert body["cash_by_usage_period"] == [
        {"usage_start": "2025-01-01", "usage_end": "2025-04-01", "amount_minor": 80_00}
    ]


def test_the_cli_prints_the_statement(engine: Engine, world: World, settings: Settings) -> None:
    scene(engine, world)
    env = {
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(settings.data_dir),
    }
    result = CliRunner().invoke(
        main, ["account", "statement", "--licensee", str(world.licensee.organisation_id)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "payment_received           -8000            2000  payment BANK-1" in result.output
    assert "deferred: invoice Q1 2000 due 2025-10-01" in result.output
