"""More requests than threads, connections or patience: every request is answered, with its
result or with 503 and Retry-After, never a 500, never a hang (a hard deadline fails a hang).

The thread pool and the connection pool are made deliberately small, so what took 7 requests
(threads) or 50 (connections) on a production instance shows at a handful, quickly."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.db import Limits, make_engine, session_scope
from pool.models.audit import AuditEvent
from pool.services.billing import licensee_money
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.billing import kit as billing
from tests.pool.concurrency.kit import (
    Call,
    assert_told_to_retry,
    burst,
    get_as,
    live_app,
    statuses,
)
from tests.pool.conftest import World
from tests.pool.test_authorization_distributions import build as build_statements

API = "/api/v1"


def _organisation(world: World, n: int) -> Call:
    body = {
        "name": f"Newcomer {n}",
        "kind": "private_company",
        "size_class": "small",
        "country": "US",
    }
    return lambda client: client.post(
        f"{API}/organisations", json=body, headers=world.admin.headers
    )


def _payment(world: World, reference: str) -> Call:
    body = {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": reference,
        "amount_minor": 10_00,
        "currency": "USD",
        "received_on": "2025-05-02",
    }
    return lambda client: client.post(
        f"{API}/pools/{world.pool_id}/payments", json=body, headers=world.admin.headers
    )


def _agreement(engine: Engine, world: World) -> None:
    with session_scope(engine) as s:
        billing.agreement(s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0)


def _audited(engine: Engine) -> list[str]:
    with session_scope(engine) as s:
        return list(s.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all())


def test_audited_writes_piling_up_on_three_threads_all_complete(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    """Once the commit ran in a thread of its own, six requests waiting for the audit chain
    filled every thread and the holder never committed: an instance hung for good."""
    _agreement(engine, world)
    before = _audited(engine)
    calls = [_organisation(world, n) for n in range(8)]
    calls += [_payment(world, f"PILE-{n}") for n in range(8)]
    with live_app(settings, engine, clock, threads=3, db_lock_timeout_ms=60_000) as url:
        responses = burst(url, calls)
    assert statuses(responses) == {201: 16}
    added = _audited(engine)[len(before) :]
    assert sorted(added) == ["organisation.created"] * 8 + ["payment.recorded"] * 8


@contextmanager
def _small_pool(engine: Engine, connections: int) -> Iterator[Engine]:
    """The test's database through an engine of `connections` pooled connections, no spare."""
    small = make_engine(
        engine.url.render_as_string(hide_password=False),
        Limits(connections=connections, spare=0, pool_timeout=2),
    )
    try:
        yield small
    finally:
        small.dispose()


def test_a_read_storm_on_two_connections_is_answered_in_turn(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    """60 readers, 4 threads, 2 connections: each request holds a connection only inside its
    handler's thread, and waits for a slot without holding a thread."""
    read = get_as(f"{API}/pools/{world.pool_id}", world.contributor.headers)
    with (
        _small_pool(engine, 2) as small,
        live_app(settings, small, clock, threads=4, db_slots=2, db_wait_seconds=30) as url,
    ):
        responses = burst(url, [read] * 60)
    assert statuses(responses) == {200: 60}


def test_a_full_queue_is_told_to_retry_with_a_problem_document(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    read = get_as(f"{API}/pools/{world.pool_id}", world.contributor.headers)
    with live_app(settings, engine, clock, db_slots=1, db_queue_max=0) as url:
        responses = burst(url, [read] * 40)
    assert_told_to_retry(responses)


@contextmanager
def _writer_holding_the_licensee(engine: Engine, world: World) -> Iterator[None]:
    """Another transaction in the middle of moving this licensee's money (holding its lock)."""
    with Session(engine) as other:
        licensee_money.serialize(other, world.licensee.organisation_id or 0)
        try:
            yield
        finally:
            other.rollback()


def test_a_payment_that_cannot_get_its_lock_in_time_is_503_and_writes_nothing(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    """A lock wait is bounded (PostgreSQL lock_timeout, SQLite busy timeout; both are set
    when a connection opens, so the app gets an engine of its own)."""
    _agreement(engine, world)
    url_of_db = engine.url.render_as_string(hide_password=False)
    impatient = make_engine(url_of_db, Limits(lock_timeout_ms=300, busy_timeout_ms=300))
    try:
        with (
            live_app(settings, impatient, clock) as url,
            _writer_holding_the_licensee(engine, world),
        ):
            (refused,) = burst(url, [_payment(world, "LOCKED-1")])
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["type"].endswith("/unavailable")
        with live_app(settings, impatient, clock) as url:
            (paid,) = burst(url, [_payment(world, "LOCKED-1")])
    finally:
        impatient.dispose()
    assert paid.status_code == 201, paid.text  # a new payment: nothing was kept of the first


def test_requests_refused_before_their_handler_never_keep_a_slot(
    engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    """With one slot: API calls without a token (401 before the handler), web pages for
    signed-out visitors (to the sign-in page) and bad tokens (401 in the handler's thread)
    all give their slot back; the next real request is answered at once, not after the
    wait for a slot (10 s) with a 503."""
    refused: list[Call] = [
        lambda c: c.get(f"{API}/pools/{world.pool_id}"),
        lambda c: c.get(f"{API}/pools/{world.pool_id}", headers={"Authorization": "Bearer no"}),
        lambda c: c.get("/admin/patents", follow_redirects=False),
    ]
    read = get_as(f"{API}/pools/{world.pool_id}", world.contributor.headers)
    with live_app(settings, engine, clock, db_slots=1, db_wait_seconds=2) as url:
        for call in refused * 3:
            (answer,) = burst(url, [call])
            assert answer.status_code in (303, 401), answer.text
        (answer,) = burst(url, [read])
    assert answer.status_code == 200, answer.text


@pytest.mark.slow  # a storm of threads: scheduled first (tests/conftest.py)
def test_a_storm_of_reads_on_the_event_loop_waits_in_turn_for_one_connection(
    client: TestClient, engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    """60 contributors' statement reads (pool.loop_reads) on one read connection: each waits
    for it in arrival order on the loop, and every one is answered."""
    statement = build_statements(client, engine, world, clock)["uni_statement"]
    read = get_as(f"{API}/statements/{statement}", world.contributor.headers)
    with live_app(settings, engine, clock, db_read_connections=1, db_wait_seconds=30) as url:
        responses = burst(url, [read] * 60)
    assert statuses(responses) == {200: 60}


def test_reads_on_the_event_loop_past_a_full_queue_are_told_to_retry(
    client: TestClient, engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads on the loop never wait for a connection")
    statement = build_statements(client, engine, world, clock)["uni_statement"]
    read = get_as(f"{API}/statements/{statement}", world.contributor.headers)
    with live_app(settings, engine, clock, db_read_connections=1, db_queue_max=0) as url:
        responses = burst(url, [read] * 40)
    assert_told_to_retry(responses)
