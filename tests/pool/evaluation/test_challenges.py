"""Challenges through the real API (issue 19, docs/evaluation.md "Challenges"): who may file
one, the independent re-evaluator (never the evaluator of the original finding, never the
owner's staff), the challenge's documents (wrong type, oversize and duplicate refused, nothing
stored), and the outcomes keep and end."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution.kit import PER_UNIT
from tests.pool.evaluation import challenge_kit as challenge
from tests.pool.evaluation.kit import (
    API,
    CHART,
    assign,
    bearer,
    evaluators,
    finding,
    ok,
    patent_under_evaluation,
    problem,
    upload,
)
from tests.pool.reporting.kit import deal

LIMIT = 64 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    """A small upload limit, so an oversized file is cheap to send."""
    base = Settings(
        data_dir=tmp_path,
        database_url=engine.url.render_as_string(hide_password=False),
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        login_max_failures=5,
    )
    return replace(base, max_upload_bytes=LIMIT)


def admitted_by_the_evaluator(client: TestClient, world: World, clock: FakeClock) -> int:
    """Uni A's patent, admitted on the agency evaluator's finding (grade-less pool); then the
    clock moves to August 2025, when the challenges are filed."""
    patent = patent_under_evaluation(client, world)
    chart = ok(upload(client, world.contributor.headers, patent, CHART))
    ok(assign(client, world, patent, world.evaluator.user_id, "2025-04-01"))
    ok(finding(client, world.evaluator.headers, patent, chart["id"], grade="A", on="2025-04-03"))
    clock.now = datetime(2025, 8, 10, 9, tzinfo=UTC)
    return patent


def challenges_seen(client: TestClient, world: World) -> list[Any]:
    page = ok(client.get(f"{API}/challenges", headers=world.admin.headers))
    return list(page["items"])


def test_the_evaluator_of_the_original_finding_and_the_owners_staff_are_refused(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    filed = ok(challenge.file(client, world.licensee.headers, patent))
    for user_id in (world.evaluator.user_id, world.contributor.user_id):
        refused = problem(challenge.assign(client, world, filed["id"], user_id), 422)
        assert "evaluator_user_id" in str(refused)
    other = evaluators(client, world, 1)[0]
    assigned = ok(challenge.assign(client, world, filed["id"], int(other["id"])))
    assert (assigned["state"], assigned["reevaluator_user_id"]) == ("assigned", other["id"])
    problem(challenge.assign(client, world, filed["id"], int(other["id"])), 409)


def test_the_re_evaluator_reads_the_patents_claim_charts_once_assigned(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """The re-evaluator reads what the first finding read (the evidence list, a download, the
    evaluation record) from the assignment on, and cannot record a first-evaluation finding."""
    patent = admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    filed = ok(challenge.file(client, world.licensee.headers, patent))
    other = evaluators(client, world, 1)[0]
    evidence = f"{API}/patents/{patent}/evidence"
    problem(client.get(evidence, headers=bearer(other)), 404)  # not assigned yet
    ok(challenge.assign(client, world, filed["id"], int(other["id"])))
    charts = ok(client.get(evidence, headers=bearer(other)))["items"]
    assert [c["kind"] for c in charts] == ["claim_chart"]
    download = client.get(f"{API}/evidence/{charts[0]['id']}/content", headers=bearer(other))
    assert download.status_code == 200, download.text
    assert download.content.startswith(b"%PDF-")
    record = ok(client.get(f"{API}/patents/{patent}/evaluation", headers=bearer(other)))
    assert len(record["findings"]) == 1
    refused = finding(client, bearer(other), patent, charts[0]["id"], grade="C", on="2025-08-10")
    problem(refused, 403)


def test_only_a_licensed_licensee_or_another_member_challenges(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)  # the licensee holds a licence; the other does not
    for caller in (world.other_licensee, world.contributor, world.evaluator, world.auditor):
        problem(challenge.file(client, caller.headers, patent), 403)
    assert challenges_seen(client, world) == []
    ok(challenge.file(client, world.licensee.headers, patent))
    ok(challenge.file(client, world.other_contributor.headers, patent))
    assert len(challenges_seen(client, world)) == 2
    # a licensee never sees another's challenge; the owner sees both
    mine = ok(client.get(f"{API}/challenges", headers=world.licensee.headers))
    assert [c["challenger_organisation_id"] for c in mine["items"]] == [
        world.licensee.organisation_id
    ]
    assert ok(client.get(f"{API}/challenges", headers=world.other_licensee.headers))["items"] == []
    assert len(ok(client.get(f"{API}/challenges", headers=world.contributor.headers))["items"]) == 2


def test_a_patent_not_admitted_is_not_challenged(
    client: TestClient, engine: Engine, world: World
) -> None:
    patent = patent_under_evaluation(client, world)
    deal(engine, world, royalty=PER_UNIT)
    problem(challenge.file(client, world.licensee.headers, patent), 409)
    assert challenges_seen(client, world) == []


def document(client: TestClient, headers: dict[str, str], challenge_id: int, content: bytes) -> Any:
    return client.post(
        f"{API}/challenges/{challenge_id}/documents",
        data={"title": "Prior art"},
        files={"file": ("art.pdf", content, "application/pdf")},
        headers=headers,
    )


def test_documents_wrong_type_oversize_and_duplicate_are_refused_and_nothing_stored(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    filed = ok(challenge.file(client, world.licensee.headers, patent))
    headers = world.licensee.headers
    stored = ok(document(client, headers, filed["id"], PNG))
    assert (stored["content_type"], stored["filename"]) == ("image/png", "art.png")
    problem(document(client, headers, filed["id"], b"MZ\x90\x00\x03"), 422)
    problem(document(client, headers, filed["id"], b"%PDF-1.7\n" + b"x" * LIMIT), 413)
    problem(document(client, headers, filed["id"], PNG), 409)
    listed = ok(client.get(f"{API}/challenges/{filed['id']}/documents", headers=headers))
    assert [d["id"] for d in listed["items"]] == [stored["id"]]
    content = client.get(f"{API}/challenge-documents/{stored['id']}/content", headers=headers)
    assert content.content == PNG
    assert content.headers["x-content-type-options"] == "nosniff"
    # the owner reads it, another licensee is told it does not exist
    owner = world.contributor.headers
    assert client.get(f"{API}/challenge-documents/{stored['id']}/content", headers=owner).content
    hidden = f"{API}/challenge-documents/{stored['id']}/content"
    problem(client.get(hidden, headers=world.other_licensee.headers), 404)


def test_keep_changes_nothing_and_end_invalidates_from_the_date(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    other = evaluators(client, world, 1)[0]
    other_headers = {"Authorization": f"Bearer {other['token']}"}
    kept = ok(challenge.file(client, world.licensee.headers, patent))
    problem(client.post(f"{API}/challenges/{kept['id']}/outcome", headers=world.admin.headers,
                        json={"outcome": "keep", "decided_on": "2025-08-01", "reasons": "x"}),
            409)  # fmt: skip
    ok(challenge.assign(client, world, kept["id"], int(other["id"])))
    problem(challenge.find(client, world.evaluator.headers, kept["id"]), 404)
    sections = {"5.1": True, "5.2": False}
    ok(challenge.find(client, other_headers, kept["id"], grade="A", sections=sections))
    closed = challenge.close(client, world, kept["id"])
    assert (closed["outcome"], closed["effective_on"]) == ("keep", None)
    assert (
        ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))["status"]
        == "accepted"
    )

    ended = ok(challenge.file(client, world.other_contributor.headers, patent))
    ok(challenge.assign(client, world, ended["id"], int(other["id"])))
    none = {"5.1": False, "5.2": False}
    ok(challenge.find(client, other_headers, ended["id"], essential=False, sections=none))
    problem(
        client.post(
            f"{API}/challenges/{ended['id']}/outcome",
            json={"outcome": "end", "decided_on": "2025-08-01", "reasons": "not essential"},
            headers=world.admin.headers,
        ),
        422,
    )  # an end is dated
    closed = challenge.close(client, world, ended["id"], outcome="end", effective_on="2025-07-01")
    assert (closed["outcome"], closed["effective_on"]) == ("end", "2025-07-01")
    row = ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))
    assert (row["status"], row["ended_on"]) == ("invalidated", "2025-07-01")
