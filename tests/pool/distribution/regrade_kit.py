"""The pool of the regrade worked example (test_regrade_worked_example.py): three CN patents
with a grade history, a Q1 2025 report, and the calls the tests make."""

from datetime import UTC, date, datetime
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import col, select

from pool.db import session_scope
from pool.models.distribution import RunPatentLine
from pool.models.grading import GradeSource
from pool.models.patent import Patent
from pool.services import audit
from pool.services.patents import grades
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.reporting.kit import deal, line, submit

API = "/api/v1"
POINTS = {"A": "3", "B": "2", "C": "1", "D": "1"}


def graded(engine: Engine, world: World, owner: str, grade: str) -> int:
    """A CN pool patent of `owner` in the pool since 2020, admitted then with `grade`."""
    patent_id = kit.patent(engine, world, owner, "CN", date(2020, 1, 1))
    with session_scope(engine) as s:
        row = s.get(Patent, patent_id)
        assert row is not None
        row.admitted_on = date(2020, 1, 1)
        grades.record(
            s,
            row,
            grade=grade,
            tier=None,
            effective_on=date(2020, 1, 1),
            source=GradeSource.ADMISSION,
            actor=audit.Actor.system("test"),
            now=datetime(2020, 1, 1, tzinfo=UTC),
        )
    return patent_id


def pool_of_three(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> list[int]:
    r = client.patch(
        f"{API}/pools/{world.pool_id}",
        headers=world.admin.headers,
        json={
            "allocation_method": "grade_weighted",
            "allocation_parameters": {"grade_points": POINTS},
        },
    )
    assert r.status_code == 200, r.text
    patents = [
        graded(engine, world, "contributor", "A"),
        graded(engine, world, "contributor", "B"),
        graded(engine, world, "other_contributor", "A"),
    ]
    d = deal(engine, world, royalty=kit.PER_UNIT, payment={"net_days": 0})
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    receipt = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 2000, sold="CN")])
    assert receipt.status_code == 201, receipt.text
    return patents


def regrade(client: TestClient, world: World, patent_id: int) -> dict[str, Any]:
    r = client.post(
        f"{API}/patents/{patent_id}/grades",
        json={"grade": "C", "effective_on": "2025-02-15", "reason": "claims 1-3 narrowed"},
        headers=world.admin.headers,
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def patent_lines(engine: Engine, run_id: int) -> list[tuple[int, str | None, int, str, int]]:
    """(patent, grade, days, weight, part) of a run, by patent then segment."""
    with session_scope(engine) as s:
        rows = s.exec(
            select(RunPatentLine)
            .where(RunPatentLine.run_id == run_id)
            .order_by(col(RunPatentLine.patent_id), col(RunPatentLine.id))
        ).all()
        return [(r.patent_id, r.grade, r.days_in_force, r.weight, r.amount_minor) for r in rows]
