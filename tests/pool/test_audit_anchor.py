"""The audit trail's anchors: signed checkpoints, outside copies and key rotation. Each way of
tampering makes `patentpool audit verify` exit 1 and name the place (issue 14)."""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.audit import AuditCheckpoint, AuditEvent
from pool.services import audit
from pool.services.audit import anchor, outside
from pool.services.audit import rotation as rotating
from pool.services.audit.keys import KEY_FILE, PENDING_FILE, AuditKey, KeyNotHeld, Keyring
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import World

pytestmark = pytest.mark.slow  # CLI subprocesses: scheduled first (tests/conftest.py)

OTHER_KEY = "an attacker's key, which this deployment never held"


def cli(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(settings.data_dir),
        "PATENTPOOL_AUDIT_KEY": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "pool", "audit", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def checkpoint(engine: Engine, settings: Settings, now: datetime) -> AuditCheckpoint:
    with session_scope(engine) as session:
        return audit.take_checkpoint(
            session, keys=audit.keyring(settings), now=now, reason="manual"
        )


def change_something(engine: Engine, now: datetime, n: int = 3) -> None:
    """Audited changes after a checkpoint (any will do: these record a test action)."""
    with session_scope(engine) as session:
        for i in range(n):
            audit.record(
                session,
                actor=audit.Actor.system("test"),
                action="test.changed",
                entity_type="test",
                entity_id=i,
                after={"i": i},
                now=now,
            )


def chain_end(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT max(id) FROM audit_event")).scalar_one())


@pytest.mark.timeout(120)
def test_a_clean_trail_verifies_with_its_checkpoints(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    first = checkpoint(engine, settings, clock.now)
    change_something(engine, clock.now)
    checkpoint(engine, settings, clock.now + timedelta(hours=1))
    change_something(engine, clock.now, n=2)

    done = cli(settings, "verify", "--checkpoint", f"{first.event_id}:{first.head_hash}")

    assert done.returncode == 0, done.stderr
    assert "audit chain intact" in done.stdout
    assert "checkpoints: 2 of 2 hold" in done.stdout
    assert "2 newer events are not anchored yet" in done.stdout
    assert "outside copies: 1 of 1 hold" in done.stdout
    assert done.stderr == ""


@pytest.mark.timeout(120)
def test_deleting_the_newest_events_after_a_checkpoint_is_named(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    change_something(engine, clock.now)
    taken = checkpoint(engine, settings, clock.now)
    with engine.begin() as conn:  # the chain still links up: only its end is gone
        conn.execute(text("DELETE FROM audit_event WHERE id > :id"), {"id": taken.event_id - 4})
    with session_scope(engine) as session:
        assert audit.verify(session).ok

    done = cli(settings, "verify")

    assert done.returncode == 1
    assert "audit chain intact" in done.stdout
    assert re.search(
        rf"FAILED: checkpoint {taken.id} of \d{{4}}-\d\d-\d\d [\d:]+Z \(manual\): covers event "
        rf"{taken.event_id} but the chain ends at event {taken.event_id - 4}",
        done.stderr,
    ), done.stderr


def recompute_from(engine: Engine, first_id: int) -> None:
    """What an attacker with the database does after editing an event: every later hash
    recomputed, so the chain alone links up again."""
    with session_scope(engine) as session:
        prev = session.exec(
            select(AuditEvent.hash)
            .where(col(AuditEvent.id) < first_id)
            .order_by(col(AuditEvent.id).desc())
        ).first()
        assert prev is not None
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.id) >= first_id).order_by(col(AuditEvent.id))
        ).all()
        rows, link = [], prev
        for event in events:
            link = audit.event_hash(link, event.model_dump())
            rows.append((event.id, link))
    with engine.begin() as conn:
        for event_id, _ in rows:  # two passes: `hash` and `prev_hash` are unique
            conn.execute(
                text("UPDATE audit_event SET hash = :h, prev_hash = :p WHERE id = :id"),
                {"h": f"old-{event_id}", "p": f"old-prev-{event_id}", "id": event_id},
            )
        for event_id, new_hash in rows:
            conn.execute(
                text("UPDATE audit_event SET hash = :h, prev_hash = :p WHERE id = :id"),
                {"h": new_hash, "p": prev, "id": event_id},
            )
            prev = new_hash


@pytest.mark.timeout(120)
def test_a_rewritten_event_with_every_later_hash_recomputed_is_named(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    early = checkpoint(engine, settings, clock.now)
    change_something(engine, clock.now, n=5)
    late = checkpoint(engine, settings, clock.now + timedelta(hours=1))
    target = early.event_id + 2
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET actor = 'someone-else' WHERE id = :id"), {"id": target}
        )
    recompute_from(engine, target)
    with session_scope(engine) as session:
        assert audit.verify(session).ok  # the chain alone is fooled

    done = cli(settings, "verify")

    assert done.returncode == 1
    assert f"FAILED: checkpoint {late.id} of " in done.stderr
    assert f"event {late.event_id} has hash" in done.stderr
    assert (
        f"the chain was rewritten after event {early.event_id} (still pinned) and at or "
        f"before event {late.event_id}" in done.stderr
    ), done.stderr
    assert f"checkpoint {early.id} " not in done.stderr  # the early one still holds


@pytest.mark.timeout(120)
def test_a_forged_or_altered_checkpoint_fails(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    """Without the key an attacker can neither make a checkpoint nor change one."""
    honest = checkpoint(engine, settings, clock.now)
    change_something(engine, clock.now)
    forged_key = AuditKey(OTHER_KEY.encode())
    end = chain_end(engine)
    with session_scope(engine) as session:
        head = session.get(AuditEvent, end)
        assert head is not None
        forged = AuditCheckpoint(
            taken_at=clock.now,
            event_id=end,
            head_hash=head.hash,
            key_fingerprint=forged_key.fingerprint,
            signature=anchor.sign(forged_key, end, head.hash, clock.now, "daily"),
            reason="daily",
        )
        session.add(forged)
        altered = session.get_one(AuditCheckpoint, honest.id)
        altered.reason = "daily"  # signed as `manual`
        session.add(altered)
        session.flush()
        forged_id = forged.id

    done = cli(settings, "verify")

    assert done.returncode == 1
    assert f"checkpoint {forged_id} of " in done.stderr
    assert f"signed with an unknown key (fingerprint {forged_key.fingerprint}" in done.stderr
    assert f"checkpoint {honest.id} of " in done.stderr
    assert "signature does not match its content: forged or altered" in done.stderr
    assert "checkpoints: 0 of 2 hold" in done.stdout


@pytest.mark.timeout(120)
def test_an_outside_copy_that_disagrees_is_named(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    kept = checkpoint(engine, settings, clock.now)
    wrong = "f" * 64

    done = cli(
        settings,
        "verify",
        "--checkpoint",
        f"{kept.event_id}:{kept.head_hash}",
        "--checkpoint",
        f"{kept.event_id}:{wrong}",
        "--checkpoint",
        f"{kept.event_id + 50}:{kept.head_hash}",
    )

    assert done.returncode == 1
    assert (
        f"FAILED: outside copy from the command line: event {kept.event_id} has hash "
        f"{kept.head_hash[:16]}… but was signed as {wrong[:16]}…" in done.stderr
    ), done.stderr
    assert (
        f"covers event {kept.event_id + 50} but the chain ends at event {kept.event_id}"
        in done.stderr
    )
    assert "outside copies: 1 of 3 hold" in done.stdout
    bad = cli(settings, "verify", "--checkpoint", "12:not-a-hash")
    assert bad.returncode == 2
    assert "EVENT_ID:HASH" in bad.stderr


@pytest.mark.timeout(180)
def test_rotation_resigns_every_checkpoint_and_records_only_fingerprints(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    first = checkpoint(engine, settings, clock.now)
    change_something(engine, clock.now)
    checkpoint(engine, settings, clock.now)
    old_key = (settings.data_dir / KEY_FILE).read_text()
    old = AuditKey(old_key.encode()).fingerprint

    done = cli(settings, "rotate-key")

    assert done.returncode == 0, done.stderr
    new_key = (settings.data_dir / KEY_FILE).read_text()
    new = AuditKey(new_key.encode()).fingerprint
    assert new != old
    assert f"audit key rotated: {old} -> {new}; 2 checkpoints re-signed" in done.stdout
    assert not (settings.data_dir / PENDING_FILE).exists()
    assert (settings.data_dir / KEY_FILE).stat().st_mode & 0o777 == 0o600
    with Session(engine) as session:
        rows = session.exec(select(AuditCheckpoint).order_by(col(AuditCheckpoint.id))).all()
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "audit.key_rotated")
        ).one()
    assert [c.key_fingerprint for c in rows] == [new, new, new]
    assert rows[-1].reason == "rotation"
    assert rows[-1].event_id == event.id
    assert (event.before, event.after) == (
        {"fingerprint": old},
        {"fingerprint": new, "checkpoints_resigned": 2},
    )
    assert old_key not in str(event.model_dump())
    assert new_key not in str(event.model_dump())

    again = cli(settings, "verify", "--checkpoint", f"{first.event_id}:{first.head_hash}")
    assert again.returncode == 0, again.stderr
    assert f"checkpoints: 3 of 3 hold (key {new})" in again.stdout
    stale = Keyring.of(old_key)  # the old key signs nothing any more
    with session_scope(engine) as session, pytest.raises(KeyNotHeld, match=new):
        audit.take_checkpoint(session, keys=stale, now=clock.now, reason="manual")


@pytest.mark.timeout(180)
def test_rotation_refuses_a_trail_that_does_not_verify(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    taken = checkpoint(engine, settings, clock.now)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": taken.event_id})
    key = (settings.data_dir / KEY_FILE).read_text()

    done = cli(settings, "rotate-key")

    assert done.returncode == 1
    assert "refused: the trail does not verify under the current key" in done.stderr
    assert (settings.data_dir / KEY_FILE).read_text() == key
    assert not (settings.data_dir / PENDING_FILE).exists()


def verifies(engine: Engine, settings: Settings) -> anchor.AnchorReport:
    with Session(engine) as session:
        return anchor.verify(session, keys=audit.keyring(settings))


@pytest.mark.timeout(180)
def test_a_rotation_stopped_between_its_steps_leaves_a_verifiable_trail(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    """The steps of `rotate-key` one by one, stopping where a killed process would."""
    checkpoint(engine, settings, clock.now)
    old = audit.keyring(settings).current

    # Stopped after writing the new key, before the transaction: nothing uses the new key.
    rotating.prepare(audit.keyring(settings), rotating.new_secret(None, audit.keyring(settings)))
    assert (settings.data_dir / PENDING_FILE).exists()
    assert verifies(engine, settings).ok
    assert checkpoint(engine, settings, clock.now).key_fingerprint == old.fingerprint
    assert verifies(engine, settings).ok

    # A rotation run now discards that key and does its own; stopped after the commit,
    # before the key file is replaced: the pending key is in force and every process finds it.
    with session_scope(engine) as session:
        assert "discarded" in (rotating.settle(session, audit.keyring(settings)) or "")
    ring = rotating.prepare(
        audit.keyring(settings), rotating.new_secret(None, audit.keyring(settings))
    )
    assert ring.pending is not None
    with session_scope(engine) as session:
        rotating.resign(session, ring=ring, actor=audit.Actor.system("test"), now=clock.now)
    assert (settings.data_dir / KEY_FILE).read_text().encode() == old.secret
    report = verifies(engine, settings)
    assert report.ok, report.problems
    assert report.held == 3
    later = checkpoint(engine, settings, clock.now + timedelta(minutes=5))
    assert later.key_fingerprint == ring.pending.fingerprint
    done = cli(settings, "verify")
    assert done.returncode == 0, done.stderr

    # The next rotation finishes that one first, then rotates again.
    rotated = cli(settings, "rotate-key")
    assert rotated.returncode == 0, rotated.stderr
    assert f"finished an interrupted rotation: key {ring.pending.fingerprint} installed" in (
        rotated.stdout
    )
    assert not (settings.data_dir / PENDING_FILE).exists()
    assert cli(settings, "verify").returncode == 0


@pytest.mark.timeout(180)
def test_a_key_from_the_environment_is_rotated_with_a_new_key_file(
    world: World, engine: Engine, settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    old_key, new_key = "k" * 40, "n" * 40
    with session_scope(engine) as session:
        audit.take_checkpoint(session, keys=Keyring.of(old_key), now=clock.now, reason="manual")
    refused = cli(settings, "rotate-key", PATENTPOOL_AUDIT_KEY=old_key)
    assert refused.returncode == 2
    assert "--new-key-file" in refused.stderr
    key_file = tmp_path / "new-audit-key"
    key_file.write_text(new_key)

    done = cli(
        settings, "rotate-key", "--new-key-file", str(key_file), PATENTPOOL_AUDIT_KEY=old_key
    )

    assert done.returncode == 0, done.stderr
    assert "PATENTPOOL_AUDIT_KEY must now be set to the new key" in done.stdout
    assert not (settings.data_dir / KEY_FILE).exists()  # nothing written to the data dir
    stale = cli(settings, "verify", PATENTPOOL_AUDIT_KEY=old_key)
    assert stale.returncode == 1
    assert f"signed with an unknown key (fingerprint {Keyring.of(new_key).current.fingerprint}" in (
        stale.stderr
    )
    assert cli(settings, "verify", PATENTPOOL_AUDIT_KEY=new_key).returncode == 0


def test_outside_copies_parse_from_text_and_refuse_anything_else() -> None:
    line = anchor.head_line(12, "ab" * 32)
    assert outside.parse("12:" + "AB" * 32) == anchor.OutsideCopy(12, "ab" * 32, "the command line")
    assert outside.parse(line, "x").event_id == 12
    with pytest.raises(ValueError, match="EVENT_ID:HASH"):
        outside.parse("12:abc")


def many_checkpoints(engine: Engine, settings: Settings, now: datetime, n: int) -> None:
    """`n` honest checkpoints of today's head, written at once (a rotation re-signs each)."""
    key = audit.keyring(settings).current
    with Session(engine) as session:
        event_id, head_hash = anchor.current_head(session)
    rows = [
        {
            "taken_at": now,
            "event_id": event_id,
            "head_hash": head_hash,
            "key_fingerprint": key.fingerprint,
            "signature": anchor.sign(key, event_id, head_hash, now, "manual"),
            "reason": "manual",
        }
        for _ in range(n)
    ]
    with engine.begin() as conn:
        conn.execute(AuditCheckpoint.__table__.insert(), rows)  # type: ignore[attr-defined]


def start_rotation(settings: Settings) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "PATENTPOOL_DATABASE_URL": settings.database_url,
        "PATENTPOOL_DATA_DIR": str(settings.data_dir),
        "PATENTPOOL_AUDIT_KEY": "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "pool", "audit", "rotate-key"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_when(victim: subprocess.Popen[bytes], ready: Callable[[], bool], limit: float) -> None:
    """SIGKILL the process as soon as `ready()` holds (polled every 2 ms), or at `limit`."""
    deadline = time.monotonic() + limit
    while victim.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.002)
    victim.kill()
    victim.wait(timeout=30)


@pytest.mark.timeout(300)
def test_a_rotation_killed_while_it_resigns_leaves_a_trail_that_verifies(
    world: World, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    """A real SIGKILL of `rotate-key`: once early (before or while it verifies), once as soon
    as its new key file appears (while it re-signs 5,000 checkpoints in its transaction).
    Either way `verify` passes, and the next rotation discards the orphaned key and rotates."""
    many_checkpoints(engine, settings, clock.now.replace(microsecond=0), 5000)
    pending = settings.data_dir / PENDING_FILE

    early = start_rotation(settings)
    kill_when(early, lambda: False, limit=0.2)
    assert not pending.exists()
    assert cli(settings, "verify").returncode == 0

    resigning = start_rotation(settings)
    kill_when(resigning, pending.exists, limit=120)
    assert resigning.returncode == -signal.SIGKILL  # it did not finish first
    assert pending.exists()
    with Session(engine) as session:
        rotated = session.exec(
            select(AuditEvent.id).where(AuditEvent.action == "audit.key_rotated")
        ).all()
    assert rotated == []  # killed inside its transaction: nothing committed
    done = cli(settings, "verify")
    assert done.returncode == 0, done.stderr
    assert "checkpoints: 5000 of 5000 hold" in done.stdout

    finished = cli(settings, "rotate-key")
    assert finished.returncode == 0, finished.stderr
    assert "discarded the key of a rotation that never committed" in finished.stdout
    assert not pending.exists()
    done = cli(settings, "verify")
    assert done.returncode == 0, done.stderr
    assert "checkpoints: 5001 of 5001 hold" in done.stdout
