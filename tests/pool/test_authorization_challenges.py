"""Who may call the challenge routes (issue 19). Statuses per role, in the order of `ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

Uni A's and Lab B's patents are admitted. The licensee holds a licence of the pool; the other
licensee does not. The licensee challenges Uni A's patent (`lic_challenge`, the agency's
evaluator assigned to re-evaluate it) and Lab B challenges it too (`lab_challenge`, nobody
assigned: to it the evaluator is "another evaluator"); each challenger filed a document. A
challenge is read by staff, the challenger, the patent's owner and its re-evaluator; anyone else
is told it does not exist (404), so a licensee never sees another licensee's challenge. Only the
administrator assigns and closes; only the re-evaluator records the finding; the challenger (or
the administrator) files documents. Writes run in the table's order, the administrator last."""

from datetime import date
from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.pool.authorization_table import API, ROLES, Case, check
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.reporting.kit import deal

FILE = f"{API}/patents/{{patent_id:int}}/challenges"
LIST = f"{API}/challenges"
CHALLENGE = f"{API}/challenges/{{challenge_id:int}}"
ASSIGNMENT = f"{CHALLENGE}/assignment"
FINDING = f"{CHALLENGE}/finding"
OUTCOME = f"{CHALLENGE}/outcome"
DOCUMENTS = f"{CHALLENGE}/documents"
CONTENT = f"{API}/challenge-documents/{{document_id:int}}/content"

CHALLENGE_BODY = {
    "ground": "grade",
    "reasons": "claim 1 reads on an option",
    "filed_on": "2025-05-02",
}
FINDING_BODY = {
    "sections": {},
    "essential": True,
    "reasoning": "reads",
    "recorded_on": "2025-05-04",
}
OUTCOME_BODY = {"outcome": "keep", "decided_on": "2025-05-05", "reasons": "as found"}
PDF = b"%PDF-1.7\n% challenge document\n"


def assign_body(ids: dict[str, int]) -> dict[str, Any]:
    return {"evaluator_user_id": ids["eve"], "assigned_on": "2025-05-03"}


# fmt: off
POLICY = [
    Case("POST", FILE, "uni_patent", "401 403 403 403 201 201 403 403", CHALLENGE_BODY),
    Case("POST", FILE, "lab_patent", "401 403 403 201 403 201 403 403", CHALLENGE_BODY),
    Case("POST", FILE, "missing", "401 404 404 404 404 404 404 404", CHALLENGE_BODY),
    Case("GET", LIST, None, "401 200 200 200 200 200 200 200"),
    Case("GET", CHALLENGE, "lic_challenge", "401 200 200 200 404 200 404 200"),
    Case("GET", CHALLENGE, "lab_challenge", "401 200 200 200 200 404 404 404"),
    Case("GET", CHALLENGE, "missing", "401 404 404 404 404 404 404 404"),
    Case("POST", ASSIGNMENT, "lic_challenge", "401 409 403 403 404 403 404 403", assign_body),
    Case("POST", ASSIGNMENT, "lab_challenge", "401 201 403 403 403 404 404 404", assign_body),
    Case("POST", ASSIGNMENT, "missing", "401 404 404 404 404 404 404 404", assign_body),
    Case("POST", FINDING, "lic_challenge", "401 403 403 403 404 403 404 201", FINDING_BODY),
    Case("POST", FINDING, "lab_challenge", "401 403 403 403 403 404 404 404", FINDING_BODY),
    Case("POST", FINDING, "missing", "401 404 404 404 404 404 404 404", FINDING_BODY),
    Case("POST", OUTCOME, "lic_challenge", "401 409 403 403 404 403 404 403", OUTCOME_BODY),
    Case("POST", OUTCOME, "lab_challenge", "401 409 403 403 403 404 404 404", OUTCOME_BODY),
    Case("POST", OUTCOME, "missing", "401 404 404 404 404 404 404 404", OUTCOME_BODY),
    Case("POST", DOCUMENTS, "lic_challenge", "401 201 403 403 404 201 404 403", "multipart"),
    Case("POST", DOCUMENTS, "lab_challenge", "401 201 403 403 201 404 404 404", "multipart"),
    Case("POST", DOCUMENTS, "missing", "401 404 404 404 404 404 404 404", "multipart"),
    Case("GET", DOCUMENTS, "lic_challenge", "401 200 200 200 404 200 404 200"),
    Case("GET", DOCUMENTS, "lab_challenge", "401 200 200 200 200 404 404 404"),
    Case("GET", DOCUMENTS, "missing", "401 404 404 404 404 404 404 404"),
    Case("GET", CONTENT, "lic_document", "401 200 200 200 404 200 404 200"),
    Case("GET", CONTENT, "lab_document", "401 200 200 200 200 404 404 404"),
    Case("GET", CONTENT, "missing", "401 404 404 404 404 404 404 404"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(case.method, case.route) for case in POLICY}


def ok(response: Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


def file_document(
    client: TestClient, headers: dict[str, str], challenge_id: int, content: bytes
) -> Response:
    return client.post(
        f"{API}/challenges/{challenge_id}/documents",
        data={"title": "Prior art"},
        files={"file": ("art.pdf", content, "application/pdf")},
        headers=headers,
    )


def build(client: TestClient, engine: Engine, world: World) -> dict[str, int]:
    admin = world.admin.headers
    ids = {"missing": 987_654_321, "eve": world.evaluator.user_id}
    ids["uni_patent"] = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    ids["lab_patent"] = kit.patent(engine, world, "other_contributor", "CN", date(2020, 1, 1))
    deal(engine, world, royalty=kit.PER_UNIT)
    url = f"{API}/patents/{ids['uni_patent']}/challenges"
    for name, who in (("lic", world.licensee), ("lab", world.other_contributor)):
        ids[f"{name}_challenge"] = ok(client.post(url, json=CHALLENGE_BODY, headers=who.headers))[
            "id"
        ]
        document = file_document(client, who.headers, ids[f"{name}_challenge"], PDF + b"x")
        ids[f"{name}_document"] = ok(document)["id"]
    ok(client.post(f"{API}/challenges/{ids['lic_challenge']}/assignment", json=assign_body(ids),
                   headers=admin))  # fmt: skip
    return ids


def call(client: TestClient, world: World, case: Case, ids: dict[str, int], role: str) -> Response:
    url = case.route
    for param in ("patent_id", "challenge_id", "document_id"):
        url = url.replace(f"{{{param}:int}}", str(ids.get(case.on or "", 0)))
    headers = {} if role == "anonymous" else world.callers[role].headers
    if case.body == "multipart":
        return file_document(client, headers, ids.get(case.on or "", 0), PDF + role.encode())
    return client.request(case.method, url, json=case.body_for(ids), headers=headers)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label()) for c in POLICY])
def test_challenge_access(client: TestClient, engine: Engine, world: World, case: Case) -> None:
    ids = build(client, engine, world)
    for role in sorted(ROLES, key=lambda r: r == "admin"):
        check(call(client, world, case, ids, role), role, case.expected()[role])
