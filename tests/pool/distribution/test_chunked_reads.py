"""Reads by id lists go in chunks (PostgreSQL takes at most 65,535 bound parameters in one
statement, and a pool's paid invoices add up over the years): a run read one invoice per
chunk has exactly the figures of one read in a single statement."""

from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from pool.services.distribution import cash as distribution_cash
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.reporting.kit import line, submit

VOLATILE = ("computed_at", "computations")


def test_a_run_read_in_chunks_of_one_invoice_has_the_same_figures(
    client: TestClient,
    engine: Engine,
    world: World,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    books = kit.worked_example(client, engine, world, clock)  # Q1: 1,500.50
    clock.now = datetime(2025, 7, 10, 9, tzinfo=UTC)
    mobile = books.deal.products["mobile"]
    q2_lines = [line(mobile, 400, made="CN", sold="US"), line(mobile, 300, made="CN", sold="CN")]
    receipt = submit(client, world, books.deal, "2025-04-01", q2_lines)  # Q2: 350.00
    assert receipt.status_code == 201, receipt.text
    kit.pay(client, world, "P-1", 100000, "2025-05-20", clock)
    kit.pay(client, world, "P-2", 85050, "2025-08-15", clock)  # the rest of Q1, then all of Q2

    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    whole = kit.close(client, world, "2025-07-01")
    assert [p["usage_start"] for p in whole["usage_periods"]] == ["2025-01-01", "2025-04-01"]
    assert whole["received_minor"] == 185050
    monkeypatch.setattr(distribution_cash, "IN_CHUNK", 1)
    chunked = kit.close(client, world, "2025-07-01")  # the draft recomputed
    assert chunked["computations"] == 2
    assert _figures(chunked) == _figures(whole)


def _figures(run: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in run.items() if key not in VOLATILE}


def test_more_paid_invoices_than_one_statement_takes_parameters(engine: Engine) -> None:
    """70,000 ids (PostgreSQL's limit is 65,535 parameters a statement); none exists here."""
    with Session(engine) as session:
        received = dict.fromkeys(range(1, 70_001), 1)
        assert distribution_cash._invoices(session, received) == []
