"""Regrading a patent from a date (issue 19): the rules on the date and the grade, the history
it leaves, `patent.grade` as the latest change, and the audit trail. Refusals are problem
documents naming the field, and write nothing."""

from datetime import UTC, date, datetime
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import col, select

from pool.db import session_scope
from pool.models.audit import AuditEvent
from pool.models.grading import GradeSource, PatentRegrade
from pool.models.patent import Patent, Tier
from pool.services import audit
from pool.services.patents import grades
from tests.pool.conftest import World, admin_principal
from tests.pool.test_authorization_grades import accepted

API = "/api/v1"


def regrade(client: TestClient, world: World, patent_id: int, **body: Any) -> Any:
    return client.post(
        f"{API}/patents/{patent_id}/grades",
        json={"reason": "re-evaluated", **body},
        headers=world.admin.headers,
    )


def history(client: TestClient, world: World, patent_id: int) -> list[tuple[str, Any, Any]]:
    r = client.get(f"{API}/patents/{patent_id}/grades", headers=world.contributor.headers)
    assert r.status_code == 200, r.text
    return [(g["effective_on"], g["grade"], g["tier"]) for g in r.json()["items"]]


def refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_the_history_is_by_date_and_the_patent_shows_the_latest(
    client: TestClient, world: World
) -> None:
    pid = accepted(client, world, "contributor", "US10123456B2")  # tier 1 from 2024-06-01
    assert regrade(client, world, pid, tier="3", effective_on="2025-06-01").status_code == 201
    late = regrade(client, world, pid, tier="2", grade="B", effective_on="2025-03-01")
    assert late.status_code == 201, late.text
    assert history(client, world, pid) == [
        ("2024-06-01", None, "1"),
        ("2025-03-01", "B", "2"),
        ("2025-06-01", None, "3"),
    ]
    patent = client.get(f"{API}/patents/{pid}", headers=world.admin.headers).json()
    assert (patent["grade"], patent["tier"]) == (None, "3")  # the latest by date
    # a field left out keeps its value on that date: the grade B of 2025-03-01
    assert regrade(client, world, pid, tier="1", effective_on="2025-04-01").status_code == 201
    assert history(client, world, pid)[2] == ("2025-04-01", "B", "1")


def test_bad_regrades_are_refused_and_write_nothing(
    client: TestClient, engine: Engine, world: World
) -> None:
    pid = accepted(client, world, "contributor", "US10123456B2")
    refused(regrade(client, world, pid, tier="2", effective_on="2024-05-31"), "effective_on")
    refused(regrade(client, world, pid, effective_on="2025-01-01"), "grade")
    refused(regrade(client, world, pid, tier="9", effective_on="2025-01-01"), "tier")
    refused(
        client.post(
            f"{API}/patents/{pid}/grades",
            json={"tier": "2", "effective_on": "2025-01-01"},
            headers=world.admin.headers,
        ),
        "reason",
    )
    r = client.post(
        f"{API}/patents/{pid}/end",
        json={"status": "lapsed", "on": "2025-02-01"},
        headers=world.admin.headers,
    )
    assert r.status_code == 200, r.text
    refused(regrade(client, world, pid, tier="2", effective_on="2025-02-01"), "effective_on")
    assert history(client, world, pid) == [("2024-06-01", None, "1")]
    ok = regrade(client, world, pid, tier="2", effective_on="2025-01-31")  # while in the pool
    assert ok.status_code == 201, ok.text

    body = {"number": "US10999999B2", "title": "Codec", "filing_date": "2019-01-15"}
    r = client.post(
        f"{API}/pools/{world.pool_id}/patents", json=body, headers=world.contributor.headers
    )
    refused(
        regrade(client, world, r.json()["id"], tier="2", effective_on="2025-01-01"), "patent_id"
    )


def test_a_regrade_is_audited_with_who_why_and_from_when(
    client: TestClient, engine: Engine, world: World
) -> None:
    pid = accepted(client, world, "contributor", "US10123456B2")
    r = regrade(client, world, pid, tier="2", effective_on="2025-01-01")
    change = r.json()["change"]
    assert (change["source"], change["reason"]) == ("administrator", "re-evaluated")
    assert change["recorded_by"]
    with session_scope(engine) as s:
        events = s.exec(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "patent", AuditEvent.entity_id == str(pid))
            .order_by(col(AuditEvent.id))
        ).all()
        found = [(e.action, e.actor_user_id, e.after) for e in events]
    assert [a for a, _, _ in found][-2:] == [
        "patent.graded.admission",
        "patent.graded.administrator",
    ]
    _, actor, after = found[-1]
    assert actor == world.admin.user_id
    assert after is not None
    assert after["tier"] == "2"
    assert after["grade_change"]["effective_on"] == "2025-01-01"
    assert after["grade_change"]["reason"] == "re-evaluated"


def test_a_challenge_outcome_records_its_source_and_reference(
    client: TestClient, engine: Engine, world: World
) -> None:
    pid = accepted(client, world, "contributor", "US10123456B2")
    with session_scope(engine) as s:
        patent = s.get(Patent, pid)
        assert patent is not None
        result = grades.change(
            s,
            patent,
            data=PatentRegrade(tier=Tier.THREE, effective_on=date(2025, 3, 1), reason="upheld"),
            actor=audit.Actor.of(admin_principal(world.admin)),
            now=datetime(2025, 4, 1, tzinfo=UTC),
            source=GradeSource.CHALLENGE,
            reference="challenge 7",
        )
        assert result.change.source == GradeSource.CHALLENGE
    r = client.get(f"{API}/patents/{pid}/grades", headers=world.auditor.headers)
    last = r.json()["items"][-1]
    assert (last["source"], last["reference"], last["tier"]) == ("challenge", "challenge 7", "3")
