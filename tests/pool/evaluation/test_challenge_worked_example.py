"""A successful challenge regrades a patent from a date, worked by hand, through HTTP (issue 19;
docs/evaluation.md "Challenges").

The pool of the regrade worked example (tests/pool/distribution/regrade_kit.py):
`grade_weighted`, A = 3, B = 2, C = 1 points, fee 10 %, both contributors withhold 10 %. All
patents are CN and in the pool throughout Q1 2025 (90 days: 1 Jan - 31 Mar). Uni A holds P1
(grade A) and P2 (grade B), Lab B holds P3 (grade A). The licensee (SME L, holding a licence)
reports 2,000 units made and sold in China at 0.50 = 1,000.00 for Q1 2025.

1. The Q2 run, approved before the challenge: 600.00 received on 2025-05-20.
  fee 6,000, distributable 54,000; weights P1 90 x 3 = 270, P2 90 x 2 = 180 (Uni 450), P3
  90 x 3 = 270 (Lab), in all 720: Uni 54,000 x 450 / 720 = 33,750, Lab 20,250 (exact, no
  remainder); withholding 3,375 and 2,025; nets 30,375 and 18,225. Per patent P1 33,750 x
  270 / 450 = 20,250, P2 13,500, P3 20,250.

2. The licensee challenges P1's grade on 2025-07-25; the administrator assigns the agency's
  evaluator (who made no finding on P1); the evaluator finds it essential at grade C; on
  2025-08-01 the administrator closes the challenge: regrade to C from 2025-02-15. The Q2 run
  is listed as not rewritten and keeps every figure and patent line.

3. The next run, Q3: 400.00 received on 2025-08-15; it re-apportions Q1's cumulative 1,000.00
  with the new weights. P1: 45 days at A (1 Jan - 14 Feb) x 3 = 135, 45 days at C (15 Feb -
  31 Mar) x 1 = 45, so 180; P2 180; Uni 360; Lab 270; in all 630.
  fee on the cumulative 100,000 is 10,000; distributable 90,000:
  Uni 90,000 x 360 / 630 = 51,428.571..., Lab 90,000 x 270 / 630 = 38,571.428...
  floors 51,428 + 38,571 = 89,999; the leftover cent to the larger remainder (.571): Uni ->
  Uni 51,429, Lab 38,571.
  Differences paid by Q3: Uni 51,429 - 33,750 = 17,679, Lab 38,571 - 20,250 = 18,321
  (sum 36,000 = 40,000 - Q3's fee 4,000); withholding 1,767.9 -> 1,768 and 1,832.1 -> 1,832;
  nets 15,911 and 16,489; 15,911 + 16,489 + 1,768 + 1,832 + 4,000 = 40,000.
  Per patent: Uni's 17,679 over P1 : P2 = 180 : 180 = 8,839.5 each: floors 8,839 x 2, the
  leftover cent to the tie's lower id -> P1 8,840, P2 8,839; P1's 8,840 over its segments
  135 : 45 = 6,630 and 2,210 exactly. Lab: P3 18,321.
"""

from datetime import UTC, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.distribution.regrade_kit import API, patent_lines, pool_of_three
from tests.pool.evaluation import challenge_kit as challenge
from tests.pool.evaluation.kit import ok


def test_a_successful_challenge_regrades_from_a_date_and_the_next_run_splits_anew(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    p1, p2, p3 = pool_of_three(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 60000, "2025-05-20", clock)
    clock.now = datetime(2025, 7, 20, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    assert kit.by_contributor(q2, world) == {
        "contributor": (33750, 0, 3375, 30375),
        "other_contributor": (20250, 0, 2025, 18225),
    }
    approved = kit.approve(client, world, q2["id"])
    before = patent_lines(engine, q2["id"])
    assert before == [
        (p1, "A", 90, "270", 20250),
        (p2, "B", 90, "180", 13500),
        (p3, "A", 90, "270", 20250),
    ]

    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    filed = ok(challenge.file(client, world.licensee.headers, p1))
    assert (filed["state"], filed["patent_id"]) == ("filed", p1)
    ok(challenge.assign(client, world, filed["id"], world.evaluator.user_id))
    found = ok(challenge.find(client, world.evaluator.headers, filed["id"]))
    assert (found["state"], found["finding"]["grade"]) == ("found", "C")
    closed = challenge.close(
        client, world, filed["id"], outcome="regrade", grade="C", effective_on="2025-02-15"
    )
    assert (closed["state"], closed["outcome"], closed["effective_on"]) == (
        "closed", "regrade", "2025-02-15",
    )  # fmt: skip

    history = ok(client.get(f"{API}/patents/{p1}/grades", headers=world.admin.headers))
    latest = history["items"][-1]
    assert (latest["grade"], latest["source"], latest["reference"]) == (
        "C", "challenge", filed["reference"],
    )  # fmt: skip
    for reader in (world.licensee, world.contributor):  # the challenger and the owner
        seen = ok(client.get(f"{API}/challenges/{filed['id']}", headers=reader.headers))
        assert (seen["outcome"], seen["effective_on"]) == ("regrade", "2025-02-15")

    again = client.get(f"{API}/distribution-runs/{q2['id']}", headers=world.admin.headers).json()
    assert again == approved
    assert patent_lines(engine, q2["id"]) == before

    kit.pay(client, world, "Q3-1", 40000, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q3 = kit.close(client, world, "2025-07-01")
    assert (q3["received_minor"], q3["admin_fee_minor"]) == (40000, 4000)
    assert kit.by_contributor(q3, world) == {
        "contributor": (0, 17679, 1768, 15911),
        "other_contributor": (0, 18321, 1832, 16489),
    }
    assert patent_lines(engine, q3["id"]) == [
        (p1, "A", 45, "135", 6630),
        (p1, "C", 45, "45", 2210),
        (p2, "B", 90, "180", 8839),
        (p3, "A", 90, "270", 18321),
    ]
