"""The calls of a challenge through the real API: file, assign, find, close."""

from typing import Any

from httpx import Response
from litestar.testing import TestClient

from tests.pool.conftest import World
from tests.pool.evaluation.kit import API, ok


def file(
    client: TestClient, headers: dict[str, str], patent_id: int, on: str = "2025-07-25"
) -> Response:
    body = {"ground": "grade", "reasons": "claims 1-3 read on an option only", "filed_on": on}
    return client.post(f"{API}/patents/{patent_id}/challenges", json=body, headers=headers)


def assign(client: TestClient, world: World, challenge_id: int, user_id: int) -> Response:
    return client.post(
        f"{API}/challenges/{challenge_id}/assignment",
        json={"evaluator_user_id": user_id, "assigned_on": "2025-07-26"},
        headers=world.admin.headers,
    )


def find(client: TestClient, headers: dict[str, str], challenge_id: int, **body: Any) -> Response:
    finding = {
        "sections": {}, "essential": True, "grade": "C", "reasoning": "only claim 4 reads",
        "recorded_on": "2025-07-28", **body,
    }  # fmt: skip
    return client.post(f"{API}/challenges/{challenge_id}/finding", json=finding, headers=headers)


def close(client: TestClient, world: World, challenge_id: int, **body: Any) -> dict[str, Any]:
    outcome = {"outcome": "keep", "decided_on": "2025-08-01", "reasons": "as found", **body}
    found: dict[str, Any] = ok(
        client.post(
            f"{API}/challenges/{challenge_id}/outcome", json=outcome, headers=world.admin.headers
        )
    )
    return found
