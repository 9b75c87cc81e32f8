"""The hash-chained audit trail: every mutation is recorded, tampering is detected."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from pool.db import make_engine, session_scope
from pool.services import audit
from pool.services.audit import trail
from pool.settings import Settings
from tests.conftest import PG_URL, FakeClock, schema_url
from tests.pool.billing import kit
from tests.pool.conftest import World


def test_mutations_append_events_with_before_and_after(client: TestClient, world: World) -> None:
    r = client.patch(
        f"/api/v1/pools/{world.pool_id}",
        json={"admin_fee_rate": "0.08"},
        headers=world.admin.headers,
    )
    assert r.status_code == 200
    events = client.get(
        f"/api/v1/audit?entity_type=pool&action=pool.updated&entity_id={world.pool_id}",
        headers=world.auditor.headers,
    ).json()["items"]
    latest = events[0]
    assert latest["actor_user_id"] == world.admin.user_id
    assert (latest["before"]["admin_fee_rate"], latest["after"]["admin_fee_rate"]) == (
        "0.10",
        "0.08",
    )


def test_refused_changes_leave_no_event(client: TestClient, world: World) -> None:
    before = client.get("/api/v1/audit?limit=1", headers=world.admin.headers).json()["total"]
    r = client.patch(
        f"/api/v1/pools/{world.pool_id}",
        json={"admin_fee_rate": "1.5"},
        headers=world.admin.headers,
    )
    assert r.status_code == 422
    assert (
        client.get("/api/v1/audit?limit=1", headers=world.admin.headers).json()["total"] == before
    )


def test_secrets_never_reach_the_audit_trail(client: TestClient, world: World) -> None:
    events = client.get(
        "/api/v1/audit?entity_type=user&limit=100", headers=world.admin.headers
    ).json()
    assert events["total"] >= 6
    assert all("password_hash" not in (e["after"] or {}) for e in events["items"])


def test_verify_passes_on_an_untouched_chain(client: TestClient, world: World) -> None:
    result = client.get("/api/v1/audit/verify", headers=world.auditor.headers).json()
    assert result["ok"] is True
    assert result["events_checked"] > 10


def test_verify_names_the_first_altered_event(
    client: TestClient, world: World, engine: Engine
) -> None:
    with engine.begin() as conn:
        target = conn.execute(
            text("SELECT id FROM audit_event ORDER BY id LIMIT 1 OFFSET 4")
        ).scalar_one()
        conn.execute(
            text("UPDATE audit_event SET actor = 'someone-else' WHERE id = :id"), {"id": target}
        )
    result = client.get("/api/v1/audit/verify", headers=world.admin.headers).json()
    assert (result["ok"], result["first_broken_id"], result["events_checked"]) == (False, target, 4)
    assert "altered" in result["problem"]


def test_verify_detects_a_removed_event(world: World, engine: Engine) -> None:
    with engine.begin() as conn:
        target = conn.execute(
            text("SELECT id FROM audit_event ORDER BY id LIMIT 1 OFFSET 2")
        ).scalar_one()
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": target})
    with session_scope(engine) as session:
        result = audit.verify(session)
    assert result.ok is False
    assert result.first_broken_id == target + 1
    assert "removed" in (result.problem or "")


def test_cli_audit_verify_exits_non_zero_on_tampering(
    world: World, engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "pool", "audit", "verify"]
    good = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr
    assert "intact" in good.stdout
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET after = NULL WHERE id = 3"))
    bad = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "BROKEN at event 3" in bad.stderr


def test_listing_filters_by_utc_day_half_open(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    clock.advance(days=1)  # the world was built on 2025-06-02; this change is on 2025-06-03
    r = client.patch(
        f"/api/v1/pools/{world.pool_id}",
        json={"admin_fee_rate": "0.08"},
        headers=world.admin.headers,
    )
    assert r.status_code == 200

    def actions(query: str) -> list[str]:
        r = client.get(f"/api/v1/audit?limit=200&{query}", headers=world.auditor.headers)
        assert r.status_code == 200, r.text
        return [e["action"] for e in r.json()["items"]]

    everything = actions("")
    assert actions("from=2025-06-03") == ["pool.updated"]
    assert actions("from=2025-06-03&to=2025-06-04") == ["pool.updated"]
    before = actions("to=2025-06-03")
    assert before == everything[1:]  # all but the newest, the change of 2025-06-03
    # the world's pool was created on 2024-01-01 (tests.pool.conftest.POOL_CREATED)
    assert actions("from=2025-06-02&to=2025-06-03") == [a for a in before if a != "pool.created"]
    assert actions("from=2025-06-04") == []
    assert actions("to=2025-06-02") == ["pool.created"]
    assert (
        client.get("/api/v1/audit?from=yesterday", headers=world.admin.headers).status_code == 422
    )


@pytest.mark.skipif(not PG_URL, reason="the chain lock is PostgreSQL's")
def test_the_chain_lock_is_this_schemas_alone(engine: Engine) -> None:
    """Advisory locks are database-wide: another schema's deployment (or a parallel test
    worker) appending to its own audit chain must not wait for ours, nor deadlock with it."""
    assert PG_URL is not None
    other = f"pp_other_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{other}"'))
    elsewhere = make_engine(schema_url(PG_URL, other))
    try:
        with engine.connect() as ours, engine.connect() as again, elsewhere.connect() as theirs:
            ours.execute(text(trail._CHAIN_LOCK))  # held until this transaction ends
            theirs.execute(text("SET LOCAL lock_timeout = '300ms'"))
            theirs.execute(text(trail._CHAIN_LOCK))  # another schema: not held up
            again.execute(text("SET LOCAL lock_timeout = '300ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                again.execute(text(trail._CHAIN_LOCK))  # this schema: waits for `ours`
    finally:
        elsewhere.dispose()
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{other}" CASCADE'))


def test_verify_through_the_api_checks_the_checkpoints_and_the_money_tables(
    client: TestClient, world: World, engine: Engine, settings: Settings
) -> None:
    """What the command line checks without outside copies: a checkpoint signed with another
    key, and a payment edited around the services, are both named."""
    with session_scope(engine) as s:
        kit.agreement(s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0)
    paid = client.post(
        f"/api/v1/pools/{world.pool_id}/payments",
        json={"licensee_organisation_id": world.licensee.organisation_id, "reference": "B-1",
              "amount_minor": 500_00, "currency": "USD", "received_on": "2025-05-20"},
        headers=world.admin.headers,
    )  # fmt: skip
    assert paid.status_code == 201, paid.text
    with session_scope(engine) as s:
        audit.take_checkpoint(s, keys=audit.keyring(settings), now=kit.NOW, reason="manual")
        audit.take_checkpoint(s, keys=audit.Keyring.of("x" * 40), now=kit.NOW, reason="manual")
    clean = client.get("/api/v1/audit/verify", headers=world.auditor.headers).json()
    assert (clean["checkpoints"], clean["checkpoints_holding"]) == (2, 1)
    assert clean["ok"] is False
    assert clean["problems"] == [
        f"checkpoint 2 of {kit.NOW:%Y-%m-%d %H:%M:%S}Z (manual): signed with an unknown key "
        f"(fingerprint {audit.Keyring.of('x' * 40).current.fingerprint}; this service's key is "
        f"{audit.keyring(settings).current.fingerprint}): forged, or signed by another "
        "deployment's key"
    ]
    assert clean["money_rows_checked"]["payment"] == 1
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_checkpoint WHERE id = 2"))
        conn.execute(text("UPDATE payment SET amount_minor = amount_minor + 100000"))
    edited = client.get("/api/v1/audit/verify", headers=world.admin.headers).json()
    assert (edited["ok"], edited["money_disagreements"]) == (False, 1)
    payment_id = paid.json()["id"]
    assert edited["problems"][0].startswith(
        f"money: payment {payment_id} amount_minor is 150000, audited 50000 (event "
    )
