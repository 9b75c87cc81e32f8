"""Ending a patent's inclusion from a date behaves like a regrade (issue 19): a run already
approved keeps its figures, and the next run that computes money for the usage period counts
the patent only until the date.

The pool of test_regrade_worked_example.py (grade_weighted A = 3, B = 2; Uni: P1 A, P2 B;
Lab: P3 A; Q1 2025 money 1,000.00). 600.00 received on 2025-05-20: the Q2 run pays Uni 33,750
and Lab 20,250 (weights 450 : 270) and is approved. Then P1 is invalidated from 15 Feb 2025:
it counts 45 days of Q1, weight 45 x 3 = 135. 400.00 received on 2025-08-15, Q3 run:
  weights Uni 135 + 180 = 315, Lab 270; in all 585
  cumulative distributable 90,000: Uni 48,461.538..., Lab 41,538.461...; floors 89,999, the
  leftover cent to the larger remainder, Uni -> Uni 48,462, Lab 41,538
  adjustments Uni 48,462 - 33,750 = 14,712, Lab 41,538 - 20,250 = 21,288 (sum 36,000)
  withholding 1,471.2 -> 1,471 and 2,128.8 -> 2,129; nets 13,241 and 19,159
  13,241 + 19,159 + 1,471 + 2,129 + 4,000 = 40,000.
  Uni's 14,712 over P1 135 : P2 180: 6,305.142... and 8,406.857...; floors 14,711, the
  leftover cent to P2 -> P1 6,305, P2 8,407. Lab: P3 21,288."""

from datetime import UTC, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.distribution.regrade_kit import API, patent_lines, pool_of_three


def test_an_end_inside_an_approved_period_applies_from_the_next_run(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    p1, p2, p3 = pool_of_three(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 60000, "2025-05-20", clock)
    clock.now = datetime(2025, 7, 20, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    approved = kit.approve(client, world, q2["id"])
    before = patent_lines(engine, q2["id"])

    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    r = client.post(
        f"{API}/patents/{p1}/end",
        json={"status": "invalidated", "on": "2025-02-15", "reason": "revoked"},
        headers=world.admin.headers,
    )
    assert r.status_code == 200, r.text
    again = client.get(f"{API}/distribution-runs/{q2['id']}", headers=world.admin.headers).json()
    assert again == approved
    assert patent_lines(engine, q2["id"]) == before

    kit.pay(client, world, "Q3-1", 40000, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q3 = kit.close(client, world, "2025-07-01")
    assert kit.by_contributor(q3, world) == {
        "contributor": (0, 14712, 1471, 13241),
        "other_contributor": (0, 21288, 2129, 19159),
    }
    assert patent_lines(engine, q3["id"]) == [
        (p1, "A", 45, "135", 6305),
        (p2, "B", 90, "180", 8407),
        (p3, "A", 90, "270", 21288),
    ]
