"""Outbox delivery against a real SMTP server (aiosmtpd on 127.0.0.1) and a real database:
sent once, retried after failures with backoff, claimed by one worker at a time."""

import asyncio
import dataclasses
import email
import hashlib
import socket
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.errors import IllegalTransition
from pool.models.distribution import DistributionRun, Statement, StatementDocument
from pool.models.outbox import OutboxMessage, OutboxStatus
from pool.models.user import User
from pool.services.billing import reminders
from pool.services.mail import delivery as mail_delivery
from pool.services.mail.composing import message_id_for
from pool.services.mail.delivery import BACKOFF, MAX_ATTEMPTS, deliver_due
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import World

MAIL_FROM = "Patent Pool <statements@pool.example>"
PDF = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"
HTML = "<html><body><p>Statement — Müller 株式会社</p></body></html>".encode()
CSV = b"country,amount_minor\r\nUS,12345\r\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Collector:
    """aiosmtpd handler keeping every accepted envelope; a short pause per message lets two
    concurrent workers overlap."""

    def __init__(self, pause: float = 0.0) -> None:
        self.envelopes: list[Any] = []
        self.pause = pause

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.pause:
            await asyncio.sleep(self.pause)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, _class=EmailMessage, policy=policy.default)
            for e in self.envelopes
        ]


@dataclasses.dataclass
class SmtpServer:
    port: int
    collector: Collector
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A server on a free port, not yet started (a closed port until `start()`)."""
    server = SmtpServer(free_port(), Collector(pause=0.02))
    yield server
    server.stop()


@pytest.fixture
def mail(settings: Settings, smtp: SmtpServer) -> Settings:
    return dataclasses.replace(
        settings,
        mail_transport="smtp",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_timeout=5,
        mail_from=MAIL_FROM,
    )


def remind(engine: Engine, org_id: int | None, key: str, now: datetime) -> int:
    """A reminder written the way the reminder jobs write them."""
    reminder = reminders.Reminder(
        kind=reminders.OVERDUE,
        pool_id=None,
        recipient_organisation_id=org_id or 0,
        subject=f"Reminder {key}",
        body=f"Body of {key}.",
        dedupe_key=key,
    )
    with session_scope(engine) as s:
        assert reminders.enqueue(s, [reminder], now=now) == [reminder]
        return row(s, key).id or 0


def row(session: Session, key: str) -> OutboxMessage:
    return session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == key)).one()


def load(engine: Engine, key: str) -> OutboxMessage:
    with Session(engine) as s:
        return row(s, key)


def statement_message(engine: Engine, world: World, now: datetime) -> str:
    """A contributor's statement with its PDF, HTML and CSV, and the outbox message for it."""
    org = world.contributor.organisation_id or 0
    with session_scope(engine) as s:
        run = DistributionRun(
            pool_id=world.pool_id,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 4, 1),
            currency="USD",
            formula_version="test",
            input_sha256="0" * 64,
            solver="none",
            solver_status="optimal",
            computed_at=now,
        )
        s.add(run)
        s.flush()
        statement = Statement(
            pool_id=world.pool_id,
            run_id=run.id or 0,
            contributor_organisation_id=org,
            period_start=run.period_start,
            period_end=run.period_end,
            serial="ST-2025Q1/0001",
            language="en",
            currency="USD",
            gross_minor=12345,
            adjustments_minor=0,
            withholding_minor=1234,
            net_payable_minor=11111,
            issued_at=now,
        )
        s.add(statement)
        s.flush()
        for fmt, content_type, content in (
            ("csv", "text/csv; charset=utf-8", CSV),
            ("html", "text/html; charset=utf-8", HTML),
            ("pdf", "application/pdf", PDF),
        ):
            s.add(
                StatementDocument(
                    statement_id=statement.id or 0,
                    format=fmt,
                    content_type=content_type,
                    content=content,
                    sha256=hashlib.sha256(content).hexdigest(),
                    size_bytes=len(content),
                    created_at=now,
                )
            )
        key = f"statement:{statement.id}"
        s.add(
            OutboxMessage(
                kind="statement",
                pool_id=world.pool_id,
                recipient_organisation_id=org,
                subject="Your royalty statement for 2025 Q1 — 北京理工大学",
                body="Your statement is attached.\nIhre Abrechnung für 北京理工大学 liegt bei.",
                dedupe_key=key,
                statement_id=statement.id,
                created_at=now,
            )
        )
        return key


def test_a_statement_is_mailed_once_with_its_documents(
    engine: Engine, world: World, mail: Settings, smtp: SmtpServer, clock: FakeClock
) -> None:
    smtp.start()
    now = clock()
    key = statement_message(engine, world, now)

    report = deliver_due(engine, settings=mail, now=now)

    stored = load(engine, key)
    assert report.sent == [stored.id]
    assert (stored.status, stored.sent_at, stored.attempts) == (OutboxStatus.SENT, now, 0)
    assert stored.message_id == message_id_for(key, MAIL_FROM)
    assert stored.message_id.endswith("@pool.example>")
    [envelope] = smtp.collector.envelopes
    assert envelope.mail_from == "statements@pool.example"
    assert envelope.rcpt_tos == ["uni@example.org"]
    [sent] = smtp.collector.messages()
    assert sent["Message-ID"] == stored.message_id
    assert sent["To"] == "uni@example.org"
    assert sent["Subject"] == "Your royalty statement for 2025 Q1 — 北京理工大学"
    assert sent["Date"].datetime == now
    body = sent.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content() == (
        "Your statement is attached.\nIhre Abrechnung für 北京理工大学 liegt bei.\n"
    )
    assert envelope.content.isascii()  # 7-bit clean: no server needs 8BITMIME
    attached = [
        (a.get_filename(), a.get_content_type(), a.get_payload(decode=True))
        for a in sent.iter_attachments()
    ]
    assert attached == [
        ("statement-ST-2025Q1-0001.pdf", "application/pdf", PDF),
        ("statement-ST-2025Q1-0001.html", "text/html", HTML),
        ("statement-ST-2025Q1-0001.csv", "text/csv", CSV),
    ]

    again = deliver_due(engine, settings=mail, now=now + timedelta(days=1))
    assert (again.sent, again.retrying, again.failed, again.skipped) == ([], [], [], 0)
    assert len(smtp.collector.envelopes) == 1


def test_server_down_is_retried_after_backoff_then_sent_once(
    engine: Engine, world: World, mail: Settings, smtp: SmtpServer, clock: FakeClock
) -> None:
    now = clock()
    outbox_id = remind(engine, world.licensee.organisation_id, "overdue_invoice:1:2025-05-01", now)

    report = deliver_due(engine, settings=mail, now=now)  # nothing listens on the port

    assert report.retrying == [outbox_id]
    stored = load(engine, "overdue_invoice:1:2025-05-01")
    assert (stored.status, stored.attempts, stored.sent_at) == (OutboxStatus.PENDING, 1, None)
    assert stored.next_attempt_at == now + timedelta(minutes=1)
    assert stored.claimed_until is None
    assert "ConnectionRefusedError" in (stored.last_error or "")

    smtp.start()
    early = deliver_due(engine, settings=mail, now=now + timedelta(seconds=59))
    assert early.sent == []
    assert smtp.collector.envelopes == []

    later = now + timedelta(minutes=1)
    assert deliver_due(engine, settings=mail, now=later).sent == [outbox_id]
    assert deliver_due(engine, settings=mail, now=later + timedelta(hours=1)).sent == []
    [sent] = smtp.collector.messages()
    stored = load(engine, "overdue_invoice:1:2025-05-01")
    assert sent["Message-ID"] == stored.message_id
    assert (stored.status, stored.attempts, stored.sent_at) == (OutboxStatus.SENT, 1, later)
    assert stored.last_error is None


def test_backoff_grows_then_the_message_fails_and_an_admin_requeues_it(
    engine: Engine, world: World, mail: Settings, smtp: SmtpServer, clock: FakeClock
) -> None:
    now = clock()
    key = "overdue_invoice:2:2025-05-01"
    outbox_id = remind(engine, world.licensee.organisation_id, key, now)
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        assert deliver_due(engine, settings=mail, now=now).retrying == [outbox_id]
        due = load(engine, key).next_attempt_at
        assert due is not None
        waits.append(due - now)
        now = due
    assert waits == list(BACKOFF)

    assert deliver_due(engine, settings=mail, now=now).failed == [outbox_id]
    stored = load(engine, key)
    assert (stored.status, stored.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)
    assert stored.next_attempt_at is None
    assert deliver_due(engine, settings=mail, now=now + timedelta(days=30)).failed == []
    with Session(engine) as s:
        assert [m.id for m in mail_delivery.failed_messages(s)] == [outbox_id]

    smtp.start()
    later = now + timedelta(days=31)
    with session_scope(engine) as s:
        requeued = mail_delivery.requeue(s, outbox_id=outbox_id, now=later)
        assert (requeued.status, requeued.attempts) == (OutboxStatus.PENDING, 0)
    assert deliver_due(engine, settings=mail, now=later).sent == [outbox_id]
    assert len(smtp.collector.envelopes) == 1
    with session_scope(engine) as s, pytest.raises(IllegalTransition):
        mail_delivery.requeue(s, outbox_id=outbox_id, now=later)


def test_an_organisation_without_active_users_fails_its_message_not_the_batch(
    engine: Engine, world: World, mail: Settings, smtp: SmtpServer, clock: FakeClock
) -> None:
    smtp.start()
    now = clock()
    with session_scope(engine) as s:
        user = s.get_one(User, world.other_licensee.user_id)
        user.is_active = False
        s.add(user)
    lonely = remind(engine, world.other_licensee.organisation_id, "a:lonely", now)
    fine = remind(engine, world.licensee.organisation_id, "b:fine", now)

    report = deliver_due(engine, settings=mail, now=now)

    assert (report.sent, report.failed, report.retrying) == ([fine], [lonely], [])
    stored = load(engine, "a:lonely")
    assert (stored.status, stored.attempts, stored.sent_at) == (OutboxStatus.FAILED, 1, None)
    assert stored.last_error == (
        f"no recipients: organisation {world.other_licensee.organisation_id} has no active user"
    )
    assert [e.rcpt_tos for e in smtp.collector.envelopes] == [["sme@example.org"]]


def test_two_workers_at_once_send_each_message_once(
    engine: Engine, world: World, mail: Settings, smtp: SmtpServer, clock: FakeClock
) -> None:
    smtp.start()
    now = clock()
    orgs = [world.licensee.organisation_id, world.contributor.organisation_id]
    ids = [remind(engine, orgs[n % 2], f"k:{n:02}", now) for n in range(12)]
    start = threading.Barrier(2)
    reports: list[mail_delivery.DeliveryReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            reports.append(deliver_due(engine, settings=mail, now=now, limit=50))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert sorted(reports[0].sent + reports[1].sent) == ids
    assert not set(reports[0].sent) & set(reports[1].sent)
    message_ids = [m["Message-ID"] for m in smtp.collector.messages()]
    assert len(message_ids) == len(set(message_ids)) == 12
    with Session(engine) as s:
        statuses = s.exec(select(OutboxMessage.status).order_by(col(OutboxMessage.id))).all()
    assert statuses == [OutboxStatus.SENT] * 12


def test_an_expired_lease_is_claimed_again_with_the_same_message_id(
    engine: Engine, world: World, mail: Settings, smtp: SmtpServer, clock: FakeClock
) -> None:
    """A worker that died between the server's 250 and its commit: the message is sent again
    after the lease, with the Message-ID a receiver uses to drop the duplicate."""
    smtp.start()
    now = clock()
    key = "overdue_invoice:3:2025-05-01"
    outbox_id = remind(engine, world.licensee.organisation_id, key, now)
    assert deliver_due(engine, settings=mail, now=now).sent == [outbox_id]

    def crashed_while_sending(lease_ends: datetime) -> None:
        with session_scope(engine) as s:
            stored = row(s, key)
            stored.status, stored.sent_at = OutboxStatus.SENDING, None
            stored.claimed_until = lease_ends
            s.add(stored)

    later = now + timedelta(hours=1)
    crashed_while_sending(later + timedelta(minutes=5))
    held = deliver_due(engine, settings=mail, now=later)
    assert (held.sent, held.skipped) == ([], 0)  # the lease still holds: not even a look-up
    crashed_while_sending(later - timedelta(seconds=1))
    assert deliver_due(engine, settings=mail, now=later).sent == [outbox_id]

    first, second = smtp.collector.messages()
    assert first["Message-ID"] == second["Message-ID"] == message_id_for(key, MAIL_FROM)
    stored = load(engine, key)
    assert (stored.status, stored.sent_at, stored.claimed_until) == (OutboxStatus.SENT, later, None)


def test_directory_transport_writes_parseable_eml_files(
    engine: Engine, world: World, settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    assert settings.mail_transport == "directory"  # the default
    now = clock()
    key = statement_message(engine, world, now)
    remind(engine, world.licensee.organisation_id, "overdue_invoice:4:2025-05-01", now)

    assert len(deliver_due(engine, settings=settings, now=now).sent) == 2
    assert deliver_due(engine, settings=settings, now=now + timedelta(days=1)).sent == []

    files = sorted((tmp_path / "outbox").iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    parsed = {
        m["Subject"]: m
        for m in (
            email.message_from_bytes(f.read_bytes(), _class=EmailMessage, policy=policy.default)
            for f in files
        )
    }
    sent = parsed["Your royalty statement for 2025 Q1 — 北京理工大学"]
    assert sent["Message-ID"] == message_id_for(key, settings.mail_from)
    assert sent["From"] == "patentpool@localhost"
    assert sent["To"] == "uni@example.org"
    assert [a.get_payload(decode=True) for a in sent.iter_attachments()] == [PDF, HTML, CSV]
    assert parsed["Reminder overdue_invoice:4:2025-05-01"]["To"] == "sme@example.org"
    assert b"\r\n" in files[0].read_bytes()  # RFC 5322 line endings


def test_transport_none_sends_nothing_and_keeps_messages_pending(
    engine: Engine, world: World, settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    now = clock()
    remind(engine, world.licensee.organisation_id, "k:none", now)
    off = dataclasses.replace(settings, mail_transport="none")
    assert deliver_due(engine, settings=off, now=now).sent == []
    assert load(engine, "k:none").status == OutboxStatus.PENDING
    assert not (tmp_path / "outbox").exists()


def test_mail_settings_from_env() -> None:
    settings = Settings.from_env(
        {
            "PATENTPOOL_DATA_DIR": "/tmp/pp",
            "PATENTPOOL_MAIL_TRANSPORT": "SMTP",
            "PATENTPOOL_SMTP_HOST": "mail.example.org",
            "PATENTPOOL_SMTP_PORT": "587",
            "PATENTPOOL_SMTP_USERNAME": "pool",
            "PATENTPOOL_SMTP_PASSWORD": "secret",
            "PATENTPOOL_SMTP_STARTTLS": "true",
            "PATENTPOOL_SMTP_TIMEOUT": "12.5",
            "PATENTPOOL_MAIL_FROM": "Pool <pool@example.org>",
        }
    )
    assert (settings.mail_transport, settings.smtp_host, settings.smtp_port) == (
        "smtp",
        "mail.example.org",
        587,
    )
    assert (settings.smtp_username, settings.smtp_password) == ("pool", "secret")
    assert (settings.smtp_starttls, settings.smtp_timeout) == (True, 12.5)
    assert settings.mail_from == "Pool <pool@example.org>"
    assert "secret" not in repr(settings)
    defaults = Settings.from_env({"PATENTPOOL_DATA_DIR": "/tmp/pp"})
    assert (defaults.mail_transport, defaults.smtp_port, defaults.smtp_starttls) == (
        "directory",
        25,
        False,
    )
    with pytest.raises(ValueError, match="PATENTPOOL_MAIL_TRANSPORT"):
        Settings.from_env({"PATENTPOOL_MAIL_TRANSPORT": "carrier-pigeon"})
