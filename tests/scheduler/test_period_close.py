"""The period close jobs as the worker runs them: periods close in order after their reporting
deadline (catching up when the worker was down), auto-approved or waiting for approval;
statements are issued once; the outbox e-mails each statement once, with its documents, to
a real SMTP server. Every job run twice changes nothing the second time."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.distribution import DistributionRun, Statement, StatementDocument
from pool.models.pool import Pool
from pool.services import audit
from pool.services.distribution import runs as distribution_runs
from pool.settings import Settings
from scheduler.jobs import outbox_delivery, period_close_job, statement_issuance
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.test_mail_delivery import Collector, SmtpServer, free_port

NOW = datetime(2025, 12, 1, 3, tzinfo=UTC)


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), Collector())
    server.start()
    for name, value in {
        "DATA_DIR": str(settings.data_dir),  # the audit key the statement checkpoints use
        "MAIL_TRANSPORT": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(server.port),
        "MAIL_FROM": "statements@pool.example",
    }.items():
        monkeypatch.setenv(f"PATENTPOOL_{name}", value)
    yield server
    server.stop()


def books(client: TestClient, engine: Engine, world: World, clock: FakeClock, auto: bool) -> None:
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    kit.pay(client, world, "Q3-1", 50050, "2025-08-15", clock)
    with session_scope(engine) as s:
        pool = s.get(Pool, world.pool_id)
        assert pool is not None
        pool.auto_approve_distributions = auto
        s.add(pool)


def runs(engine: Engine) -> list[tuple[date, str, int, int, int, int]]:
    with Session(engine) as s:
        return [
            (
                r.period_start,
                r.status,
                r.received_minor,
                r.admin_fee_minor,
                r.withholding_minor,
                r.net_payable_minor,
            )
            for r in s.exec(select(DistributionRun).order_by(col(DistributionRun.period_start)))
        ]


def test_a_worker_down_since_spring_closes_three_quarters_and_mails_each_statement_once(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, smtp: SmtpServer
) -> None:
    books(client, engine, world, clock, auto=True)
    first = period_close_job(engine, pool_id=None, as_of=NOW.date(), now=NOW)
    assert len(first.lines) == 3, str(first)  # Q1, Q2, Q3 2025; Q4 closes on 2026-01-31
    assert runs(engine) == [
        (date(2025, 1, 1), "approved", 0, 0, 0, 0),
        (date(2025, 4, 1), "approved", 100000, 10000, 9000, 81000),
        (date(2025, 7, 1), "approved", 50050, 5005, 4505, 40540),
    ]
    assert period_close_job(engine, pool_id=None, as_of=NOW.date(), now=NOW).lines == []

    issued = statement_issuance(engine, pool_id=None, as_of=NOW.date(), now=NOW)
    assert len(issued.lines) == 3, str(issued)
    assert statement_issuance(engine, pool_id=None, as_of=NOW.date(), now=NOW).lines == []
    with Session(engine) as s:
        statements = s.exec(select(Statement)).all()
        assert len(statements) == 6  # two contributors, three periods
        assert sum(st.net_payable_minor + st.withholding_minor for st in statements) == (
            150050 - 15005
        )
        pdf = {
            d.statement_id: d.content
            for d in s.exec(select(StatementDocument).where(StatementDocument.format == "pdf"))
        }

    sent = outbox_delivery(engine, pool_id=None, as_of=NOW.date(), now=NOW)
    assert sent.lines == ["6 sent, 0 to retry, 0 failed, 0 taken by another worker"]
    assert outbox_delivery(engine, pool_id=None, as_of=NOW.date(), now=NOW).lines == []
    messages = smtp.collector.messages()
    assert len(messages) == 6
    assert len({m["Message-ID"] for m in messages}) == 6
    attached = [
        part.get_content()
        for m in messages
        for part in m.iter_attachments()
        if part.get_content_type() == "application/pdf"
    ]
    assert sorted(attached) == sorted(pdf.values())


def test_without_auto_approval_the_next_period_waits_for_the_administrator(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    books(client, engine, world, clock, auto=False)
    closed = period_close_job(engine, pool_id=None, as_of=NOW.date(), now=NOW)
    assert [line.endswith("(draft: waits for approval)") for line in closed.lines] == [True]
    assert period_close_job(engine, pool_id=None, as_of=NOW.date(), now=NOW).lines == []
    assert statement_issuance(engine, pool_id=None, as_of=NOW.date(), now=NOW).lines == []
    with session_scope(engine) as s:
        run = s.exec(select(DistributionRun)).one()
        distribution_runs.approve(s, run=run, actor=audit.Actor.system("test"), now=NOW)
    again = period_close_job(engine, pool_id=None, as_of=NOW.date(), now=NOW)
    assert len(again.lines) == 1
    assert [r[:2] for r in runs(engine)] == [
        (date(2025, 1, 1), "approved"),
        (date(2025, 4, 1), "draft"),
    ]
