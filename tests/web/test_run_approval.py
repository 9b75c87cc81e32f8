"""A draft run's page compares it with the previous approved run per contributor and country
(exact cents), and approving it asks first: a POST without the confirmation, or with the
fingerprint of an older computation, changes nothing. Each role's access to the pages."""

import re
from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from pool.models.distribution import DistributionRun, RunContributor
from pool.models.ledger import JournalEntry, Posting
from pool.services.distribution import runs
from tests.conftest import FakeClock
from tests.pool.distribution import kit
from tests.web.conftest import World, csrf_from, post_form, sign_in

ROW = re.compile(
    r'<tr class="change-(\w+)" data-contributor="(\d+)" data-country="(\w+)" '
    r'data-previous-minor="(-?\d+)" data-current-minor="(-?\d+)" data-difference-minor="(-?\d+)">'
)


def two_quarters(client: TestClient, engine: Engine, world: World, clock: FakeClock) -> int:
    """Q2 2025 approved (1,000.00 received), Q3 a draft (500.50 received): the draft's id."""
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    kit.approve(client, world, kit.close(client, world, "2025-04-01")["id"])
    kit.pay(client, world, "Q3-1", 50050, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    draft: int = kit.close(client, world, "2025-07-01")["id"]
    return draft


def status_and_entries(engine: Engine, run_id: int) -> tuple[str, int]:
    with Session(engine) as s:
        run = s.get(DistributionRun, run_id)
        assert run is not None
        entries = s.exec(
            select(func.count(col(JournalEntry.id))).where(
                JournalEntry.source_type == "distribution_run", JournalEntry.source_id == run_id
            )
        ).one()
        return run.status, entries


def test_the_draft_shows_its_change_against_the_previous_run_in_exact_cents(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    draft = two_quarters(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    html = client.get(f"/admin/runs/{draft}").text
    rows = {(int(o), c): (k, int(p), int(n), int(d)) for k, o, c, p, n, d in ROW.findall(html)}
    uni, lab = world.contributor.organisation_id or 0, world.other_contributor.organisation_id or 0
    assert rows == {
        (uni, "CN"): ("changed", 45008, 22526, -22482),
        (lab, "CN"): ("changed", 15002, 7509, -7493),
        (lab, "US"): ("changed", 29990, 15010, -14980),
    }  # 900.00 then 450.45 to share: the money received less the 10 % fee
    with Session(engine) as s:  # the per-country rows add up to each contributor's amount
        for org in (uni, lab):
            c = s.exec(
                select(RunContributor).where(
                    RunContributor.run_id == draft,
                    RunContributor.contributor_organisation_id == org,
                )
            ).one()
            shown = sum(now for (o, _), (_, _, now, _) in rows.items() if o == org)
            assert shown == c.gross_minor + c.adjustments_minor
    for shown in ("$450.08", "$225.26", "-$224.82", "3 changed rows", "0 new rows"):
        assert shown in html
    assert "0 dropped rows" in html


def test_approval_happens_only_with_the_confirmation(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    draft = two_quarters(client, engine, world, clock)
    sign_in(client, "admin@example.org")
    run_url = f"/admin/runs/{draft}"
    confirmation = client.get(run_url + "/approve")
    assert confirmation.status_code == 200
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", confirmation.text))
    with Session(engine) as s:
        run = s.get(DistributionRun, draft)
        assert run is not None
        lines, total = runs.ledger_preview(s, run)
    assert lines > 0
    total_text = f"${total // 100:,}.{total % 100:02d}"
    assert (
        f"It posts {lines} lines to the ledger, whose debits and credits each total {total_text}"
        in words
    )
    assert "It cannot be undone" in words
    assert "statements can then be issued" in words
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', confirmation.text)
    assert fingerprint

    plain = post_form(client, run_url + "/approve", {}, page=run_url)
    assert plain.status_code == 200  # the confirmation again, nothing done
    assert 'name="confirm" value="approve"' in plain.text
    half = post_form(client, run_url + "/approve", {"fingerprint": fingerprint.group(1)})
    assert half.status_code == 200
    stale = post_form(
        client, run_url + "/approve", {"confirm": "approve", "fingerprint": "0" * 64 + ":1"}
    )
    assert stale.status_code == 409
    assert "The draft was computed again since you opened it" in stale.text
    assert status_and_entries(engine, draft) == ("draft", 0)

    done = post_form(
        client, run_url + "/approve", {"confirm": "approve", "fingerprint": fingerprint.group(1)}
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"{run_url}?done=approved"
    assert status_and_entries(engine, draft) == ("approved", 1)
    with Session(engine) as s:
        posted = s.exec(
            select(Posting.amount_minor)
            .join(JournalEntry, col(JournalEntry.id) == Posting.entry_id)
            .where(JournalEntry.source_type == "distribution_run", JournalEntry.source_id == draft)
        ).all()
    assert (len(posted), sum(a for a in posted if a > 0)) == (lines, total)  # as promised
    assert client.get(run_url + "/approve", follow_redirects=False).status_code == 303


def test_an_auditor_reads_the_comparison_but_cannot_approve(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    draft = two_quarters(client, engine, world, clock)
    sign_in(client, "auditor@example.org")
    page = client.get(f"/admin/runs/{draft}")
    assert page.status_code == 200
    assert 'class="change-changed"' in page.text
    assert f'action="/admin/runs/{draft}/approve"' not in page.text
    assert client.get(f"/admin/runs/{draft}/approve").status_code == 403
    token = csrf_from(page)
    refused = client.post(
        f"/admin/runs/{draft}/approve",
        data={"confirm": "approve", "fingerprint": "x", "_csrf_token": token},
    )
    assert refused.status_code == 403
    assert status_and_entries(engine, draft) == ("draft", 0)


@pytest.mark.parametrize(
    "email", ["sme@example.org", "big@example.org", "uni@example.org", "lab@example.org"]
)
def test_licensees_and_contributors_find_no_run_page(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, email: str
) -> None:
    draft = two_quarters(client, engine, world, clock)
    sign_in(client, email)
    for url in (f"/admin/runs/{draft}", f"/admin/runs/{draft}/approve", "/admin/runs/999999"):
        assert client.get(url, follow_redirects=False).status_code == 404, url
    token = csrf_from(client.get("/"))
    with Session(engine) as s:
        run = s.get(DistributionRun, draft)
        assert run is not None
        fingerprint = f"{run.input_sha256}:{run.computations}"
    refused = client.post(
        f"/admin/runs/{draft}/approve",
        data={"confirm": "approve", "fingerprint": fingerprint, "_csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 404
    assert status_and_entries(engine, draft) == ("draft", 0)


def test_signed_out_visitors_are_sent_to_sign_in(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    draft = two_quarters(client, engine, world, clock)
    for url in (f"/admin/runs/{draft}", f"/admin/runs/{draft}/approve"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=" + url
    token = csrf_from(client.get("/login"))
    refused = client.post(
        f"/admin/runs/{draft}/approve",
        data={"confirm": "approve", "_csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    assert status_and_entries(engine, draft) == ("draft", 0)
