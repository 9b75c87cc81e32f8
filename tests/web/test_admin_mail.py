"""Administrators and auditors see where each issued statement's e-mail stands (queued, sent,
failed: the outbox), open any statement and its documents from the list, and read the outbox
newest first a page at a time. No other role finds these pages; unknown ids are 404."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.models.outbox import OutboxMessage, OutboxStatus
from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.web.conftest import World, sign_in

SENT_AT = datetime(2025, 8, 1, 10, tzinfo=UTC)


def issued(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> dict[int, int]:
    """Q2 2025 issued: a statement per contributor, each with its e-mail in the outbox; Uni A's
    sent, Lab B's failed. Contributor organisation id -> statement id."""
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    run = kit.close(client, world, "2025-04-01")
    kit.approve(client, world, run["id"])
    found = {s["contributor_organisation_id"]: s["id"] for s in kit.issue(client, world, run["id"])}
    with Session(engine) as s:
        for row in s.exec(
            select(OutboxMessage).where(col(OutboxMessage.statement_id).in_(found.values()))
        ):
            if row.statement_id == found[world.contributor.organisation_id or 0]:
                row.status, row.sent_at = OutboxStatus.SENT, SENT_AT
            else:
                row.status, row.attempts = OutboxStatus.FAILED, 5
                row.last_error = "SMTPRecipientsRefused: 550 no such mailbox"
            s.add(row)
        s.commit()
    return found


def cells(html: str, row_start: str) -> str:
    found = re.search(re.escape(row_start) + r"(.*?)</tr>", html, flags=re.S)
    assert found, row_start
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


@pytest.mark.parametrize("email", ["admin@example.org", "auditor@example.org"])
def test_staff_see_each_statements_email_state_and_open_it(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, email: str
) -> None:
    ids = issued(client, engine, world, clock)
    uni, lab = (
        ids[world.contributor.organisation_id or 0],
        ids[world.other_contributor.organisation_id or 0],
    )
    sign_in(client, email)
    html = client.get(f"/admin/statements?pool={world.pool_id}").text
    assert re.search(rf'<a class="serial" href="/admin/statements/{uni}">PP\d+-202504-', html)
    uni_row = cells(html, f'href="/admin/statements/{uni}">')
    lab_row = cells(html, f'href="/admin/statements/{lab}">')
    assert "Sent" in uni_row
    assert "Failed" in lab_row
    assert 'title="SMTPRecipientsRefused: 550 no such mailbox"' in html
    for fmt in ("pdf", "html", "csv"):
        assert f'href="/admin/statements/{uni}/documents/{fmt}" download' in html
        document = client.get(f"/admin/statements/{uni}/documents/{fmt}")
        assert document.status_code == 200, fmt
    opened = client.get(f"/admin/statements/{uni}")
    assert opened.status_code == 200
    assert "Uni A" in opened.text
    assert client.get(f"/admin/statements/{lab}/read").status_code == 200


def test_a_statement_still_in_the_outbox_reads_queued(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    ids = issued(client, engine, world, clock)
    uni = ids[world.contributor.organisation_id or 0]
    with Session(engine) as s:
        row = s.exec(select(OutboxMessage).where(OutboxMessage.statement_id == uni)).one()
        row.status, row.sent_at = OutboxStatus.PENDING, None
        s.add(row)
        s.commit()
    sign_in(client, "admin@example.org")
    html = client.get(f"/admin/statements?pool={world.pool_id}").text
    assert "Queued" in cells(html, f'href="/admin/statements/{uni}">')


def test_the_outbox_lists_every_email_newest_first_with_a_pager(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    issued(client, engine, world, clock)
    with Session(engine) as s:
        for n in range(55):
            s.add(
                OutboxMessage(
                    kind="audit_checkpoint", recipient_role="auditor",
                    subject=f"Checkpoint {n:02d}",
                    body="-", dedupe_key=f"test:{n}", created_at=SENT_AT + timedelta(hours=n),
                )
            )  # fmt: skip
        s.commit()
    sign_in(client, "auditor@example.org")
    first = client.get("/admin/outbox")
    assert first.status_code == 200
    subjects = re.findall(r"Checkpoint (\d\d)", first.text)
    assert subjects[:3] == ["54", "53", "52"]  # newest first
    assert "57 e-mails, newest first." in first.text
    assert "Every user with the role Auditor (read only)" in first.text
    assert 'href="?page=2"' in first.text
    second = client.get("/admin/outbox?page=2").text
    assert "Checkpoint 04" in second
    assert "Checkpoint 54" not in second
    assert "SMTPRecipientsRefused: 550 no such mailbox" in second  # the older statement e-mails
    assert "Lab B" in second
    failed = client.get("/admin/outbox?status=failed").text
    assert "1 e-mail, newest first." in failed
    assert "Checkpoint" not in failed
    for bad in ("status=lost", "page=0", "page=x"):  # refused as a page, never a 500
        assert client.get(f"/admin/outbox?{bad}").status_code in (400, 422), bad


@pytest.mark.parametrize(
    "email", ["sme@example.org", "big@example.org", "uni@example.org", "lab@example.org"]
)
def test_no_other_role_finds_the_outbox_or_any_statement_here(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, email: str
) -> None:
    ids = issued(client, engine, world, clock)
    sign_in(client, email)
    assert 'href="/admin/outbox"' not in client.get("/").text
    for statement in ids.values():  # their own statement too: it is read on their own pages
        for url in (
            "/admin/outbox",
            "/admin/statements",
            f"/admin/statements/{statement}",
            f"/admin/statements/{statement}/read",
            f"/admin/statements/{statement}/documents/pdf",
        ):
            assert client.get(url, follow_redirects=False).status_code == 404, url


def test_staff_get_404_for_unknown_statements_and_visitors_sign_in(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    for url in ("/admin/outbox", "/admin/statements"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=" + url
    sign_in(client, "admin@example.org")
    assert 'href="/admin/outbox"' in client.get("/").text
    for url in (
        "/admin/statements/999999",
        "/admin/statements/999999/read",
        "/admin/statements/999999/documents/pdf",
    ):
        assert client.get(url).status_code == 404, url
