"""What the area authorization tables share (test_authorization_{billing,distributions,
figures,payment_notices}.py): the callers in column order, a row of the table, and the check
every cell makes. A row's `statuses` lists one status per caller, in the order of `ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator
"""

from dataclasses import dataclass
from typing import Any

from httpx import Response
from litestar.testing import TestClient

from tests.pool.conftest import World

API = "/api/v1"
ROLES = (
    "anonymous",
    "admin",
    "auditor",
    "contributor",
    "other_contributor",
    "licensee",
    "other_licensee",
    "evaluator",
)


@dataclass(frozen=True)
class Case:
    """One route called on one named object (`on`), and what each caller gets."""

    method: str
    route: str
    on: str | None
    statuses: str
    body: Any = None  # JSON, or a function of the built objects' ids giving it
    query: str = ""

    def expected(self) -> dict[str, int]:
        return dict(zip(ROLES, map(int, self.statuses.split()), strict=True))

    def label(self) -> str:
        return " ".join(
            part
            for part in (self.method, self.route.removeprefix(API), self.on, self.query)
            if part
        )

    def body_for(self, ids: dict[str, int]) -> Any:
        return self.body(ids) if callable(self.body) else self.body


def call_as(
    client: TestClient, world: World, role: str, method: str, url: str, body: Any = None
) -> Response:
    headers = {} if role == "anonymous" else world.callers[role].headers
    return client.request(method, url, json=body, headers=headers)


def check(response: Response, role: str, expected: int) -> None:
    """The status the table says; a refusal is a problem document, never a page or a 500."""
    assert response.status_code == expected, (role, response.text)
    if expected >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
