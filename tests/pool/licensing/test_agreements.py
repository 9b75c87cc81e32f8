"""Negotiated agreements: drafting, the state machine, the contract filing and its deadline."""

import pytest
from litestar.testing import TestClient

from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.licensing.helpers import (
    API,
    active,
    add_terms,
    agreement_body,
    draft,
    field_errors,
    move,
    ok,
    publish,
)


def test_a_draft_records_type_territory_categories_and_dates(
    client: TestClient, world: World
) -> None:
    terms = add_terms(client, world)
    created = draft(client, world, terms["id"], territory=["cn", "US"], licence_type="sole")
    assert (created["state"], created["licence_type"]) == ("draft", "sole")
    assert (created["territory"], created["worldwide"]) == (["CN", "US"], False)
    assert created["filing_due_on"] == "2025-04-10"
    worldwide = draft(client, world, terms["id"], territory="worldwide")
    assert (worldwide["territory"], worldwide["worldwide"]) == ([], True)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"product_categories": ["mobile", "drone"]}, "product_categories[1]"),
        ({"territory": ["XX"]}, "territory"),
        ({"end_on": "2025-01-10"}, "end_on"),
        ({"licensee_organisation_id": 987654}, "licensee_organisation_id"),
        ({"licence_type": "shared"}, "licence_type"),
    ],
    ids=["unknown-category", "unknown-country", "empty-term", "no-such-licensee", "bad-type"],
)
def test_bad_drafts_name_the_field(
    client: TestClient, world: World, overrides: dict[str, object], field: str
) -> None:
    terms = add_terms(client, world)
    body = agreement_body(world, terms["id"], **overrides)
    r = client.post(f"{API}/agreements", json=body, headers=world.admin.headers)
    assert r.status_code in (400, 422), r.text
    assert any(f.startswith(field) for f in field_errors(r)), r.text


def test_terms_of_another_pool_are_not_found(client: TestClient, world: World) -> None:
    terms = add_terms(client, world)
    body = agreement_body(world, terms["id"], pool_id=987654)
    assert (
        client.post(f"{API}/agreements", json=body, headers=world.admin.headers).status_code == 404
    )


@pytest.mark.parametrize("licence_type", ["exclusive", "sole"])
def test_no_exclusive_or_sole_licence_beside_a_published_open_licence(
    client: TestClient, world: World, licence_type: str
) -> None:
    terms = add_terms(client, world)
    ok(publish(client, world, terms["id"]))
    body = agreement_body(world, terms["id"], licence_type=licence_type)
    r = client.post(f"{API}/agreements", json=body, headers=world.admin.headers)
    assert r.status_code == 409
    assert "open licence" in r.json()["detail"]
    ordinary = client.post(
        f"{API}/agreements", json=agreement_body(world, terms["id"]), headers=world.admin.headers
    )
    assert ordinary.status_code == 201


def test_worked_example_of_the_state_machine(client: TestClient, world: World) -> None:
    """draft -> active -> suspended -> active -> terminated, each move dated."""
    agreement_id = draft(client, world, add_terms(client, world)["id"])["id"]
    for to, on in [
        ("active", "2025-01-10"),
        ("suspended", "2025-03-01"),
        ("active", "2025-03-15"),
        ("terminated", "2025-05-31"),
    ]:
        body = ok(move(client, world, agreement_id, to, on))
        assert (body["state"], body["state_changed_on"]) == (to, on)


@pytest.mark.parametrize(
    ("moves", "fragment"),
    [
        ([("suspended", "2025-02-01")], "to: cannot move from draft to suspended"),
        ([("active", "2025-01-09")], "on: 2025-01-09 is before"),
        ([("active", "2025-01-10"), ("expired", "2025-02-01"), ("active", "2025-03-01")], "to:"),
    ],
    ids=["draft-to-suspended", "before-signature", "out-of-expired"],
)
def test_illegal_moves_are_conflicts(
    client: TestClient, world: World, moves: list[tuple[str, str]], fragment: str
) -> None:
    agreement_id = draft(client, world, add_terms(client, world)["id"])["id"]
    *legal, last = moves
    for to, on in legal:
        ok(move(client, world, agreement_id, to, on))
    r = move(client, world, agreement_id, *last)
    assert r.status_code == 409
    assert fragment in r.json()["detail"]


def test_filing_is_recorded_once_with_a_unique_number(client: TestClient, world: World) -> None:
    terms_id = add_terms(client, world)["id"]
    first, second = (active(client, world, terms_id)["id"] for _ in range(2))
    url = f"{API}/agreements/{{}}/filing"
    early = {"filing_number": "BA-2025-001", "filed_on": "2025-01-09"}
    r = client.post(url.format(first), json=early, headers=world.admin.headers)
    assert (r.status_code, field_errors(r)) == (422, {"filed_on"})
    filing = {"filing_number": "BA-2025-001", "filed_on": "2025-02-01"}
    filed = ok(client.post(url.format(first), json=filing, headers=world.admin.headers))
    assert (filed["filing_number"], filed["filed_on"]) == ("BA-2025-001", "2025-02-01")
    again = client.post(url.format(first), json=filing, headers=world.admin.headers)
    assert again.status_code == 409
    taken = client.post(url.format(second), json=filing, headers=world.admin.headers)
    assert taken.status_code == 409


def test_filing_falls_overdue_three_months_after_signature(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    """Signed 2025-01-10 (due 2025-04-10), 2025-03-20 (due 06-20), 2024-11-30 (due 2025-02-28)."""
    terms_id = add_terms(client, world)["id"]
    old = active(client, world, terms_id)
    recent = active(client, world, terms_id, signed_on="2025-03-20", start_on="2025-03-20")
    filed = active(client, world, terms_id, signed_on="2024-11-30", start_on="2024-11-30")
    ok(
        client.post(
            f"{API}/agreements/{filed['id']}/filing",
            json={"filing_number": "BA-1", "filed_on": "2025-01-05"},
            headers=world.admin.headers,
        )
    )
    draft(client, world, terms_id, signed_on="2024-01-01", start_on="2024-01-01")
    overdue = ok(client.get(f"{API}/agreements/overdue-filings", headers=world.auditor.headers))
    assert [a["id"] for a in overdue["items"]] == [old["id"]]  # today is 2025-06-02
    flags = {
        a["id"]: a["filing_overdue"]
        for a in ok(client.get(f"{API}/agreements", headers=world.admin.headers))["items"]
    }
    assert (flags[old["id"]], flags[recent["id"]], flags[filed["id"]]) == (True, False, False)
    clock.advance(days=19)  # 2025-06-21: the March signature is now late too
    overdue = ok(client.get(f"{API}/agreements/overdue-filings", headers=world.admin.headers))
    assert [a["id"] for a in overdue["items"]] == [old["id"], recent["id"]]


def test_lists_are_scoped_and_filtered(client: TestClient, world: World) -> None:
    terms_id = add_terms(client, world)["id"]
    own = active(client, world, terms_id)
    other = draft(
        client, world, terms_id, licensee_organisation_id=world.other_licensee.organisation_id
    )
    mine = ok(client.get(f"{API}/agreements", headers=world.licensee.headers))
    assert ([a["id"] for a in mine["items"]], mine["total"]) == ([own["id"]], 1)
    drafts = ok(
        client.get(f"{API}/agreements", params={"state": "draft"}, headers=world.admin.headers)
    )
    assert [a["id"] for a in drafts["items"]] == [other["id"]]
    r = client.get(f"{API}/agreements/{other['id']}", headers=world.licensee.headers)
    assert r.status_code == 404
    assert client.get(f"{API}/agreements", headers=world.contributor.headers).status_code == 404
