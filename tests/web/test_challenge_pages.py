"""The challenge pages over real HTTP (issue 19): a licensee files a challenge with a PDF (a
wrong type refused by its field, nothing stored), the list and each challenge scoped to who
may read it, the administrator's assignment and dated outcome behind a confirmation in words,
the re-evaluator's finding from their queue, and who may open each page, per role:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

A challenge outside the viewer's scope is the portal's 404 page; a visitor is sent to sign in."""

from dataclasses import dataclass
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine

from pool.settings import Settings
from tests.conftest import FakeClock
from tests.pool.authorization_table import ROLES
from tests.pool.distribution.kit import PER_UNIT
from tests.pool.evaluation import challenge_kit as challenge
from tests.pool.evaluation.kit import API, CHART, evaluators, ok
from tests.pool.evaluation.test_challenges import admitted_by_the_evaluator
from tests.pool.reporting.kit import deal
from tests.web.conftest import World, csrf_from, post_form, sign_in
from tests.web.lists_kit import row_ids

NUMBER = "JP6123456B2"  # the patent `admitted_by_the_evaluator` admits
EMAILS = {
    "admin": "admin@example.org",
    "auditor": "auditor@example.org",
    "contributor": "uni@example.org",
    "other_contributor": "lab@example.org",
    "licensee": "sme@example.org",
    "other_licensee": "big@example.org",
    "evaluator": "eve@example.org",
}
REEVALUATOR = ("evaluator0@agency-f.example.org", "a long enough password")


def _challenges(client: TestClient, world: World) -> list[dict[str, Any]]:
    return list(ok(client.get(f"{API}/challenges", headers=world.admin.headers))["items"])


def _file(client: TestClient, files: list[tuple[str, bytes]], **fields: str) -> Any:
    form = {"number": NUMBER, "ground": "grade", "reasons": "claim 1 reads on an option only"}
    token = csrf_from(client.get("/challenges/new"))
    return client.post(
        "/challenges/new",
        data={**form, **fields, "filed_on": "2025-08-09", "_csrf_token": token},
        files=[("file", (name, content)) for name, content in files],
        follow_redirects=False,
    )


def _signed_out(client: TestClient) -> None:
    post_form(client, "/logout", {}, page="/")


def test_a_licensee_files_a_challenge_with_a_pdf_and_only_its_readers_see_it(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    sign_in(client, EMAILS["licensee"])
    assert "/challenges" in client.get("/").text.split("</nav>")[0]
    pool_page = client.get(f"/pools/{world.pool_id}").text  # the patents it sees link here
    assert f"/challenges/new?pool={world.pool_id}&amp;number={NUMBER}" in pool_page
    form = client.get(f"/challenges/new?number={NUMBER}")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text
    assert f'value="{NUMBER}"' in form.text
    assert 'hx-get="/pick/patents"' in form.text

    refused = _file(client, [("art.pdf", b"MZ\x90\x00\x03")])
    assert refused.status_code == 422, refused.text
    assert 'id="e-file"' in refused.text
    assert "claim 1 reads on an option only" in refused.text  # what was typed stays
    assert _challenges(client, world) == []  # nothing stored, not even the challenge
    unknown = _file(client, [("art.pdf", CHART)], number="XX1")
    assert unknown.status_code == 422
    assert 'id="e-number"' in unknown.text
    none = _file(client, [])
    assert none.status_code == 422
    assert _challenges(client, world) == []

    filed = _file(client, [("art.pdf", CHART), ("more.pdf", CHART + b"\n%more")])
    assert filed.status_code == 303, filed.text
    (stored,) = _challenges(client, world)
    assert filed.headers["location"] == f"/challenges/{stored['id']}?done=filed"
    assert (stored["patent_id"], stored["ground"], stored["state"]) == (patent, "grade", "filed")
    detail = client.get(filed.headers["location"])
    assert "The challenge was filed." in detail.text
    documents = ok(
        client.get(f"{API}/challenges/{stored['id']}/documents", headers=world.licensee.headers)
    )["items"]
    assert [d["content_type"] for d in documents] == ["application/pdf", "application/pdf"]
    download = client.get(f"/challenges/documents/{documents[0]['id']}/download")
    assert download.content == CHART
    assert download.headers["x-content-type-options"] == "nosniff"
    duplicate = client.post(
        f"/challenges/{stored['id']}/documents",
        data={"_csrf_token": csrf_from(detail)},
        files=[("file", ("again.pdf", CHART))],
    )
    assert duplicate.status_code == 409
    assert 'role="alert"' in duplicate.text
    listed = client.get("/challenges?state=filed")
    assert row_ids(listed.text, "challenge") == [stored["id"]]
    assert row_ids(client.get("/challenges?state=closed").text, "challenge") == []
    assert row_ids(client.get("/challenges?q=jp6123").text, "challenge") == [stored["id"]]
    _signed_out(client)

    sign_in(client, EMAILS["other_licensee"])
    assert row_ids(client.get("/challenges").text, "challenge") == []
    assert client.get(f"/challenges/{stored['id']}").status_code == 404
    assert client.get(f"/challenges/documents/{documents[0]['id']}/download").status_code == 404
    assert "You have none yet." in client.get("/challenges/new").text  # holds no licence
    _signed_out(client)
    sign_in(client, EMAILS["contributor"])  # the owner reads challenges of its patents
    assert row_ids(client.get("/challenges").text, "challenge") == [stored["id"]]


def test_the_administrator_assigns_the_re_evaluator_records_and_the_outcome_regrades(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    filed = ok(challenge.file(client, world.licensee.headers, patent))
    other = evaluators(client, world, 1)[0]
    page = f"/challenges/{filed['id']}"
    sign_in(client, EMAILS["admin"])
    detail = client.get(page)
    assert 'action="' + page + '/assign"' in detail.text
    assert f'<option value="{other["id"]}">' in detail.text
    assert f'<option value="{world.evaluator.user_id}">' not in detail.text  # the original
    original = {"evaluator_user_id": str(world.evaluator.user_id), "assigned_on": "2025-08-10"}
    refused = post_form(client, f"{page}/assign", original, page=page)
    assert refused.status_code == 422
    assert 'id="e-evaluator_user_id"' in refused.text
    chosen = {**original, "evaluator_user_id": str(other["id"])}
    assert post_form(client, f"{page}/assign", chosen, page=page).status_code == 303
    _signed_out(client)

    sign_in(client, *REEVALUATOR)
    queue = client.get("/evaluation")
    assert f'href="{page}#finding"' in queue.text
    finding = {
        "section:5.1": "yes", "section:5.2": "no", "grade": "C",
        "reasoning": "only claim 4 reads", "recorded_on": "2025-08-10",
    }  # fmt: skip
    assert post_form(client, f"{page}/finding", finding, page=page).status_code == 303
    assert "only claim 4 reads" in client.get(page).text
    _signed_out(client)

    sign_in(client, EMAILS["auditor"])
    assert client.get(page).status_code == 200
    outcome = {
        "outcome": "regrade", "effective_on": "2025-07-01", "grade": "C",
        "reasons": "as re-evaluated", "decided_on": "2025-08-10",
    }  # fmt: skip
    assert post_form(client, f"{page}/close", outcome, page=page).status_code == 403
    _signed_out(client)

    sign_in(client, EMAILS["admin"])
    undated = post_form(client, f"{page}/close", {**outcome, "effective_on": ""}, page=page)
    assert undated.status_code == 422
    assert 'id="e-effective_on"' in undated.text
    confirm = post_form(client, f"{page}/close", outcome, page=page)
    assert confirm.status_code == 200
    assert "has grade C" in confirm.text
    assert 'name="confirm" value="close"' in confirm.text
    assert (
        ok(client.get(f"{API}/challenges/{filed['id']}", headers=world.admin.headers))["state"]
        == "found"
    )  # nothing changed before the confirmation
    closed = post_form(client, f"{page}/close", {**outcome, "confirm": "close"}, page=page)
    assert closed.status_code == 303, closed.text
    read = ok(client.get(f"{API}/challenges/{filed['id']}", headers=world.admin.headers))
    assert (read["outcome"], read["effective_on"]) == ("regrade", "2025-07-01")
    assert ok(client.get(f"{API}/patents/{patent}", headers=world.admin.headers))["grade"] == "C"
    assert "The challenge was closed." in client.get(closed.headers["location"]).text


@dataclass(frozen=True)
class Page:
    route: str  # {id}: the licensee's challenge; {doc}: its document
    statuses: str

    def expected(self) -> dict[str, int]:
        return dict(zip(ROLES, map(int, self.statuses.split()), strict=True))


# fmt: off
PAGES = [
    Page("/challenges", "303 200 200 200 200 200 200 200"),
    Page("/challenges/new", "303 404 404 200 200 200 200 404"),
    Page("/challenges/{id}", "303 200 200 200 404 200 404 404"),
    Page("/challenges/documents/{doc}/download", "303 200 200 200 404 200 404 404"),
    Page("/challenges/987654321", "303 404 404 404 404 404 404 404"),
    Page("/challenges/documents/987654321/download", "303 404 404 404 404 404 404 404"),
]
# fmt: on


def test_who_opens_which_challenge_page(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """The licensee's challenge of Uni A's patent: its challenger, the owner and staff read
    it; Lab B, Big M and the evaluator of the original finding are told it does not exist."""
    patent = admitted_by_the_evaluator(client, world, clock)
    deal(engine, world, royalty=PER_UNIT)
    filed = ok(challenge.file(client, world.licensee.headers, patent))
    document = ok(
        client.post(
            f"{API}/challenges/{filed['id']}/documents",
            data={"title": "Prior art"},
            files={"file": ("art.pdf", CHART, "application/pdf")},
            headers=world.licensee.headers,
        )
    )
    for role in ROLES:
        if role != "anonymous":
            sign_in(client, EMAILS[role])
        for one in PAGES:
            url = one.route.format(id=filed["id"], doc=document["id"])
            got = client.get(url, follow_redirects=False)
            assert got.status_code == one.expected()[role], (role, url, got.text[:300])
        if role != "anonymous":
            _signed_out(client)


def test_a_member_contributor_files_through_the_portal_and_an_oversize_file_stores_nothing(
    client: TestClient, world: World, clock: FakeClock, settings: Settings
) -> None:
    """Lab B, a member of the pool, challenges Uni A's patent; a document over the upload
    limit, sent without the page's script (which refuses it before sending:
    tests/web/browser/test_upload_limit.py), is a 413 page saying so, and nothing is stored;
    the owner itself may not challenge its own patent."""
    patent = admitted_by_the_evaluator(client, world, clock)
    sign_in(client, EMAILS["other_contributor"])
    too_big = b"%PDF-1.7\n" + b"0" * settings.max_upload_bytes
    refused = _file(client, [("big.pdf", too_big)], essential="", ground="essentiality")
    assert refused.status_code == 413, refused.status_code  # without app.js (see browser test)
    assert "larger than the upload limit. Go back and choose a smaller file." in refused.text
    assert _challenges(client, world) == []
    filed = _file(client, [("art.pdf", CHART)], ground="essentiality")
    assert filed.status_code == 303, filed.text
    (stored,) = _challenges(client, world)
    assert (stored["patent_id"], stored["ground"]) == (patent, "essentiality")
    assert stored["challenger_organisation_id"] == world.other_contributor.organisation_id
    _signed_out(client)
    sign_in(client, EMAILS["contributor"])  # the owner
    own = _file(client, [("art.pdf", CHART + b"\n%own")])
    assert own.status_code == 403, own.text
    assert "the owner cannot challenge its own patent" in own.text
    assert len(_challenges(client, world)) == 1
