"""Outside copies of the audit chain's head: every statement's documents carry it, the daily
`audit_checkpoint` job e-mails it to the auditors, and `patentpool audit verify` reads both
back (`--checkpoints-from`) and names the copy the database no longer matches."""

import email
import re
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.audit import AuditCheckpoint, AuditEvent
from pool.models.distribution import Statement, StatementDocument
from pool.models.outbox import OutboxMessage
from pool.models.user import Role, User
from pool.services.audit import anchor, outside
from pool.settings import Settings
from scheduler.jobs import JOBS, audit_checkpoint, outbox_delivery, period_close_job
from scheduler.registry import SCHEDULES
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.test_audit_anchor import cli, recompute_from
from tests.scheduler.test_period_close import books

pytestmark = pytest.mark.slow  # PDFs and CLI subprocesses: scheduled first

NOW = datetime(2025, 12, 1, 3, tzinfo=UTC)
LINE = re.compile(r"Audit trail: event #(\d+), head ([0-9a-f]{64})")


@pytest.fixture
def data_dir_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Settings:
    """The jobs read the environment: the test's data dir (audit key, outbox directory)."""
    monkeypatch.setenv("PATENTPOOL_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("PATENTPOOL_MAIL_TRANSPORT", "directory")
    monkeypatch.delenv("PATENTPOOL_AUDIT_KEY", raising=False)
    monkeypatch.delenv("PATENTPOOL_AUDIT_CHECKPOINT_TO", raising=False)
    return settings


def issue_statements(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> None:
    books(client, engine, world, clock, auto=True)
    closed = period_close_job(engine, pool_id=None, as_of=NOW.date(), now=NOW)
    assert len(closed.lines) == 3, str(closed)
    issued = JOBS["statement_issuance"](engine, pool_id=None, as_of=NOW.date(), now=NOW)
    assert len(issued.lines) == 3, str(issued)


def export(engine: Engine, folder: Path) -> dict[str, set[str]]:
    """Every stored statement document written out, as a contributor keeps them; the head
    lines found in each format."""
    folder.mkdir()
    lines: dict[str, set[str]] = {}
    with Session(engine) as session:
        for doc, serial in session.exec(
            select(StatementDocument, Statement.serial).join(
                Statement, col(Statement.id) == StatementDocument.statement_id
            )
        ).all():
            path = folder / f"{serial}.{doc.format}"
            path.write_bytes(doc.content)
            found = {f"{c.event_id}:{c.head_hash}" for c in outside.scan(path)}
            assert len(found) == 1, (path, found)
            lines.setdefault(doc.format, set()).update(found)
    return lines


@pytest.mark.timeout(240)
def test_every_statement_document_carries_the_head_and_verify_reads_them_back(
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    data_dir_env: Settings,
    tmp_path: Path,
) -> None:
    issue_statements(client, engine, world, clock)
    found = export(engine, tmp_path / "statements")

    assert set(found) == {"html", "csv", "pdf"}
    assert found["html"] == found["csv"] == found["pdf"]
    with Session(engine) as session:
        taken = session.exec(
            select(AuditCheckpoint).where(AuditCheckpoint.reason == "statements")
        ).all()
        html = session.exec(
            select(StatementDocument.content).where(StatementDocument.format == "html")
        ).first()
    assert {f"{c.event_id}:{c.head_hash}" for c in taken} == found["html"]
    assert html is not None
    assert b'<meta name="keywords" content="Audit trail: event #' in html  # the PDF's metadata

    good = cli(data_dir_env, "verify", "--checkpoints-from", str(tmp_path / "statements"))
    assert good.returncode == 0, good.stderr
    copies = 18  # 6 statements x 3 documents
    assert f"outside copies: {copies} of {copies} hold" in good.stdout

    # An attacker deletes the newest events and every checkpoint that named them: the chain
    # alone still links up (only the money check sees the statements whose issue events went),
    # and the statements the contributors hold do not agree.
    newest = max(c.event_id for c in taken)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_checkpoint"))
        conn.execute(text("DELETE FROM audit_event WHERE id >= :id"), {"id": newest - 1})
    alone = cli(data_dir_env, "verify")
    assert "audit chain intact" in alone.stdout
    assert "no checkpoint yet" in alone.stdout
    assert "FAILED" not in alone.stderr  # no checkpoint or outside copy says otherwise
    bad = cli(data_dir_env, "verify", "--checkpoints-from", str(tmp_path / "statements"))
    assert bad.returncode == 1
    assert re.search(
        rf"FAILED: outside copy from {re.escape(str(tmp_path))}/statements/\S+\.(html|csv|pdf):"
        rf" covers event {newest} but the chain ends at event {newest - 2}",
        bad.stderr,
    ), bad.stderr


@pytest.mark.timeout(240)
def test_statements_issued_through_the_api_carry_the_head_their_checkpoint_signs(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    run = kit.close(client, world, "2025-04-01")
    kit.approve(client, world, run["id"])
    with Session(engine) as session:
        before = session.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first()

    assert len(kit.issue(client, world, run["id"])) == 2

    with Session(engine) as session:
        [taken] = session.exec(select(AuditCheckpoint)).all()
        documents = session.exec(select(StatementDocument)).all()
    assert (taken.reason, taken.event_id) == ("statements", before)
    line = anchor.head_line(taken.event_id, taken.head_hash)
    for doc in documents:
        if doc.format == "pdf":
            assert [c.event_id for c in outside.in_document(doc.content)] == [taken.event_id]
        else:
            assert line in doc.content.decode("utf-8-sig"), doc.format


@pytest.mark.timeout(240)
def test_the_daily_checkpoint_is_emailed_to_the_auditors_once_a_day(
    engine: Engine,
    world: World,
    data_dir_env: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATENTPOOL_AUDIT_CHECKPOINT_TO", "external-auditor@firm.example")
    day = date(2025, 12, 1)
    first = audit_checkpoint(engine, pool_id=None, as_of=day, now=NOW)
    again = audit_checkpoint(engine, pool_id=None, as_of=day, now=NOW + timedelta(minutes=3))
    assert "e-mailed to the auditors" in first.lines[0]
    assert again.lines == ["the day's checkpoint was taken and e-mailed already"]
    with Session(engine) as session:
        messages = session.exec(select(OutboxMessage)).all()
        checkpoints = session.exec(select(AuditCheckpoint)).all()
        auditor = session.exec(select(User.email).where(User.role == Role.AUDITOR)).one()
    assert len(messages) == 1
    assert len(checkpoints) == 1
    [message], [taken] = messages, checkpoints
    assert (message.dedupe_key, message.recipient_role) == (
        "audit_checkpoint:2025-12-01",
        "auditor",
    )
    assert message.recipient_organisation_id is None
    assert anchor.head_line(taken.event_id, taken.head_hash) in message.body
    assert f"patentpool audit verify --checkpoint {taken.event_id}:{taken.head_hash}" in (
        message.body
    )

    tomorrow = audit_checkpoint(engine, pool_id=None, as_of=day + timedelta(days=1), now=NOW)
    assert "e-mailed to the auditors" in tomorrow.lines[0]
    sent = outbox_delivery(engine, pool_id=None, as_of=day, now=NOW + timedelta(days=1))
    assert sent.lines == ["2 sent, 0 to retry, 0 failed, 0 taken by another worker"]
    files = sorted((data_dir_env.data_dir / "outbox").glob("*.eml"))
    assert len(files) == 2
    mail = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert mail["To"] == f"{auditor}, external-auditor@firm.example"
    assert mail["Subject"].startswith("Audit checkpoint 2025-12-0")

    good = cli(data_dir_env, "verify", "--checkpoints-from", str(data_dir_env.data_dir / "outbox"))
    assert good.returncode == 0, good.stderr
    assert "outside copies: 2 of 2 hold" in good.stdout
    # An attacker rewrites an early event, recomputes every later hash and deletes the
    # checkpoints: the database alone verifies, the e-mail an auditor kept does not.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_checkpoint"))
        conn.execute(text("UPDATE audit_event SET actor = 'nobody' WHERE id = 2"))
    recompute_from(engine, 2)
    assert cli(data_dir_env, "verify").returncode == 0
    bad = cli(data_dir_env, "verify", "--checkpoints-from", str(files[0]))
    assert bad.returncode == 1
    assert f"FAILED: outside copy from {files[0]}: event {taken.event_id} has hash" in (
        bad.stderr
    ), bad.stderr
    assert f"at or before event {taken.event_id}" in bad.stderr


@pytest.mark.timeout(60)
def test_the_daily_job_without_auditors_takes_one_checkpoint_and_writes_no_email(
    engine: Engine, world: World, data_dir_env: Settings
) -> None:
    with session_scope(engine) as session:
        for user in session.exec(select(User).where(User.role == Role.AUDITOR)).all():
            user.is_active = False
            session.add(user)
    day = NOW.date()
    first = audit_checkpoint(engine, pool_id=None, as_of=day, now=NOW)
    again = audit_checkpoint(engine, pool_id=None, as_of=day, now=NOW + timedelta(hours=1))
    assert "not e-mailed (no auditor)" in first.lines[0]
    assert again.lines == ["the day's checkpoint was taken and e-mailed already"]
    with Session(engine) as session:
        assert len(session.exec(select(AuditCheckpoint)).all()) == 1
        assert session.exec(select(OutboxMessage)).all() == []


def test_the_job_is_scheduled_daily_after_statements() -> None:
    assert "audit_checkpoint" in JOBS
    [schedule] = [s for s in SCHEDULES if s.name == "audit_checkpoint"]
    assert (schedule.hour, schedule.minute) == (3, 0)
