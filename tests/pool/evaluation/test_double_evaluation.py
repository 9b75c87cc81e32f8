"""Worked examples of issue 19 through the real API: two evaluators agree and the patent is
admitted with the agreed grade; two disagree, the evaluation awaits a decision, and the
administrator (or a third evaluator) decides; an owner's staff member is refused as evaluator."""

from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.conftest import World
from tests.pool.evaluation.kit import (
    API,
    CHART,
    actions,
    assign,
    bearer,
    evaluators,
    finding,
    grade_weighted,
    ok,
    patent_under_evaluation,
    problem,
    upload,
)


def evaluation(client: TestClient, world: World, patent_id: int) -> Any:
    return ok(client.get(f"{API}/patents/{patent_id}/evaluation", headers=world.admin.headers))


def test_two_evaluators_agree_and_the_patent_is_admitted(
    client: TestClient, world: World, engine: Engine
) -> None:
    """Grade B from both: admitted on the later finding's date (2025-05-25), counting from then
    until expiry, exactly as the administrator's accept makes the interval."""
    grade_weighted(client, world, requires_independent_evaluation=True)
    patent = patent_under_evaluation(client, world)
    chart = ok(upload(client, world.contributor.headers, patent, CHART))
    direct = client.post(
        f"{API}/patents/{patent}/accept",
        headers=world.admin.headers,
        json={"grade": "B", "admitted_on": "2025-05-01"},
    )
    assert "requires independent evaluation" in problem(direct, 409)["detail"]
    (second,) = evaluators(client, world, 1)
    eve, eve2 = world.evaluator.headers, bearer(second)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    ok(assign(client, world, patent, int(second["id"]), "2025-05-02"))
    assert evaluation(client, world, patent)["state"] == "awaiting_findings"

    first = ok(finding(client, eve, patent, chart["id"], grade="B", on="2025-05-20"))
    assert first["sections"] == {"5.1": True, "5.2": False}
    assert ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))["status"] == (
        "under_evaluation"
    )
    ok(finding(client, eve2, patent, chart["id"], grade="B", on="2025-05-25"))

    read = ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))
    assert (read["status"], read["grade"], read["admitted_on"]) == ("accepted", "B", "2025-05-25")
    intervals = ok(client.get(f"{API}/patents/{patent}/inclusions", headers=world.admin.headers))
    assert [(i["start_on"], i["end_on"]) for i in intervals["items"]] == [
        ("2025-05-25", "2038-05-02")
    ]
    shown = evaluation(client, world, patent)
    assert shown["state"] == "decided"
    assert [(f["grade"], f["recorded_on"]) for f in shown["findings"]] == [
        ("B", "2025-05-20"),
        ("B", "2025-05-25"),
    ]
    assert [a["assigned_on"] for a in shown["assignments"]] == ["2025-05-01", "2025-05-02"]
    # the record stays readable by the owner and the evaluators after the decision
    assert ok(client.get(f"{API}/patents/{patent}/evaluation", headers=eve))["state"] == "decided"
    assert (
        ok(client.get(f"{API}/patents/{patent}/evidence", headers=world.contributor.headers))[
            "total"
        ]
        == 1
    )
    trail = actions(engine)
    assert "patent.evidence_filed" in trail
    assert trail[-6:] == [
        "patent.evaluator_assigned",
        "patent.evaluator_assigned",
        "patent.finding_recorded",
        "patent.finding_recorded",
        "patent.accepted",
        "patent.graded.admission",  # the grade history starts at admission
    ]


def test_two_evaluators_disagree_and_the_administrator_decides(
    client: TestClient, world: World, engine: Engine
) -> None:
    """Grade A against grade C: the evaluation awaits a decision, shown with both findings;
    a direct accept is refused (evaluators are assigned); the administrator admits at grade B
    on 2025-06-01 with reasons."""
    grade_weighted(client, world)
    patent = patent_under_evaluation(client, world)
    chart = ok(upload(client, world.contributor.headers, patent, CHART))
    (second,) = evaluators(client, world, 1)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    ok(assign(client, world, patent, int(second["id"]), "2025-05-01"))
    ok(finding(client, world.evaluator.headers, patent, chart["id"], grade="A", on="2025-05-20"))
    ok(finding(client, bearer(second), patent, chart["id"], grade="C", on="2025-05-22"))

    shown = evaluation(client, world, patent)
    assert shown["state"] == "awaiting_decision"
    assert shown["patent"]["status"] == "under_evaluation"
    assert [f["grade"] for f in shown["findings"]] == ["A", "C"]
    assert "patent.evaluation_disagreed" in actions(engine)
    direct = client.post(
        f"{API}/patents/{patent}/accept",
        headers=world.admin.headers,
        json={"grade": "B", "admitted_on": "2025-06-01"},
    )
    assert "evaluators are assigned" in problem(direct, 409)["detail"]

    decided = ok(
        client.post(
            f"{API}/patents/{patent}/evaluation/decision",
            headers=world.admin.headers,
            json={
                "essential": True,
                "grade": "B",
                "decided_on": "2025-06-01",
                "reasons": "claim 1 reads on 5.1; the dependent claims support B",
            },
        )
    )
    assert decided["state"] == "decided"
    read = decided["patent"]
    assert (read["status"], read["grade"], read["admitted_on"]) == ("accepted", "B", "2025-06-01")
    assert read["evaluation_notes"].startswith("claim 1 reads on 5.1")
    intervals = ok(client.get(f"{API}/patents/{patent}/inclusions", headers=world.admin.headers))
    assert [(i["start_on"], i["end_on"]) for i in intervals["items"]] == [
        ("2025-06-01", "2038-05-02")
    ]
    assert actions(engine)[-2:] == ["patent.evaluation_decided", "patent.graded.admission"]
    again = client.post(
        f"{API}/patents/{patent}/evaluation/decision",
        headers=world.admin.headers,
        json={"essential": False, "decided_on": "2025-06-01", "reasons": "changed my mind"},
    )
    problem(again, 409)


def test_a_third_evaluator_breaks_a_disagreement(client: TestClient, world: World) -> None:
    """Essential against not essential; a third is refused before the disagreement, assigned
    after it, and their finding (not essential) rejects the patent."""
    patent = patent_under_evaluation(client, world)
    chart = ok(upload(client, world.contributor.headers, patent, CHART))
    second, third = evaluators(client, world, 2)
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    ok(assign(client, world, patent, int(second["id"]), "2025-05-01"))
    early = assign(client, world, patent, int(third["id"]), "2025-05-01")
    assert "a third only breaks a disagreement" in problem(early, 409)["detail"]
    same = assign(client, world, patent, world.evaluator.user_id, "2025-05-02")
    assert "already assigned" in problem(same, 409)["detail"]
    ok(finding(client, world.evaluator.headers, patent, chart["id"], grade=None, on="2025-05-20"))
    twice = finding(
        client, world.evaluator.headers, patent, chart["id"], grade=None, on="2025-05-21"
    )
    problem(twice, 409)
    ok(
        finding(
            client,
            bearer(second),
            patent,
            chart["id"],
            grade=None,
            on="2025-05-21",
            essential=False,
        )
    )
    tie = ok(assign(client, world, patent, int(third["id"]), "2025-05-25"))
    assert tie["tie_breaker"] is True
    ok(
        finding(
            client, bearer(third), patent, chart["id"], grade=None, on="2025-05-28", essential=False
        )
    )
    read = ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))
    assert (read["status"], read["essential"]) == ("rejected", False)


def test_one_evaluator_decides_alone(client: TestClient, world: World) -> None:
    patent = patent_under_evaluation(client, world)
    chart = ok(upload(client, world.contributor.headers, patent, CHART))
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    ok(finding(client, world.evaluator.headers, patent, chart["id"], grade=None, on="2025-05-20"))
    read = ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))
    assert (read["status"], read["admitted_on"]) == ("accepted", "2025-05-20")


def test_an_owners_staff_member_is_refused_as_evaluator(client: TestClient, world: World) -> None:
    patent = patent_under_evaluation(client, world)
    staff = assign(client, world, patent, world.contributor.user_id, "2025-05-01")
    body = problem(staff, 422)
    assert body["errors"] == [
        {
            "field": "evaluator_user_id",
            "message": "this user is the owner's own staff: an evaluator is independent",
        }
    ]
    licensee = problem(assign(client, world, patent, world.licensee.user_id, "2025-05-01"), 422)
    assert licensee["errors"][0]["message"] == "this user does not have the evaluator role"
    shown = ok(client.get(f"{API}/patents/{patent}/evaluation", headers=world.admin.headers))
    assert (shown["state"], shown["assignments"]) == ("unassigned", [])


def test_a_finding_names_one_of_the_patents_claim_charts_and_every_section(
    client: TestClient, world: World
) -> None:
    patent = patent_under_evaluation(client, world)
    text = ok(
        upload(
            client,
            world.contributor.headers,
            patent,
            b"Granted claims\n",
            kind="granted_text",
            name="claims.txt",
            version=None,
        )
    )
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-05-01"))
    wrong = finding(
        client, world.evaluator.headers, patent, text["id"], grade=None, on="2025-05-20"
    )
    assert problem(wrong, 422)["errors"][0]["field"] == "claim_chart_id"
    chart = ok(upload(client, world.contributor.headers, patent, CHART))
    partial = client.post(
        f"{API}/patents/{patent}/evaluation/findings",
        headers=world.evaluator.headers,
        json={
            "sections": {"5.1": True},
            "essential": True,
            "reasoning": "r",
            "claim_chart_id": chart["id"],
            "recorded_on": "2025-05-20",
        },
    )
    assert problem(partial, 422)["errors"][0]["field"] == "sections"
    shown = ok(client.get(f"{API}/patents/{patent}/evaluation", headers=world.admin.headers))
    assert shown["findings"] == []


def test_an_evaluators_queue_holds_only_their_patents(client: TestClient, world: World) -> None:
    mine = patent_under_evaluation(client, world)
    theirs = patent_under_evaluation(client, world, number="JP6123457B2")
    (second,) = evaluators(client, world, 1)
    ok(assign(client, world, mine, world.evaluator.user_id, "2025-05-01"))
    ok(assign(client, world, mine, int(second["id"]), "2025-05-01"))
    ok(assign(client, world, theirs, int(second["id"]), "2025-05-01"))

    def queue(headers: dict[str, str]) -> list[int]:
        page = ok(client.get(f"{API}/evaluations", headers=headers))
        assert page["total"] == len(page["items"])
        return [p["id"] for p in page["items"]]

    assert queue(world.evaluator.headers) == [mine]
    assert queue(bearer(second)) == [mine, theirs]
    assert queue(world.admin.headers) == [mine, theirs]  # once each, two evaluators or one
    assert client.get(f"{API}/patents/{theirs}", headers=world.evaluator.headers).status_code == 404
    assert client.get(f"{API}/patents/{mine}", headers=world.evaluator.headers).status_code == 404
