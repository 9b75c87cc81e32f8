"""An assignment's due date through the real API (the test clock's today is 2025-06-02): set
when assigning, read back on the assignment and the evaluation, audited with the assignment;
optional; refused before today, naming the field, and nothing is stored."""

from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from tests.pool.conftest import World
from tests.pool.evaluation.kit import (
    API,
    bearer,
    evaluators,
    ok,
    patent_under_evaluation,
    problem,
)


def assign_due(
    client: TestClient, world: World, patent_id: int, user_id: int, due: object
) -> Response:
    body = {"evaluator_user_id": user_id, "assigned_on": "2025-06-02", "due_on": due}
    return client.post(
        f"{API}/patents/{patent_id}/evaluation/assignments", json=body, headers=world.admin.headers
    )


def test_a_due_date_is_set_read_and_audited(
    client: TestClient, world: World, engine: Engine
) -> None:
    patent = patent_under_evaluation(client, world)
    made = ok(assign_due(client, world, patent, world.evaluator.user_id, "2025-07-02"))
    assert made["due_on"] == "2025-07-02"
    for headers in (world.admin.headers, world.evaluator.headers, world.contributor.headers):
        read = ok(client.get(f"{API}/patents/{patent}/evaluation", headers=headers))
        assert [a["due_on"] for a in read["assignments"]] == ["2025-07-02"]
    with Session(engine) as db:
        event = db.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "patent.evaluator_assigned")
            .order_by(col(AuditEvent.id))
        ).one()
    assert event.after is not None
    assert event.after["due_on"] == "2025-07-02"


def test_the_due_date_is_optional_and_may_be_today(client: TestClient, world: World) -> None:
    patent = patent_under_evaluation(client, world)
    (second,) = evaluators(client, world, 1)
    body = {"evaluator_user_id": world.evaluator.user_id, "assigned_on": "2025-06-01"}
    none = ok(
        client.post(
            f"{API}/patents/{patent}/evaluation/assignments",
            json=body,
            headers=world.admin.headers,
        )
    )
    assert none["due_on"] is None
    today = ok(assign_due(client, world, patent, int(second["id"]), "2025-06-02"))
    assert today["due_on"] == "2025-06-02"
    # the evaluator reads the same due date on their queue's patent
    read = ok(client.get(f"{API}/patents/{patent}/evaluation", headers=bearer(second)))
    assert sorted(str(a["due_on"]) for a in read["assignments"]) == ["2025-06-02", "None"]


def test_a_due_date_before_today_is_refused_and_nothing_is_stored(
    client: TestClient, world: World, engine: Engine
) -> None:
    patent = patent_under_evaluation(client, world)
    refused = problem(assign_due(client, world, patent, world.evaluator.user_id, "2025-06-01"), 422)
    assert [e["field"] for e in refused["errors"]] == ["due_on"]
    assert "must not be before today" in refused["errors"][0]["message"]
    for bad in ("2025-13-01", 20250701, "2025-07-02T00:00:00", ""):
        answer = problem(assign_due(client, world, patent, world.evaluator.user_id, bad), 422)
        assert "due_on" in str(answer), bad
    read = ok(client.get(f"{API}/patents/{patent}/evaluation", headers=world.admin.headers))
    assert read["assignments"] == []
    with Session(engine) as db:
        assert not db.exec(
            select(AuditEvent).where(AuditEvent.action == "patent.evaluator_assigned")
        ).first()
