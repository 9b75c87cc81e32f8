"""What the evaluation worked examples share: a patent under evaluation with its claim chart,
evaluators of an agency, and the calls of the workflow, all through the real API."""

from typing import Any

from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from tests.pool.conftest import World

API = "/api/v1"
CHART = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% claim chart v1\n"


def ok(response: Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()  # type: ignore[no-any-return]


def set_pool(client: TestClient, world: World, **changes: Any) -> None:
    ok(client.patch(f"{API}/pools/{world.pool_id}", json=changes, headers=world.admin.headers))


def grade_weighted(client: TestClient, world: World, **more: Any) -> None:
    points = {"A": "3", "B": "2", "C": "1", "D": "1"}
    set_pool(
        client,
        world,
        allocation_method="grade_weighted",
        allocation_parameters={"grade_points": points},
        **more,
    )


def patent_under_evaluation(
    client: TestClient, world: World, number: str = "JP6123456B2", owner: str = "contributor"
) -> int:
    """A granted patent of Uni A (2020-01-02 to 2038-05-02), sections 5.1 and 5.2."""
    body = {
        "number": number,
        "title": "Low-latency codec",
        "filing_date": "2018-05-02",
        "grant_date": "2020-01-02",
        "expiry_date": "2038-05-02",
        "standard_sections": ["5.1", "5.2"],
        "owner_organisation_id": world.callers[owner].organisation_id,
    }
    patent = ok(
        client.post(f"{API}/pools/{world.pool_id}/patents", json=body, headers=world.admin.headers)
    )
    ok(client.post(f"{API}/patents/{patent['id']}/evaluation", headers=world.admin.headers))
    return int(patent["id"])


def upload(
    client: TestClient,
    headers: dict[str, str],
    patent_id: int,
    content: bytes,
    *,
    kind: str = "claim_chart",
    name: str = "chart.pdf",
    declared: str = "application/pdf",
    version: str | None = "v1",
) -> Response:
    form = {"kind": kind, "title": f"{kind} {name}", "standard_sections": ""}
    if kind == "claim_chart":
        form["standard_sections"] = "5.1, 5.2"
    if version is not None:
        form["version_label"] = version
    return client.post(
        f"{API}/patents/{patent_id}/evidence",
        data=form,
        files={"file": (name, content, declared)},
        headers=headers,
    )


def evaluators(client: TestClient, world: World, count: int) -> list[dict[str, str | int]]:
    """`count` more evaluators of a second agency, as callers: ids and headers."""
    admin = world.admin.headers
    agency = ok(
        client.post(
            f"{API}/organisations",
            headers=admin,
            json={"name": "Agency F", "kind": "evaluation_agency", "country": "US"},
        )
    )
    found = []
    for n in range(count):
        email = f"evaluator{n}@agency-f.example.org"
        user = ok(
            client.post(
                f"{API}/users",
                headers=admin,
                json={
                    "email": email,
                    "display_name": f"Evaluator {n}",
                    "role": "evaluator",
                    "password": "a long enough password",
                    "organisation_id": agency["id"],
                },
            )
        )
        login = ok(
            client.post(
                f"{API}/auth/login", json={"email": email, "password": "a long enough password"}
            )
        )
        found.append({"id": user["id"], "token": login["token"]})
    return found


def bearer(caller: dict[str, str | int]) -> dict[str, str]:
    return {"Authorization": f"Bearer {caller['token']}"}


def assign(client: TestClient, world: World, patent_id: int, user_id: int, on: str) -> Response:
    return client.post(
        f"{API}/patents/{patent_id}/evaluation/assignments",
        json={"evaluator_user_id": user_id, "assigned_on": on},
        headers=world.admin.headers,
    )


def finding(
    client: TestClient,
    headers: dict[str, str],
    patent_id: int,
    chart_id: int,
    *,
    grade: str | None,
    on: str,
    essential: bool = True,
) -> Response:
    return client.post(
        f"{API}/patents/{patent_id}/evaluation/findings",
        json={
            "sections": {"5.1": essential, "5.2": False},
            "essential": essential,
            "grade": grade,
            "reasoning": f"claim 1 against 5.1: grade {grade}",
            "claim_chart_id": chart_id,
            "recorded_on": on,
        },
        headers=headers,
    )


def actions(engine: Engine) -> list[str]:
    with Session(engine) as db:
        return list(db.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))))
