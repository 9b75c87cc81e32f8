"""Reads on the event loop (pool.loop_reads): the same answers as in a session, the token
checked in the read's own query, and a database that is away or busy answered 503, never 500
nor a hang. On the test database (SQLite file, or PostgreSQL)."""

import asyncio
import dataclasses
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, bindparam, exc, select, text
from sqlmodel import Session, col

from pool.auth import BearerCredentials, Principal
from pool.db import make_engine
from pool.loop_reads import LoopReader, PostgresLoopReader, SQLiteLoopReader, open_loop_reader
from pool.models.user import ApiToken, Role
from pool.services import statements
from pool.services.common.plain_reads import ScopedRead
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.event_loops import on_a_loop_of_its_own
from tests.pool.conftest import World
from tests.pool.test_authorization_distributions import build

T = TypeVar("T")
API = "/api/v1"


def test_a_statement_read_on_the_loop_is_the_one_a_session_reads(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = build(client, engine, world, clock)
    answer = client.get(f"{API}/statements/{ids['uni_statement']}", headers=world.admin.headers)
    assert answer.status_code == 200
    admin = Principal(world.admin.user_id, "admin", Role.ADMIN, None, 0)
    with Session(engine) as session:
        stored = statements.read_one(session, principal=admin, statement_id=ids["uni_statement"])
    assert answer.json() == stored.model_dump(mode="json")
    assert [d["format"] for d in answer.json()["documents"]] == ["csv", "html", "pdf"]
    assert stored.issued_at.tzinfo is not None  # aware UTC, on SQLite too


def test_the_token_is_checked_in_the_read_whatever_the_read_finds(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """Unknown, revoked and expired tokens and disabled users are 401, for an existing
    statement, another contributor's and a missing one alike (nothing is confirmed)."""
    ids = build(client, engine, world, clock)
    urls = [f"{API}/statements/{ids[k]}" for k in ("uni_statement", "lab_statement", "missing")]
    created = client.post(f"{API}/me/tokens", json={"name": "x"}, headers=world.contributor.headers)
    script = {"Authorization": f"Bearer {created.json()['token']}"}
    assert client.get(urls[0], headers=script).status_code == 200
    client.delete(f"{API}/me/tokens/{created.json()['id']}", headers=world.contributor.headers)
    unknown = {"Authorization": "Bearer pp_not-a-token"}
    for url in urls:
        assert client.get(url, headers=script).status_code == 401
        assert client.get(url, headers=unknown).status_code == 401
        assert client.get(url).status_code == 401
    brief = client.post(
        f"{API}/me/tokens",
        json={"name": "brief", "expires_in_days": 1},
        headers=world.contributor.headers,
    )
    briefly = {"Authorization": f"Bearer {brief.json()['token']}"}
    assert client.get(urls[0], headers=briefly).status_code == 200
    clock.advance(days=2)
    expired = client.get(urls[0], headers=briefly)
    assert expired.status_code == 401
    assert expired.headers["content-type"].startswith("application/problem+json")


def test_a_disabled_user_is_refused_on_the_loop(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = build(client, engine, world, clock)
    url = f"{API}/statements/{ids['uni_statement']}"
    with engine.begin() as connection:
        connection.execute(
            text('UPDATE "user" SET is_active = :no WHERE id = :id'),
            {"no": False, "id": world.contributor.user_id},
        )
    assert client.get(url, headers=world.contributor.headers).status_code == 401


def test_a_database_that_is_away_is_503_with_retry_after(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, settings: Settings
) -> None:
    ids = build(client, engine, world, clock)
    url = f"{API}/statements/{ids['uni_statement']}"
    app = client.app
    working: LoopReader = app.state.loop_reads
    away = dataclasses.replace(settings, database_url=unreachable_url(engine))
    app.state.loop_reads = open_loop_reader(make_engine(away.database_url), away)
    try:
        answer = client.get(url, headers=world.contributor.headers)
    finally:
        app.state.loop_reads = working
    assert answer.status_code == 503
    assert answer.headers["retry-after"]
    assert answer.json()["status"] == 503
    assert client.get(url, headers=world.contributor.headers).status_code == 200


def unreachable_url(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return "sqlite:////nonexistent-dir/nothing/here.sqlite3"
    return "postgresql://postgres@127.0.0.1:1/test"  # nothing listens on port 1


def test_sqlite_reads_need_a_file() -> None:
    with pytest.raises(ValueError, match="SQLite file"):
        SQLiteLoopReader(make_engine("sqlite://"))


def test_a_cancelled_read_gives_its_connection_slot_back(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, settings: Settings
) -> None:
    """A client that goes away mid-read: the connection is dropped (it may be mid-protocol),
    the slot is free, and the next read on the same reader works."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads never wait: nothing to cancel")
    ids = build(client, engine, world, clock)
    one_connection = dataclasses.replace(settings, db_read_connections=1)
    reader = open_loop_reader(engine, one_connection)
    assert isinstance(reader, PostgresLoopReader)
    bearer = BearerCredentials(world.contributor.token, clock())
    read = statements.one(statement_id=ids["uni_statement"])

    async def cancel_then_read() -> tuple[int, str]:
        slow = asyncio.create_task(reader.run_for(bearer, read))
        await asyncio.sleep(0)  # it has taken the slot and sent its query
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        in_use = reader.status().in_use
        again = await reader.run_for(bearer, read)
        await reader.close()
        return in_use, again.serial

    in_use, serial = on_a_loop_of_its_own(cancel_then_read)
    assert in_use == 0
    assert serial.startswith("PP")


def test_each_loop_reads_on_connections_of_its_own(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, settings: Settings
) -> None:
    """Connections belong to the loop that opened them: a reader used by one loop after
    another (a test's second client, a server restarted in-process) opens its own there, and
    each loop closes its own on shutdown."""
    ids = build(client, engine, world, clock)
    reader = open_loop_reader(engine, settings)
    bearer = BearerCredentials(world.admin.token, clock())
    read = statements.one(statement_id=ids["lab_statement"])

    async def serve_and_shut_down() -> int:
        found = (await reader.run_for(bearer, read)).contributor_organisation_id
        await reader.close()
        return found

    assert on_a_loop_of_its_own(serve_and_shut_down) == world.other_contributor.organisation_id
    assert on_a_loop_of_its_own(serve_and_shut_down) == world.other_contributor.organisation_id


def test_an_unreachable_database_is_an_operational_error(
    settings: Settings, engine: Engine
) -> None:
    away = dataclasses.replace(settings, database_url=unreachable_url(engine), db_wait_seconds=2)
    reader = open_loop_reader(make_engine(away.database_url), away)
    read = statements.one(statement_id=1)
    bearer = BearerCredentials("pp_x", datetime.now(UTC))

    async def attempt() -> None:
        await reader.run_for(bearer, read)

    with pytest.raises(exc.OperationalError):
        on_a_loop_of_its_own(attempt)


def test_a_read_whose_parameters_clash_with_the_token_check_is_refused(
    settings: Settings, engine: Engine
) -> None:
    """Joined into one query, a read's `:hash` would silently take the token's hash."""
    clashing = ScopedRead(
        select(ApiToken.id).where(col(ApiToken.token_hash) == bindparam("hash")),
        {"hash": "x"},
        lambda principal, rows: rows,
    )
    reader = open_loop_reader(engine, settings)

    async def attempt() -> None:
        await reader.run_for(BearerCredentials("pp_x", datetime.now(UTC)), clashing)

    with pytest.raises(ValueError, match="clash"):
        on_a_loop_of_its_own(attempt)
