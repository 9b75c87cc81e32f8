"""A `contracts` refusal that reaches the API is a 422 problem naming the field, never a 500.

Terms are validated when they are created, but terms stored earlier can fail a rule that
`contracts` added later (here: written directly, as an old row would be). Services that parse
stored terms (fixed fees, late interest) let the error through to the one handler."""

from datetime import date

from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.db import session_scope
from tests.pool.billing import kit
from tests.pool.conftest import World
from tests.pool.test_problems import assert_problem


def test_stored_royalty_terms_contracts_refuses_are_a_422_naming_the_field(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        kit.agreement(
            s,
            pool_id=world.pool_id,
            licensee_id=world.licensee.organisation_id or 0,
            royalty_terms={"currency": "USD", "minor_unit_exponent": 2},  # no terms_version
        )
    r = client.post(f"/api/v1/pools/{world.pool_id}/fixed-fees/issue", headers=world.admin.headers)
    body = assert_problem(r, 422)
    assert body["type"].endswith("/contracts")
    assert [e["field"] for e in body["errors"]] == ["terms_version"]


def test_stored_payment_terms_contracts_refuses_are_a_422_naming_the_field(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as s:
        deal = kit.agreement(
            s,
            pool_id=world.pool_id,
            licensee_id=world.licensee.organisation_id or 0,
            payment_terms={"net_days": -1},
        )
        kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=(date(2025, 1, 1), date(2025, 4, 1)),
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 5, 1), 100_00)],
        )
    r = client.get(
        "/api/v1/invoices/overdue", params={"as_of": "2025-06-01"}, headers=world.admin.headers
    )
    body = assert_problem(r, 422)
    assert [e["field"] for e in body["errors"]] == ["net_days"]
    assert "greater than or equal to 0" in body["errors"][0]["message"]
