"""A pool that charges USD 1,500.00 per patent evaluated, and Uni A's patent whose first
evaluator's assignment (2025-05-10) invoiced it, through the real API."""

from datetime import UTC, datetime

from litestar.testing import TestClient

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.evaluation.kit import API, assign, ok, patent_under_evaluation

FEE = 150_000


def charged_patent(
    client: TestClient, world: World, clock: FakeClock, *, patent: int | None = None
) -> dict[str, int]:
    """Uni A's patent under evaluation (`patent`, or a new one) and its fee invoice, by name."""
    ok(client.patch(f"{API}/pools/{world.pool_id}", json={"evaluation_fee_minor": FEE},
                    headers=world.admin.headers))  # fmt: skip
    clock.now = datetime(2025, 5, 10, 9, tzinfo=UTC)
    patent = patent or patent_under_evaluation(client, world)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-10"))
    listed = ok(client.get(f"{API}/invoices", params={"kind": "evaluation_fee"},
                           headers=world.admin.headers))  # fmt: skip
    (fee,) = listed["items"]
    return {"patent": patent, "uni_fee": int(fee["id"])}
