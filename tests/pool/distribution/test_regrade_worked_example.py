"""A patent regraded from a date in the middle of a quarter, worked by hand, through HTTP
(issue 19; docs/distribution.md, "Regrades").

The pool: `grade_weighted`, A = 3, B = 2, C = 1 points, fee 10 %, both contributors withhold
10 %. All patents are CN and in the pool throughout Q1 2025 (90 days: 1 Jan - 31 Mar).
Uni A holds P1 (grade A) and P2 (grade B), Lab B holds P3 (grade A). The licensee's Q1 2025
report: 2,000 units made and sold in China at 0.50 = 1,000.00, invoiced at once.

P1 is regraded A -> C from 15 Feb 2025: 45 days at A (1 Jan - 14 Feb), 45 days at C (15 Feb -
31 Mar).

Weights (grade points x days in force):
  Uni: P1 45 x 3 + 45 x 1 = 135 + 45 = 180; P2 90 x 2 = 180; Uni 360
  Lab: P3 90 x 3 = 270; in all 630
  (before the regrade: P1 90 x 3 = 270, Uni 450, in all 720)

1. A draft recomputed after the regrade: 1,000.00 received on 2025-05-20; the Q2 draft
  (Uni 90,000 x 450 / 720 = 56,250) is recomputed after P1 is regraded.
  fee 10,000; distributable 90,000
  Uni 90,000 x 360 / 630 = 51,428.571..., Lab 90,000 x 270 / 630 = 38,571.428...
  floors 51,428 + 38,571 = 89,999; the leftover cent to the larger remainder (.571): Uni
  -> Uni 51,429, Lab 38,571
  withholding 10 %: 5,142.9 -> 5,143 and 3,857.1 -> 3,857; nets 46,286 and 34,714
  46,286 + 34,714 + 5,143 + 3,857 + 10,000 = 100,000.
  Per patent, Uni's 51,429 over its patents 180 : 180 = 25,714.5 each: floors 25,714 x 2,
  the leftover cent to the tie's lower id, P1 -> P1 25,715, P2 25,714; then P1's 25,715 over
  its segments 135 : 45 = 19,286.25 and 6,428.75: floors 19,286 + 6,428 = 25,714, the leftover
  cent to the larger remainder (.75), the C segment -> A 19,286, C 6,429. Lab: P3 38,571.

2. A run approved before the regrade stays as it was; the next run uses the new grades.
  600.00 received on 2025-05-20; Q2 run (P1 still A): fee 6,000, distributable 54,000,
  Uni 54,000 x 450 / 720 = 33,750, Lab 20,250 (exact); per patent P1 33,750 x 270 / 450 =
  20,250, P2 13,500. Approved. P1 regraded from 15 Feb on 2025-08-01: the Q2 run is listed as
  not rewritten and keeps every figure and patent line.
  400.00 received on 2025-08-15; Q3 run re-apportions Q1's cumulative 1,000.00 with the new
  weights (as in 1: Uni 51,429, Lab 38,571; fee 10,000) and pays the differences:
  adjustments Uni 51,429 - 33,750 = 17,679, Lab 38,571 - 20,250 = 18,321 (sum 36,000 =
  40,000 - the fee's 4,000); withholding 1,767.9 -> 1,768 and 1,832.1 -> 1,832; nets 15,911
  and 16,489; 15,911 + 16,489 + 1,768 + 1,832 + 4,000 = 40,000.
  Per patent, Uni's 17,679 over 180 : 180 = 8,839.5 each -> P1 8,840 (tie, lower id),
  P2 8,839; P1's 8,840 over 135 : 45 = 6,630 and 2,210 exactly. Lab: P3 18,321.
"""

from datetime import UTC, datetime

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.distribution.regrade_kit import API, patent_lines, pool_of_three, regrade


def test_a_regrade_mid_quarter_splits_the_quarter_at_both_grades(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    p1, p2, p3 = pool_of_three(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    draft = kit.close(client, world, "2025-04-01")
    assert kit.by_contributor(draft, world)["contributor"][0] == 56250  # 90,000 x 450 / 720
    answer = regrade(client, world, p1)
    assert answer["approved_runs_not_rewritten"] == []  # the draft is recomputed instead
    assert answer["change"]["source"] == "administrator"
    r = client.post(f"{API}/distribution-runs/{draft['id']}/recompute", headers=world.admin.headers)
    assert r.status_code == 200, r.text
    q2 = r.json()
    assert kit.by_contributor(q2, world) == {
        "contributor": (51429, 0, 5143, 46286),
        "other_contributor": (38571, 0, 3857, 34714),
    }
    assert patent_lines(engine, q2["id"]) == [
        (p1, "A", 45, "135", 19286),
        (p1, "C", 45, "45", 6429),
        (p2, "B", 90, "180", 25714),
        (p3, "A", 90, "270", 38571),
    ]


def test_an_approved_run_stays_and_the_next_run_uses_the_new_grade(
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
    answer = regrade(client, world, p1)
    assert [r["run_id"] for r in answer["approved_runs_not_rewritten"]] == [q2["id"]]
    assert "not rewritten" in answer["applies_from"]
    again = client.get(f"{API}/distribution-runs/{q2['id']}", headers=world.admin.headers).json()
    assert again == approved
    assert patent_lines(engine, q2["id"]) == before
    refused = client.post(
        f"{API}/distribution-runs/{q2['id']}/recompute", headers=world.admin.headers
    )
    assert refused.status_code == 409

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
