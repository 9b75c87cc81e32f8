"""Who may call the usage-report and invoice routes, for every role (see test_authorization).

Statuses per row, in this order:
    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator
                                                               (SME L)   (Big M)

A licensee reports for and reads only its own agreements, reports and invoices (another
licensee's ids answer 404); the administrator may report on a licensee's behalf; the auditor
reads everything and submits nothing (403); contributors see none of it (404, empty lists).
A refused write changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.models.reporting import UsageReport
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.reporting.kit import Deal, cover, deal, invoice_of, line, submit

API = "/api/v1"
AGREEMENT_REPORTS = f"{API}/agreements/{{agreement_id:int}}/reports"
NIL = f"{AGREEMENT_REPORTS}/nil"
IMPORT = f"{AGREEMENT_REPORTS}/import"
REPORTS = f"{API}/reports"
REPORT = f"{REPORTS}/{{report_id:int}}"
CORRECTION = f"{REPORT}/correction"
INVOICES = f"{API}/invoices"
INVOICE = f"{INVOICES}/{{invoice_id:int}}"

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
# the quarter each role would report (refused roles write nothing, so only these matter)
PERIOD = {"admin": "2025-04-01", "licensee": "2025-07-01", "other_licensee": "2025-07-01"}
MISSING = 987_654_321
TERMS = {
    "terms_version": "v1",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "0.50"}],
}


@dataclass
class Scene:
    client: TestClient
    world: World
    engine: Engine
    deals: dict[str, Deal]
    ids: dict[str, int]

    def current_report(self, owner: str) -> int:
        """The owner's current report of the first quarter (corrections move it on)."""
        with Session(self.engine) as s:
            found = s.exec(
                select(UsageReport.id).where(
                    UsageReport.agreement_id == self.deals[owner].agreement_id,
                    UsageReport.status == "accepted",
                    UsageReport.period_start == date(2025, 1, 1),
                )
            ).one()
        return found or 0


@pytest.fixture
def scene(client: TestClient, world: World, engine: Engine, clock: FakeClock) -> Scene:
    clock.now = datetime(2026, 1, 10, tzinfo=UTC)
    cover(engine, world, "CN", date(2020, 1, 1))
    deals = {
        "sme": deal(engine, world, royalty=TERMS),
        "big": deal(engine, world, royalty=TERMS, caller="other_licensee"),
    }
    ids = {"missing": MISSING}
    for name, d in deals.items():
        receipt = submit(client, world, d, "2025-01-01", [line(d.products["mobile"], 10)])
        ids[f"{name}_agreement"] = d.agreement_id
        ids[f"{name}_report"] = receipt.json()["id"]
        ids[f"{name}_invoice"] = invoice_of(client, world, receipt)["id"]
    return Scene(client, world, engine, deals, ids)


def report_body(scene: Scene, role: str, owner: str) -> Any:
    return {
        "period_start": PERIOD.get(role, "2025-10-01"),
        "lines": [line(scene.deals[owner].products["mobile"], 5)],
    }


def nil_body(_: Scene, role: str, __: str) -> Any:
    return {"period_start": PERIOD.get(role, "2025-10-01")}


def csv_body(scene: Scene, _: str, owner: str) -> Any:
    product = scene.deals[owner].products["mobile"]
    return (
        f"product_id,country_of_manufacture,country_of_sale,units,net_sales_minor\n"
        f"{product},CN,US,5,0\n"
    )


def correction_body(scene: Scene, _: str, owner: str) -> Any:
    return {"lines": [line(scene.deals[owner].products["mobile"], 7)]}


Body = Callable[[Scene, str, str], Any] | None


@dataclass(frozen=True)
class Case:
    method: str
    route: str
    on: str | None  # a named object, or "current:<owner>" for the owner's current report
    statuses: str
    body: Body = None

    @property
    def expect(self) -> dict[str, int]:
        return dict(zip(ROLES, (int(s) for s in self.statuses.split()), strict=True))

    def target(self, scene: Scene) -> int | None:
        if self.on is None:
            return None
        if self.on.startswith("current:"):
            return scene.current_report(self.on.split(":")[1])
        return scene.ids[self.on]

    def owner(self) -> str:
        return "big" if self.on and "big" in self.on else "sme"


def row(method: str, route: str, on: str | None, statuses: str, body: Body = None) -> Any:
    case = Case(method, route, on, statuses, body)
    return pytest.param(case, id=f"{method} {route.removeprefix(API)} {on or ''}".strip())


# fmt: off
POLICY = [
    row("POST", AGREEMENT_REPORTS, "sme_agreement", "401 201 403 404 404 201 404 404", report_body),
    row("POST", AGREEMENT_REPORTS, "big_agreement", "401 201 403 404 404 404 201 404", report_body),
    row("POST", AGREEMENT_REPORTS, "missing", "401 404 404 404 404 404 404 404", report_body),
    row("POST", NIL, "sme_agreement", "401 201 403 404 404 201 404 404", nil_body),
    row("POST", NIL, "big_agreement", "401 201 403 404 404 404 201 404", nil_body),
    row("POST", IMPORT, "sme_agreement", "401 201 403 404 404 201 404 404", csv_body),
    row("POST", IMPORT, "big_agreement", "401 201 403 404 404 404 201 404", csv_body),
    row("GET", REPORTS, None, "401 200 200 200 200 200 200 200"),
    row("GET", REPORT, "sme_report", "401 200 200 404 404 200 404 404"),
    row("GET", REPORT, "big_report", "401 200 200 404 404 404 200 404"),
    row("GET", REPORT, "missing", "401 404 404 404 404 404 404 404"),
    row("POST", CORRECTION, "current:sme", "401 201 403 404 404 201 404 404", correction_body),
    row("POST", CORRECTION, "current:big", "401 201 403 404 404 404 201 404", correction_body),
    row("POST", CORRECTION, "missing", "401 404 404 404 404 404 404 404", correction_body),
    row("GET", INVOICES, None, "401 200 200 200 200 200 200 200"),
    row("GET", INVOICE, "sme_invoice", "401 200 200 404 404 200 404 404"),
    row("GET", INVOICE, "big_invoice", "401 200 200 404 404 404 200 404"),
    row("GET", INVOICE, "missing", "401 404 404 404 404 404 404 404"),
]
# fmt: on

COVERED_ROUTES: set[tuple[str, str]] = {(p.values[0].method, p.values[0].route) for p in POLICY}


def footprint(scene: Scene) -> tuple[int, ...]:
    headers = scene.world.admin.headers
    return tuple(
        scene.client.get(f"{API}/{what}", params={"limit": 1}, headers=headers).json()["total"]
        for what in ("reports", "invoices", "audit")
    )


def call(scene: Scene, case: Case, role: str) -> Response:
    target = case.target(scene)
    url = (
        case.route
        if target is None
        else case.route.split("{")[0] + str(target) + (case.route.split("}")[1])
    )
    headers = {} if role == "anonymous" else dict(scene.world.callers[role].headers)
    body = case.body(scene, role, case.owner()) if case.body else None
    params = {"period_start": PERIOD.get(role, "2025-10-01")} if case.route == IMPORT else None
    if isinstance(body, str):
        headers["Content-Type"] = "text/csv"
        return scene.client.post(url, content=body.encode(), params=params, headers=headers)
    return scene.client.request(case.method, url, json=body, headers=headers)


@pytest.mark.parametrize("case", POLICY)
def test_access(scene: Scene, case: Case) -> None:
    got: dict[str, int] = {}
    for role in ROLES:
        before = footprint(scene)
        response = call(scene, case, role)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
            if case.method != "GET":
                assert footprint(scene) == before, f"a refused write by {role} changed data"
    assert got == case.expect


@pytest.mark.parametrize("route", [REPORTS, INVOICES])
def test_lists_show_only_what_the_caller_may_see(scene: Scene, route: str) -> None:
    kind = "report" if route == REPORTS else "invoice"
    names = {scene.ids[f"{o}_{kind}"]: o for o in ("sme", "big")}
    expected = {
        "admin": {"sme", "big"},
        "auditor": {"sme", "big"},
        "contributor": set(),
        "other_contributor": set(),
        "licensee": {"sme"},
        "other_licensee": {"big"},
    }
    for role, sees in expected.items():
        for query in ({}, {"agreement_id": scene.ids["big_agreement"]}):
            body = scene.client.get(
                route, params=query, headers=scene.world.callers[role].headers
            ).json()
            seen = {names[item["id"]] for item in body["items"]}
            assert seen == (sees if not query else sees & {"big"}), (role, query)
            assert body["total"] == len(body["items"])
