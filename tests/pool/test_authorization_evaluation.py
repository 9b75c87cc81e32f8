"""Who may call the evaluation routes (issue 19). Statuses per role, in the order of `ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Uni A's patent is under evaluation with the evaluator assigned; Lab B's is under evaluation
with nobody assigned; each has a claim chart its owner filed. A patent's evidence and
evaluation are read by staff, the owner's users and the assigned evaluators only: another
contributor, the licensees and an unassigned evaluator are told it does not exist (404). Only
the administrator assigns and decides; only an assigned evaluator records a finding; the owner
(or the administrator) files evidence. Writes run in the table's order, the administrator
last, so no earlier caller finds the administrator's change."""

from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient

from tests.pool.authorization_table import API, ROLES, Case, check
from tests.pool.conftest import World

PATENT = f"{API}/patents/{{patent_id:int}}"
EVIDENCE = f"{PATENT}/evidence"
DOCUMENT = f"{API}/evidence/{{document_id:int}}"
CONTENT = f"{DOCUMENT}/content"
EVALUATION = f"{PATENT}/evaluation"
ASSIGNMENTS = f"{EVALUATION}/assignments"
FINDINGS = f"{EVALUATION}/findings"
DECISION = f"{EVALUATION}/decision"
QUEUE = f"{API}/evaluations"


def second_evaluator(ids: dict[str, int]) -> dict[str, Any]:
    return {"evaluator_user_id": ids["eve2"], "assigned_on": "2025-04-02"}


def finding_on_uni(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "sections": {"5.1": True, "5.2": False}, "essential": True, "reasoning": "claim 1 reads",
        "claim_chart_id": ids["uni_chart"], "recorded_on": "2025-04-05",
    }  # fmt: skip


DECISION_BODY = {"essential": True, "decided_on": "2025-04-06", "reasons": "agree with one"}

# fmt: off
POLICY = [
    Case("GET", EVIDENCE, "uni_patent", "401 200 200 200 404 404 404 200"),
    Case("GET", EVIDENCE, "lab_patent", "401 200 200 404 200 404 404 404"),
    Case("GET", EVIDENCE, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", EVIDENCE, "uni_patent", "401 201 403 201 404 404 404 403", "multipart"),
    Case("POST", EVIDENCE, "lab_patent", "401 201 403 404 201 404 404 404", "multipart"),
    Case("POST", EVIDENCE, "missing", "401 404 404 404 404 404 404 404", "multipart"),
    Case("GET", DOCUMENT, "uni_chart", "401 200 200 200 404 404 404 200"),
    Case("GET", DOCUMENT, "lab_chart", "401 200 200 404 200 404 404 404"),
    Case("GET", DOCUMENT, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", CONTENT, "uni_chart", "401 200 200 200 404 404 404 200"),
    Case("GET", CONTENT, "lab_chart", "401 200 200 404 200 404 404 404"),
    Case("GET", CONTENT, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", EVALUATION, "uni_patent", "401 200 200 200 404 404 404 200"),
    Case("GET", EVALUATION, "lab_patent", "401 200 200 404 200 404 404 404"),
    Case("GET", EVALUATION, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", ASSIGNMENTS, "uni_patent", "401 201 403 403 404 404 404 403", second_evaluator),
    Case("POST", ASSIGNMENTS, "lab_patent", "401 201 403 404 403 404 404 404", second_evaluator),
    Case("POST", ASSIGNMENTS, "missing", "401 404 404 404 404 404 404 404", second_evaluator),
    Case("POST", FINDINGS, "uni_patent", "401 403 403 403 404 404 404 201", finding_on_uni),
    Case("POST", FINDINGS, "lab_patent", "401 403 403 404 403 404 404 404", finding_on_uni),
    Case("POST", FINDINGS, "missing", "401 404 404 404 404 404 404 404", finding_on_uni),
    Case("POST", DECISION, "uni_patent", "401 409 403 403 404 404 404 403", DECISION_BODY),
    Case("POST", DECISION, "lab_patent", "401 409 403 404 403 404 404 404", DECISION_BODY),
    Case("POST", DECISION, "missing", "401 404 404 404 404 404 404 404", DECISION_BODY),
    Case("GET", QUEUE, None, "401 200 200 403 403 403 403 200"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}
CHART = b"%PDF-1.7\n% claim chart\n"


def ok(response: Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


def file_evidence(
    client: TestClient, headers: dict[str, str], patent_id: int, content: bytes
) -> Response:
    return client.post(
        f"{API}/patents/{patent_id}/evidence",
        data={"kind": "claim_chart", "title": "Chart", "version_label": "v1",
              "standard_sections": "5.1, 5.2"},
        files={"file": ("chart.pdf", content, "application/pdf")},
        headers=headers,
    )  # fmt: skip


def patent_under_evaluation(client: TestClient, world: World, owner: str, number: str) -> int:
    body = {
        "number": number, "title": "Codec", "filing_date": "2018-05-02",
        "grant_date": "2020-01-02", "standard_sections": ["5.1", "5.2"],
        "owner_organisation_id": world.callers[owner].organisation_id,
    }  # fmt: skip
    patent = ok(client.post(f"{API}/pools/{world.pool_id}/patents", json=body,
                            headers=world.admin.headers))  # fmt: skip
    ok(client.post(f"{API}/patents/{patent['id']}/evaluation", headers=world.admin.headers))
    return int(patent["id"])


def build(client: TestClient, world: World) -> dict[str, int]:
    admin = world.admin.headers
    ids = {"missing": 987_654_321}
    ids["uni_patent"] = patent_under_evaluation(client, world, "contributor", "JP6123456B2")
    ids["lab_patent"] = patent_under_evaluation(client, world, "other_contributor", "JP6123457B2")
    for org, who in (("uni", world.contributor), ("lab", world.other_contributor)):
        chart = file_evidence(client, who.headers, ids[f"{org}_patent"], CHART + org.encode())
        ids[f"{org}_chart"] = ok(chart)["id"]
    agency = ok(client.post(f"{API}/organisations", headers=admin, json={
        "name": "Agency F", "kind": "evaluation_agency", "country": "US"}))  # fmt: skip
    eve2 = ok(client.post(f"{API}/users", headers=admin, json={
        "email": "eve2@example.org", "display_name": "Eve Two", "role": "evaluator",
        "password": "a long enough password", "organisation_id": agency["id"]}))  # fmt: skip
    ids["eve2"] = eve2["id"]
    assign = {"evaluator_user_id": world.evaluator.user_id, "assigned_on": "2025-04-01"}
    ok(client.post(f"{API}/patents/{ids['uni_patent']}/evaluation/assignments",
                   json=assign, headers=admin))  # fmt: skip
    return ids


def call(client: TestClient, world: World, case: Case, ids: dict[str, int], role: str) -> Response:
    name = {"patent_id", "document_id"}
    url = case.route
    for param in name:
        url = url.replace(f"{{{param}:int}}", str(ids.get(case.on or "", 0)))
    headers = {} if role == "anonymous" else world.callers[role].headers
    if case.body == "multipart":
        return file_evidence(client, headers, ids.get(case.on or "", 0), CHART + role.encode())
    return client.request(case.method, url, json=case.body_for(ids), headers=headers)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_evaluation_access(client: TestClient, world: World, case: Case) -> None:
    ids = build(client, world)
    for role in sorted(ROLES, key=lambda r: r == "admin"):
        check(call(client, world, case, ids, role), role, case.expected()[role])
