"""Worked examples of the deal register through HTTP, on both databases.

Transfer. The distribution worked example (tests/pool/distribution/test_worked_example.py:
Q1 2025 usage, 1,000.00 received in Q2; fee 10 %; CN bucket 60,010, US bucket 29,990 to Lab
B), but one of Uni A's three CN patents is transferred to Big M with effect from 2025-02-15.
It counts for Uni A from 1 January to 14 February: 45 of Q1's 90 days. CN weights: Uni A
2 x 90 + 45 = 225, Lab B 90 (of 315).
  Uni A 60,010 x 225/315 = 42,864.2857; Lab B 60,010 x 90/315 + 29,990 = 47,135.7143
  largest remainder: Uni A 42,864, Lab B 47,136 (sum 90,000)
  withholding 10 %: 4,286.4 -> 4,286 and 4,713.6 -> 4,714; nets 38,578 and 42,422.

Pledge. Uni A pledges its CN patent to Big M from 2025-03-01. An open licence for CN is
refused (409, naming the pledge) while the pledge holds; a transfer of the patent too. The
pledgee's consent, or the pledge's release, lifts the block from its date."""

from datetime import UTC, date, datetime
from typing import Any

from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.audit import AuditEvent
from pool.models.patent import Patent, PatentInclusion
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit
from tests.pool.licensing.helpers import add_terms, publish

API = "/api/v1"


def record(client: TestClient, world: World, who: str, **body: Any) -> Response:
    url = f"{API}/pools/{world.pool_id}/deals"
    return client.post(url, json=body, headers=world.callers[who].headers)


def uni_patents(engine: Engine, world: World) -> list[int]:
    with session_scope(engine) as s:
        return list(
            s.exec(
                select(Patent.id)
                .where(Patent.owner_organisation_id == world.contributor.organisation_id)
                .order_by(Patent.id)  # type: ignore[arg-type]
            ).all()
        )


def transfer(world: World, patent_id: int, effective_on: str = "2025-02-15") -> dict[str, Any]:
    return {
        "kind": "transfer",
        "supplier_organisation_id": world.contributor.organisation_id,
        "counterparty_organisation_id": world.other_licensee.organisation_id,
        "patent_ids": [patent_id],
        "signed_on": "2025-02-01",
        "effective_on": effective_on,
        "contract_amount_minor": 12_000_000,
        "registration_number": "CN-TR-2025-0001",
        "registered_on": effective_on,
    }


def pledge(world: World, patent_id: int) -> dict[str, Any]:
    return {
        "kind": "pledge",
        "supplier_organisation_id": world.contributor.organisation_id,
        "counterparty_organisation_id": world.other_licensee.organisation_id,
        "patent_ids": [patent_id],
        "signed_on": "2025-02-20",
        "effective_on": "2025-03-01",
        "contract_amount_minor": 50_000_000,
        "registration_number": "Y2025110000123",
        "registered_on": "2025-03-01",
    }


def test_a_transfer_mid_quarter_counts_for_the_old_owner_until_the_day_before(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.worked_example(client, engine, world, clock)
    moved = uni_patents(engine, world)[0]
    r = record(client, world, "contributor", **transfer(world, moved))
    assert r.status_code == 201, r.text
    deal = r.json()
    assert (deal["kind"], deal["patent_ids"], deal["currency"]) == ("transfer", [moved], "USD")
    with session_scope(engine) as s:
        patent = s.get(Patent, moved)
        assert patent is not None
        assert (patent.status, patent.ended_on) == ("transferred", date(2025, 2, 15))
        ends = s.exec(select(PatentInclusion.end_on).where(PatentInclusion.patent_id == moved))
        assert list(ends) == [date(2025, 2, 15)]
        actions = set(s.exec(select(AuditEvent.action)).all())
    assert {"deal.transfer_recorded", "patent.transferred"} <= actions

    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    run = kit.close(client, world, "2025-04-01")
    assert kit.by_contributor(run, world) == {
        "contributor": (42864, 0, 4286, 38578),
        "other_contributor": (47136, 0, 4714, 42422),
    }


def test_a_pledge_blocks_an_open_licence_until_the_pledgees_consent(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    pledged = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    r = record(client, world, "admin", **pledge(world, pledged))
    assert r.status_code == 201, r.text
    deal_id = r.json()["id"]
    terms = add_terms(client, world)

    refused = publish(client, world, terms["id"], jurisdiction="CN", published_on="2025-04-10")
    assert refused.status_code == 409, refused.text
    assert f"deal {deal_id}" in refused.json()["detail"]
    assert "pledged" in refused.json()["detail"]
    before = publish(client, world, terms["id"], jurisdiction="CN", published_on="2025-02-28")
    assert before.status_code == 201, before.text  # the day before the pledge took effect
    elsewhere = publish(client, world, terms["id"], jurisdiction="US", published_on="2025-04-10")
    assert elsewhere.status_code == 201, elsewhere.text  # a US offer covers no CN patent

    blocked = record(client, world, "contributor", **transfer(world, pledged, "2025-04-01"))
    assert blocked.status_code == 409, blocked.text
    assert f"deal {deal_id}" in blocked.json()["detail"]

    url = f"{API}/deals/{deal_id}/consent"
    consent = client.post(url, json={"consent_on": "2025-04-05"}, headers=world.admin.headers)
    assert consent.status_code == 200, consent.text
    again = publish(client, world, terms["id"], jurisdiction="CN", published_on="2025-04-10")
    assert again.status_code == 201, again.text


def test_releasing_a_pledge_lifts_the_block_from_its_date(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    pledged = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    deal_id = record(client, world, "contributor", **pledge(world, pledged)).json()["id"]
    url = f"{API}/deals/{deal_id}/end"
    released = client.post(
        url, json={"ended_on": "2025-04-01", "reason": "loan repaid"}, headers=world.admin.headers
    )
    assert released.status_code == 200, released.text
    assert released.json()["ended_on"] == "2025-04-01"
    terms = add_terms(client, world)
    during = publish(client, world, terms["id"], jurisdiction="CN", published_on="2025-03-31")
    assert during.status_code == 409, during.text
    after = publish(client, world, terms["id"], jurisdiction="CN", published_on="2025-04-01")
    assert after.status_code == 201, after.text
    twice = client.post(url, json={"ended_on": "2025-04-02"}, headers=world.admin.headers)
    assert twice.status_code == 409, twice.text


def test_receipts_add_up_and_a_retry_records_nothing_twice(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    patent = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    body = {**transfer(world, patent), "kind": "capital_contribution"}
    deal_id = record(client, world, "contributor", **body).json()["id"]
    url = f"{API}/deals/{deal_id}/receipts"
    first = {"received_on": "2025-03-01", "amount_minor": 4_000_000, "reference": "SH-1"}
    for _ in range(2):
        r = client.post(url, json=first, headers=world.contributor.headers)
        assert r.status_code == 200, r.text
    second = {"received_on": "2025-04-01", "amount_minor": 1_500_001, "reference": "SH-2"}
    r = client.post(url, json=second, headers=world.contributor.headers)
    assert r.json()["received_minor"] == 5_500_001
    assert [x["reference"] for x in r.json()["receipts"]] == ["SH-1", "SH-2"]
    clash = client.post(url, json={**first, "amount_minor": 1}, headers=world.contributor.headers)
    assert clash.status_code == 409, clash.text
    future = client.post(
        url, json={**second, "reference": "SH-3", "received_on": "2025-05-01"},
        headers=world.contributor.headers,
    )  # fmt: skip
    assert future.status_code == 422, future.text
    with session_scope(engine) as s:
        patent_row = s.get(Patent, patent)
        assert patent_row is not None
        assert patent_row.status == "accepted"  # only a transfer ends a patent's inclusion


def test_bad_deals_are_refused_with_the_field_and_change_nothing(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    mine = kit.patent(engine, world, "contributor", "CN", date(2020, 1, 1))
    theirs = kit.patent(engine, world, "other_contributor", "CN", date(2020, 1, 1))
    clock.now = datetime(2025, 4, 10, 9, tzinfo=UTC)
    cases = [
        ({"patent_ids": [theirs]}, "patent_ids[0]"),
        ({"patent_ids": [987654]}, "patent_ids[0]"),
        ({"counterparty_organisation_id": world.contributor.organisation_id},
         "counterparty_organisation_id"),
        ({"signed_on": "2025-05-01", "effective_on": "2025-05-01"}, "signed_on"),
        ({"supplier_organisation_id": world.other_contributor.organisation_id},
         "supplier_organisation_id"),
    ]  # fmt: skip
    for change, field in cases:
        r = record(client, world, "contributor", **{**transfer(world, mine), **change})
        assert r.status_code == 422, (change, r.text)
        assert field in {e.get("field") for e in r.json()["errors"]}, (change, r.text)
    backwards = record(
        client, world, "contributor", **{**transfer(world, mine), "effective_on": "2025-01-01"}
    )
    assert backwards.status_code == 422, backwards.text
    [fault] = backwards.json()["errors"]
    assert fault["field"] == "effective_on"
    assert fault["message"].endswith("must not be before the day the deal was signed")
    unnumbered = record(
        client, world, "contributor", **{**transfer(world, mine), "registration_number": None}
    )
    assert [e["field"] for e in unnumbered.json()["errors"]] == ["registered_on"], unnumbered.text
    listed = client.get(f"{API}/pools/{world.pool_id}/deals", headers=world.admin.headers)
    assert listed.json()["total"] == 0
    with session_scope(engine) as s:
        row = s.get(Patent, mine)
        assert row is not None
        assert row.status == "accepted"
