"""The administrator's actions on memberships and agreements over real HTTP: each goes through
the API's service (audited), a refused form is re-shown with its errors and changes nothing,
auditors read without forms and cannot post, other roles find nothing here."""

import re

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.models.audit import AuditEvent
from pool.models.licensing import LicenceAgreement
from pool.models.membership import Membership
from tests.pool.reporting.kit import Deal, deal
from tests.web.conftest import World, post_form, sign_in
from tests.web.test_licensee_pages import TERMS


def actions(engine: Engine, entity_type: str) -> list[str]:
    with Session(engine) as s:
        rows = s.exec(
            select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type)
            .order_by(col(AuditEvent.id))  # PostgreSQL returns rows in no set order
        ).all()
        return [row.action for row in rows]


def memberships_of(engine: Engine, pool_id: int) -> list[Membership]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(Membership).where(Membership.pool_id == pool_id).order_by(col(Membership.id))
            )
        )


def agreement_row(engine: Engine, agreement_id: int) -> LicenceAgreement:
    with Session(engine) as s:
        found = s.get(LicenceAgreement, agreement_id)
        assert found is not None
        return found


def test_an_administrator_adds_and_withdraws_a_member(
    client: TestClient, engine: Engine, world: World
) -> None:
    sign_in(client, "admin@example.org")
    before = memberships_of(engine, world.pool_id)
    members = client.get(f"/admin/members?pool={world.pool_id}").text
    assert f'action="/admin/pools/{world.pool_id}/members"' in members
    choices = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', members))
    org_id = world.other_licensee.organisation_id
    assert str(org_id) in choices  # not a member yet
    for m in before:
        if m.withdrawn_on is None:
            assert str(m.organisation_id) not in choices
    url, page = f"/admin/pools/{world.pool_id}/members", f"/admin/members?pool={world.pool_id}"
    refused = post_form(
        client, url, {"organisation_id": str(org_id), "joined_on": "soon"}, page=page
    )
    assert refused.status_code == 422
    assert 'id="e-joined_on">enter a date' in refused.text
    assert 'id="e-agreement_version">required' in refused.text
    assert len(memberships_of(engine, world.pool_id)) == len(before)
    joined = post_form(
        client, url,
        {"organisation_id": str(org_id), "joined_on": "2025-02-01", "agreement_version": "MA-2"},
        page=page,
    )  # fmt: skip
    assert joined.status_code == 303
    assert "The organisation is now a member" in client.get(joined.headers["location"]).text
    new = memberships_of(engine, world.pool_id)[-1]
    assert (new.organisation_id, new.agreement_version) == (org_id, "MA-2")
    again = post_form(
        client, url,
        {"organisation_id": str(org_id), "joined_on": "2025-02-01", "agreement_version": "MA-2"},
        page=page,
    )  # fmt: skip
    assert again.status_code == 409
    assert "already a member" in again.text

    confirm = client.get(f"/admin/members/{new.id}/withdraw")
    assert confirm.status_code == 200
    assert "Yes, withdraw this membership" in confirm.text
    withdraw = f"/admin/members/{new.id}/withdraw"
    unconfirmed = post_form(client, withdraw, {"withdrawn_on": "2025-03-01"}, page=withdraw)
    assert unconfirmed.status_code == 422
    assert "tick the box to confirm" in unconfirmed.text
    too_early = post_form(
        client, withdraw, {"withdrawn_on": "2025-01-01", "confirm": "yes"}, page=withdraw
    )
    assert too_early.status_code == 422
    assert "must not be before joined_on" in too_early.text
    assert memberships_of(engine, world.pool_id)[-1].withdrawn_on is None
    done = post_form(
        client, withdraw, {"withdrawn_on": "2025-03-01", "confirm": "yes"}, page=withdraw
    )
    assert done.status_code == 303
    assert str(memberships_of(engine, world.pool_id)[-1].withdrawn_on) == "2025-03-01"
    assert actions(engine, "membership")[-2:] == ["membership.joined", "membership.withdrawn"]


def test_an_administrator_records_a_filing_and_moves_an_agreement(
    client: TestClient, engine: Engine, world: World
) -> None:
    d: Deal = deal(engine, world, royalty=TERMS)
    sign_in(client, "admin@example.org")
    page = f"/admin/agreements?pool={world.pool_id}"
    listing = client.get(page).text
    assert f'action="/admin/agreements/{d.agreement_id}/filing"' in listing
    assert f'action="/admin/agreements/{d.agreement_id}/move"' in listing
    moves = listing.split(f'id="to-{d.agreement_id}"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'value="(\w*)"', moves) == ["", "expired", "suspended", "terminated"]
    assert " selected" not in moves.split("</option>", 1)[1]  # no state chosen in advance
    filing = f"/admin/agreements/{d.agreement_id}/filing"
    before_signature = post_form(
        client, filing, {"filing_number": "BA-1", "filed_on": "2024-12-01"}, page=page
    )
    assert before_signature.status_code == 422
    assert "must not be before the signature date" in before_signature.text
    assert 'value="BA-1"' in before_signature.text  # what was typed is kept
    blank = post_form(client, filing, {"filing_number": "", "filed_on": "2025-02-01"}, page=page)
    assert blank.status_code == 422
    assert agreement_row(engine, d.agreement_id).filing_number is None
    filed = post_form(
        client, filing, {"filing_number": "BA-1", "filed_on": "2025-02-01"}, page=page
    )
    assert filed.status_code == 303
    assert "The contract filing was recorded" in client.get(filed.headers["location"]).text
    assert agreement_row(engine, d.agreement_id).filing_number == "BA-1"

    move = f"/admin/agreements/{d.agreement_id}/transitions"
    illegal = {"to": "draft", "on": "2025-03-01", "confirm": "yes"}
    assert post_form(client, move, illegal, page=page).status_code == 422
    assert agreement_row(engine, d.agreement_id).state == "active"
    asked = f"/admin/agreements/{d.agreement_id}/move?to=suspended&on=2025-03-01&reason=unpaid"
    unconfirmed = {"to": "suspended", "on": "2025-03-01", "reason": "unpaid"}
    assert post_form(client, move, unconfirmed, page=asked).status_code == 422
    assert agreement_row(engine, d.agreement_id).state == "active"
    suspended = post_form(client, move, {**unconfirmed, "confirm": "yes"}, page=asked)
    assert suspended.status_code == 303
    assert agreement_row(engine, d.agreement_id).state == "suspended"
    assert actions(engine, "licence_agreement")[-2:] == ["agreement.filed", "agreement.suspended"]


def test_auditors_read_without_forms_and_cannot_post(
    client: TestClient, engine: Engine, world: World
) -> None:
    d = deal(engine, world, royalty=TERMS)
    sign_in(client, "auditor@example.org")
    for url in (f"/admin/agreements?pool={world.pool_id}", f"/admin/members?pool={world.pool_id}"):
        shown = client.get(url)
        assert shown.status_code == 200
        assert 'method="post" action="/admin' not in shown.text
    joining = {"organisation_id": "1", "joined_on": "2025-02-01", "agreement_version": "1"}
    posts = (
        (
            f"/admin/agreements/{d.agreement_id}/filing",
            {"filing_number": "X", "filed_on": "2025-02-01"},
        ),
        (
            f"/admin/agreements/{d.agreement_id}/transitions",
            {"to": "suspended", "on": "2025-03-01"},
        ),
        (f"/admin/pools/{world.pool_id}/members", joining),
    )
    for url, body in posts:
        assert post_form(client, url, body, page="/admin").status_code == 403
    assert agreement_row(engine, d.agreement_id).filing_number is None
    member = memberships_of(engine, world.pool_id)[0]
    assert client.get(f"/admin/members/{member.id}/withdraw").status_code == 403


def test_licensees_and_contributors_find_nothing_here(
    client: TestClient, engine: Engine, world: World
) -> None:
    d = deal(engine, world, royalty=TERMS)
    member = memberships_of(engine, world.pool_id)[0]
    for email in ("sme@example.org", "uni@example.org"):
        sign_in(client, email)
        assert client.get(f"/admin/members/{member.id}/withdraw").status_code == 404
        for url in (
            f"/admin/agreements/{d.agreement_id}/filing",
            f"/admin/pools/{world.pool_id}/members",
            f"/admin/members/{member.id}/withdraw",
        ):
            response = post_form(client, url, {"filed_on": "2025-02-01"}, page="/")
            assert response.status_code == 404, url
        post_form(client, "/logout", {}, page="/")
    assert agreement_row(engine, d.agreement_id).filing_number is None
