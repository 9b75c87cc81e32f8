"""Payout pages over real HTTP: a contributor gives its bank details on its organisation page
(refused input named, nothing saved); an administrator makes a batch (the held contributor
listed), downloads its pain.001 file, marks it sent and records payments paid and returned;
the contributor's statement page shows its payout. Auditors read without forms; other roles
find nothing (404)."""

import re

import xmlschema
from litestar.testing import TestClient
from sqlalchemy import Engine

from tests.conftest import FakeClock
from tests.pool.payouts import kit
from tests.web.conftest import World, post_form, sign_in


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1]).split())


def test_a_contributor_keeps_its_bank_details_on_its_organisation_page(
    client: TestClient, browser: TestClient, world: World
) -> None:
    sign_in(browser, "lab@example.org")
    bad = {**kit.CN, "cnaps_code": "12345"}
    refused = post_form(browser, "/organisation/bank-details", page="/organisation", data=bad)
    assert refused.status_code == 422
    assert "a CNAPS code is 12 digits" in refused.text
    assert "No bank details yet" not in refused.text
    org = world.other_contributor.organisation_id
    api = f"{kit.API}/organisations/{org}/bank-details"
    assert client.get(api, headers=world.admin.headers).json() is None  # nothing stored
    saved = post_form(browser, "/organisation/bank-details", page="/organisation", data=kit.CN)
    assert saved.status_code == 303
    assert client.get(api, headers=world.admin.headers).json()["cnaps_code"] == "102100099996"
    assert "Your bank details are saved." in browser.get("/organisation?done=bank").text


def test_an_administrator_makes_downloads_and_settles_a_batch(
    client: TestClient, browser: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    books = kit.approved(client, engine, world, clock)
    sign_in(browser, "admin@example.org")
    listing = browser.get(f"/admin/payouts?pool={world.pool_id}")
    assert "Lab B" in _text(listing.text)  # held: no bank details
    made = post_form(
        browser,
        f"/admin/pools/{world.pool_id}/payouts",
        {"execution_date": "2025-11-03"},
        page="/admin/payouts",
    )
    assert made.status_code == 303
    page = made.headers["location"]
    batch_id = int(page.split("/")[-1].split("?")[0])
    xml = browser.get(f"/admin/payouts/{batch_id}/pain001")
    xmlschema.XMLSchema(kit.xsd_path()).validate(xml.content)
    paid_b1 = {"paid_on": "2025-11-01", "bank_reference": "B-1"}
    early = post_form(browser, f"/admin/payouts/{batch_id}/lines/1/paid", paid_b1, page=page)
    assert early.status_code == 409
    assert "mark the batch sent" in early.text
    words = _text(browser.get(page).text)
    assert "The file with 1 payment totalling $405.07 went to the bank." in words
    assert "Marking the batch sent cannot be undone" in words
    unconfirmed = post_form(
        browser, f"/admin/payouts/{batch_id}/sent", page=page, data={"sent_on": "2025-11-01"}
    )
    assert unconfirmed.status_code == 422  # the box not ticked: nothing changes
    assert 'id="e-confirm"' in unconfirmed.text
    assert "tick the box to confirm that the file went to the bank" in unconfirmed.text
    batch = client.get(f"{kit.API}/payout-batches/{batch_id}", headers=world.admin.headers)
    assert batch.json()["status"] == "created"
    sent = post_form(
        browser, f"/admin/payouts/{batch_id}/sent", page=page,
        data={"sent_on": "2025-11-01", "confirm": "yes"},
    )  # fmt: skip
    assert sent.status_code == 303
    line = client.get(f"{kit.API}/payout-batches/{batch_id}", headers=world.admin.headers)
    line_id = line.json()["lines"][0]["id"]
    paid = post_form(browser, f"/admin/payouts/{batch_id}/lines/{line_id}/paid", paid_b1, page=page)
    assert paid.status_code == 303
    shown = _text(browser.get(f"/admin/payouts/{batch_id}").text)
    assert "Status Sent to the bank (" in shown  # states read as words, not codes
    assert "Paid Nov 1, 2025 · B-1" in shown
    assert "B-1" in shown
    statement = books["statements"][world.contributor.organisation_id]
    browser.cookies.clear()
    sign_in(browser, "uni@example.org")
    assert "B-1" in _text(browser.get(f"/contributor/statements/{statement}").text)
    assert browser.get(f"/admin/payouts/{batch_id}").status_code == 404


def test_an_auditor_reads_the_batch_without_forms(
    client: TestClient, browser: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.approved(client, engine, world, clock)
    batch = kit.create(client, world)
    sign_in(browser, "auditor@example.org")
    page = browser.get(f"/admin/payouts/{batch['id']}")
    assert page.status_code == 200
    assert "Mark the batch sent" not in page.text
    assert browser.get(f"/admin/payouts/{batch['id']}/pain001").status_code == 200
