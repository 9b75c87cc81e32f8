"""Assigning evaluators to one patent at once, over real HTTP from real threads, on both
databases (issue 19). The first assignment begins the evaluation and invoices the fee: two
administrators assigning at once both saw "no assignment yet" and would each have billed it.
The patent's row lock (`evaluation_fees.starting`) takes them one after the other: each
evaluator is assigned once, the same evaluator twice is refused, and exactly one fee invoice
is issued, audited once."""

from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import select

from pool.db import session_scope
from pool.models.audit import AuditEvent
from pool.models.billing import Invoice
from pool.models.evaluation import EvaluationAssignment
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.concurrency.kit import Call, burst, live_app, statuses
from tests.pool.conftest import World
from tests.pool.evaluation.fee_kit import FEE
from tests.pool.evaluation.kit import API, evaluators, ok, patent_under_evaluation

PATIENT = {"db_lock_timeout_ms": 60_000, "db_wait_seconds": 60.0}


def _assign(world: World, patent: int, user_id: int) -> Call:
    url = f"{API}/patents/{patent}/evaluation/assignments"
    body = {"evaluator_user_id": user_id, "assigned_on": "2025-05-10"}
    return lambda client: client.post(url, json=body, headers=world.admin.headers)


def test_evaluators_assigned_at_once_bill_the_fee_once(
    client: TestClient, engine: Engine, settings: Settings, clock: FakeClock, world: World
) -> None:
    ok(client.patch(f"{API}/pools/{world.pool_id}", json={"evaluation_fee_minor": FEE},
                    headers=world.admin.headers))  # fmt: skip
    patent = patent_under_evaluation(client, world)
    (second,) = evaluators(client, world, 1)
    first_id, second_id = world.evaluator.user_id, int(second["id"])
    calls = [_assign(world, patent, who) for who in (first_id, second_id) * 3]
    with live_app(settings, engine, clock, **PATIENT) as url:
        responses = burst(url, calls)
    assert statuses(responses) == {201: 2, 409: 4}, [r.text for r in responses]
    with session_scope(engine) as s:
        assigned = s.exec(select(EvaluationAssignment.evaluator_user_id)).all()
        fees = s.exec(select(Invoice.total_minor).where(Invoice.patent_id == patent)).all()
        issued = s.exec(select(func.count()).where(AuditEvent.action == "invoice.issued")).one()
    assert sorted(assigned) == sorted([first_id, second_id])
    assert (list(fees), issued) == ([FEE], 1)
