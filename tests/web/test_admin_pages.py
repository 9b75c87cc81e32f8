"""The administrator's pages over real HTTP: who may open them (administrators; auditors read
without forms; everyone else is told there is nothing here), and what each form does."""

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.models.audit import AuditEvent
from pool.models.patent import Patent
from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.web.conftest import World, csrf_from, post_form, sign_in
from tests.web.tasks_kit import task_id_of, wait_for

READ_PAGES = (
    "/admin",
    "/admin/patents",
    "/admin/runs",
    "/admin/statements",
    "/admin/audit",
    "/admin/agreements",
    "/admin/invoices",
    "/admin/reports",
    "/admin/members",
    "/admin/outbox",
    "/admin/deals",
    "/admin/offers",
)
GOOD_PATENT = {
    "number": "us 10,123,456 b2",
    "title": "Adaptive partitioning",
    "filing_date": "2016-01-04",
    "grant_date": "2018-11-13",
    "expiry_date": "2036-01-04",
    "standard_sections": ["7.3"],
}


def submitted_patent(client: TestClient, world: World, **overrides: Any) -> int:
    """A patent the contributor submitted through the API (waiting in the queue)."""
    r = client.post(
        f"/api/v1/pools/{world.pool_id}/patents",
        json={**GOOD_PATENT, **overrides},
        headers=world.contributor.headers,
    )
    assert r.status_code == 201, r.text
    patent_id: int = r.json()["id"]
    return patent_id


def status_of(engine: Engine, patent_id: int) -> tuple[str, str | None]:
    with Session(engine) as s:
        patent = s.get(Patent, patent_id)
        assert patent is not None
        return patent.status, patent.grade


def money_to_distribute(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> None:
    """The worked example's Q1 report, 1,000.00 paid in May; the clock after Q2's end."""
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)


def test_an_administrator_opens_every_admin_page(client: TestClient, world: World) -> None:
    sign_in(client, "admin@example.org")
    for url in READ_PAGES:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:500])
        assert response.headers["content-type"].startswith("text/html")
    home = client.get("/").text
    for href in ("/admin", "/admin/patents", "/admin/runs", "/admin/audit", "/admin/agreements"):
        assert f'href="{href}"' in home


def test_an_auditor_reads_the_admin_pages_without_any_form(
    client: TestClient, world: World
) -> None:
    submitted_patent(client, world)
    sign_in(client, "auditor@example.org")
    for url in READ_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'method="post" action="/admin' not in response.text, url
    assert "Adaptive partitioning" in client.get("/admin/patents").text
    assert 'href="/admin/patents"' not in client.get("/").text  # evaluation is not theirs


@pytest.mark.parametrize("email", ["sme@example.org", "uni@example.org"])
def test_licensees_and_contributors_are_told_there_is_nothing_here(
    client: TestClient, world: World, email: str
) -> None:
    patent_id = submitted_patent(client, world)
    sign_in(client, email)
    home = client.get("/").text
    assert 'href="/admin' not in home
    for url in (*READ_PAGES, "/admin/runs/1"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 404, url
        assert "Page not found" in response.text
    token = csrf_from(client.get("/"))
    for url, data in (
        (f"/admin/patents/{patent_id}/accept", {"grade": "A", "admitted_on": "2025-06-01"}),
        (f"/admin/patents/{patent_id}/reject", {"reason": "no"}),
        ("/admin/runs", {"pool_id": str(world.pool_id), "period_start": "2025-01-01"}),
        ("/admin/runs/1/approve", {}),
    ):
        response = client.post(url, data={**data, "_csrf_token": token}, follow_redirects=False)
        assert response.status_code == 404, url
    assert status_of(client.app.state.engine, patent_id) == ("submitted", None)


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient, world: World) -> None:
    for url in READ_PAGES:
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"] == "/login?next=" + url


def test_accepting_with_a_grade_admits_the_patent(
    client: TestClient, engine: Engine, world: World
) -> None:
    patent_id = submitted_patent(client, world)
    sign_in(client, "admin@example.org")
    queue = client.get("/admin/patents?status=waiting").text
    assert f'href="/admin/patents/{patent_id}"' in queue
    assert 'action="/admin/patents/' not in queue  # the forms are on the patent's page
    assert (
        f'action="/admin/patents/{patent_id}/accept"'
        in client.get(f"/admin/patents/{patent_id}").text
    )
    response = post_form(
        client,
        f"/admin/patents/{patent_id}/accept",
        {"grade": "B", "admitted_on": "2025-06-01", "notes": "reads on 7.3"},
        page=f"/admin/patents/{patent_id}",
    )
    assert response.status_code == 303
    assert (
        response.headers["location"]
        == f"/admin/patents?status=waiting&pool={world.pool_id}&done=accepted"
    )
    assert status_of(engine, patent_id) == ("accepted", "B")
    after = client.get(response.headers["location"]).text
    assert "The patent was accepted" in after
    assert "Adaptive partitioning" not in after
    with Session(engine) as s:
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.entity_type == "patent")).all()
    assert "patent.evaluation_started" in actions
    assert "patent.accepted" in actions


def test_a_refused_evaluation_says_why_on_the_form_and_changes_nothing(
    client: TestClient, engine: Engine, world: World
) -> None:
    patent_id = submitted_patent(client, world, grant_date=None, number="US 10,999,999 B2")
    sign_in(client, "admin@example.org")
    refused = post_form(
        client,
        f"/admin/patents/{patent_id}/accept",
        {"grade": "A", "admitted_on": "2025-06-01"},
        page="/admin/patents",
    )
    assert refused.status_code == 422
    assert "only granted patents can be admitted" in refused.text
    assert status_of(engine, patent_id) == ("submitted", None)  # not even under evaluation
    no_reason = post_form(
        client, f"/admin/patents/{patent_id}/reject", {"reason": " "}, page="/admin/patents"
    )
    assert no_reason.status_code == 422
    assert 'class="field-error"' in no_reason.text
    bad_grade = post_form(
        client,
        f"/admin/patents/{patent_id}/accept",
        {"grade": "Z", "admitted_on": "2025-06-01"},
        page="/admin/patents",
    )
    assert bad_grade.status_code == 422
    assert status_of(engine, patent_id) == ("submitted", None)
    rejected = post_form(
        client,
        f"/admin/patents/{patent_id}/reject",
        {"reason": "not granted"},
        page="/admin/patents",
    )
    assert rejected.status_code == 303
    assert status_of(engine, patent_id) == ("rejected", None)


def test_an_auditor_cannot_evaluate(client: TestClient, engine: Engine, world: World) -> None:
    patent_id = submitted_patent(client, world)
    sign_in(client, "auditor@example.org")
    response = post_form(
        client,
        f"/admin/patents/{patent_id}/accept",
        {"grade": "A", "admitted_on": "2025-06-01"},
        page="/admin/patents",
    )
    assert response.status_code == 403
    assert "only a pool administrator may do this" in response.text
    assert status_of(engine, patent_id) == ("submitted", None)


def test_close_a_period_preview_the_split_approve_and_issue(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    money_to_distribute(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    runs = client.get("/admin/runs").text
    assert 'hx-indicator="#closing"' in runs
    too_early = post_form(
        client,
        "/admin/runs",
        {"pool_id": str(world.pool_id), "period_start": "2025-07-01"},
        page="/admin/runs",
    )
    assert too_early.status_code == 422  # refused on the form, before any task starts
    assert "has not ended yet" in too_early.text
    closed = post_form(
        client,
        "/admin/runs",
        {"pool_id": str(world.pool_id), "period_start": "2025-04-01"},
        page="/admin/runs",
    )
    run_url = wait_for(client, task_id_of(closed)).headers["hx-redirect"]
    preview = client.get(run_url).text
    assert preview.count('class="split-bar"') == 4  # two contributors, two countries
    assert "Uni A" in preview
    assert "Lab B" in preview
    assert "$450.08" in preview  # Uni A's gross (the worked example)
    assert re.search(r"<svg[^>]*split-svg", preview)
    assert "style=" not in preview  # the CSP allows no inline style
    assert f'action="{run_url}/approve"' in preview  # a GET: to the confirmation
    confirmation = client.get(run_url + "/approve").text
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', confirmation)
    assert fingerprint
    approved = post_form(
        client, run_url + "/approve",
        {"confirm": "approve", "fingerprint": fingerprint.group(1)}, page=run_url,
    )  # fmt: skip
    assert approved.status_code == 303
    page = client.get(approved.headers["location"]).text
    assert "Approved" in page
    assert "The distribution is approved and posted to the ledger." in page
    again = post_form(client, run_url + "/approve", {}, page=run_url)
    assert again.status_code == 409
    assert "only a draft can be approved" in again.text
    issued = post_form(client, run_url + "/statements", {}, page=run_url)
    assert issued.status_code == 303
    listed = client.get(issued.headers["location"]).text
    assert listed.count(f"PP{world.pool_id:04d}-202504-") == 2
    assert "$405.07" in listed  # Uni A's net payable
    assert "$1,000.00" in client.get(f"/admin?pool={world.pool_id}").text  # received this year


def test_the_audit_log_filters_by_entity_type_and_action(client: TestClient, world: World) -> None:
    patent_id = submitted_patent(client, world)
    sign_in(client, "admin@example.org")
    everything = client.get("/admin/audit").text
    assert 'title="pool.created"' in everything or 'title="organisation.created"' in everything
    patents_only = client.get("/admin/audit?entity_type=patent").text
    assert f"Patent {patent_id}" in patents_only
    assert 'title="organisation.created"' not in patents_only
    by_action = client.get("/admin/audit?action=patent.submitted").text
    assert 'title="patent.submitted">Patent submitted</a>' in by_action
    assert 'title="organisation.created"' not in by_action
    too_long = client.get("/admin/audit?entity_type=" + "x" * 101)  # ignored, never an error
    assert too_long.status_code == 200
    assert 'title="organisation.created"' in too_long.text


def test_the_audit_log_filters_by_utc_day(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    clock.advance(days=1)  # the world was built on 2025-06-02; the patent comes on 2025-06-03
    patent_id = submitted_patent(client, world)
    sign_in(client, "admin@example.org")
    page = client.get("/admin/audit?from=2025-06-03&to=2025-06-04")
    assert page.status_code == 200
    assert f"Patent {patent_id}" in page.text
    assert 'title="organisation.created"' not in page.text
    assert 'name="from" type="date" value="2025-06-03"' in page.text
    assert 'name="to" type="date" value="2025-06-04"' in page.text
    earlier = client.get("/admin/audit?to=2025-06-03").text
    assert 'title="organisation.created"' in earlier
    assert f"Patent {patent_id}" not in earlier
    assert "0 events" in client.get("/admin/audit?from=2025-06-04").text
    not_a_day = client.get("/admin/audit?from=2025-13-01")  # ignored, never an error
    assert not_a_day.status_code == 200
    assert f"Patent {patent_id}" in not_a_day.text
    assert client.get("/admin/audit?from=&to=").status_code == 200  # the empty form
