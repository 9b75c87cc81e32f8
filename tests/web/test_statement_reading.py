"""Statements read in the browser: the contributor's own (its statement page frames the stored
HTML), and any contributor's for administrators and auditors (the issued statements link to
each). Who may open each page, per role, in the order of `ROLES`:

    anonymous  admin  auditor  contributor  other_contributor  licensee  other_licensee  evaluator

A refusal is the portal's 404 page (never a hint the statement exists); a visitor is sent to
sign in (303). Every answer is the stored bytes."""

from dataclasses import dataclass

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from pool.models.distribution import StatementDocument
from tests.conftest import FakeClock
from tests.pool.authorization_table import ROLES
from tests.web.conftest import World, sign_in
from tests.web.test_contributor_pages import issued_statements

EMAILS = {
    "admin": "admin@example.org",
    "auditor": "auditor@example.org",
    "contributor": "uni@example.org",
    "other_contributor": "lab@example.org",
    "licensee": "sme@example.org",
    "other_licensee": "big@example.org",
    "evaluator": "eve@example.org",
}


@dataclass(frozen=True)
class Page:
    route: str  # {id} is the statement's
    on: str  # mine (Uni A's Q2 statement), theirs (Lab B's), missing
    statuses: str

    def expected(self) -> dict[str, int]:
        return dict(zip(ROLES, map(int, self.statuses.split()), strict=True))


# fmt: off
PAGES = [
    Page("/contributor/statements/{id}/read", "mine", "303 404 404 200 404 404 404 404"),
    Page("/contributor/statements/{id}/read", "theirs", "303 404 404 404 200 404 404 404"),
    Page("/contributor/statements/{id}/read", "missing", "303 404 404 404 404 404 404 404"),
    Page("/admin/statements/{id}", "mine", "303 200 200 404 404 404 404 404"),
    Page("/admin/statements/{id}", "theirs", "303 200 200 404 404 404 404 404"),
    Page("/admin/statements/{id}", "missing", "303 404 404 404 404 404 404 404"),
    Page("/admin/statements/{id}/read", "mine", "303 200 200 404 404 404 404 404"),
    Page("/admin/statements/{id}/read", "theirs", "303 200 200 404 404 404 404 404"),
    Page("/admin/statements/{id}/documents/csv", "theirs", "303 200 200 404 404 404 404 404"),
    Page("/admin/statements/{id}/documents/pdf", "missing", "303 404 404 404 404 404 404 404"),
]
# fmt: on


def test_who_reads_which_statement_in_the_browser(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """The whole table on one set of statements: issuing renders PDFs in worker processes,
    and one issue per row would render ten times as many."""
    found = issued_statements(client, engine, world, clock)
    ids = {"mine": found["mine_q2"], "theirs": found["theirs"], "missing": 987_654}
    for case in PAGES:
        url = case.route.format(id=ids[case.on])
        for role, status in case.expected().items():
            client.cookies.clear()
            if role != "anonymous":
                sign_in(client, EMAILS[role])
            response = client.get(url, follow_redirects=False)
            assert response.status_code == status, (role, url)
            if status == 404:
                assert response.headers["content-type"].startswith("text/html")
                assert "Lab B" not in response.text
                assert "PP0" not in response.text  # no serial


def stored(engine: Engine, statement_id: int, fmt: str) -> StatementDocument:
    with Session(engine) as db:
        return db.exec(
            select(StatementDocument).where(
                StatementDocument.statement_id == statement_id, StatementDocument.format == fmt
            )
        ).one()


def test_the_contributor_reads_the_stored_html_framed_in_its_statement_page(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued_statements(client, engine, world, clock)
    html = stored(engine, ids["mine_q2"], "html")
    sign_in(client, "uni@example.org")

    page = client.get(f"/contributor/statements/{ids['mine_q2']}")
    assert (
        f'<iframe class="statement-document" src="/contributor/statements/{ids["mine_q2"]}/read"'
        in page.text
    )
    read = client.get(f"/contributor/statements/{ids['mine_q2']}/read")
    assert read.content == html.content
    assert read.headers["content-type"] == "text/html; charset=utf-8"
    assert read.headers["content-disposition"].startswith("inline;")
    assert read.headers["x-content-sha256"] == html.sha256
    assert read.headers["x-frame-options"] == "SAMEORIGIN"
    policy = read.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy
    assert "style-src 'self' 'sha256-" in policy  # its own <style> by hash, nothing else inline
    assert "script-src 'self'" in policy


def test_administrators_list_statements_with_links_and_open_any(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued_statements(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    listing = client.get(f"/admin/statements?pool={world.pool_id}").text
    for statement_id in ids.values():
        assert f'href="/admin/statements/{statement_id}">PP' in listing

    page = client.get(f"/admin/statements/{ids['theirs']}")
    assert "Lab B" in page.text
    assert f'src="/admin/statements/{ids["theirs"]}/read"' in page.text
    assert stored(engine, ids["theirs"], "pdf").sha256 in page.text
    for fmt in ("html", "csv", "pdf"):
        response = client.get(f"/admin/statements/{ids['theirs']}/documents/{fmt}")
        assert response.content == stored(engine, ids["theirs"], fmt).content
        assert response.headers["content-disposition"].startswith("attachment;")
    read = client.get(f"/admin/statements/{ids['theirs']}/read")
    assert read.content == stored(engine, ids["theirs"], "html").content


def test_the_api_serves_the_stored_html_inline(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued_statements(client, engine, world, clock)
    response = client.get(f"/api/v1/statements/{ids['theirs']}/read", headers=world.admin.headers)
    assert response.status_code == 200
    assert response.content == stored(engine, ids["theirs"], "html").content
    assert response.headers["content-disposition"].startswith("inline;")
    assert "script" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
