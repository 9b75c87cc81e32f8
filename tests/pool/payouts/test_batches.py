"""A payout batch from an approved run: who is paid and who is held, the pain.001 file
(valid against the official XSD, control sum = batch total), paid and returned payments in
the ledger, a returned payment in the next batch, each statement's payout."""

from xml.etree import ElementTree as ET

import xmlschema
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from pool.services import audit
from pool.services.billing import ledger
from pool.services.payouts import payout_of
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.payouts import kit

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def _payable(engine: Engine, pool_id: int) -> dict[str, int]:
    with Session(engine) as s:
        return {a: t for a, _, t in ledger.trial_balance(s, pool_id=pool_id)}


def test_a_batch_pays_who_gave_bank_details_and_holds_the_others(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    books = kit.approved(client, engine, world, clock)
    uni, lab = world.contributor.organisation_id, world.other_contributor.organisation_id
    batch = kit.create(client, world)
    assert [(x["contributor_organisation_id"], x["amount_minor"]) for x in batch["lines"]] == [
        (uni, books["net"][uni])
    ]
    assert batch["total_minor"] == books["net"][uni]
    assert batch["line_count"] == 1
    assert [(h["contributor_organisation_id"], h["payable_minor"]) for h in batch["held"]] == [
        (lab, books["net"][lab])
    ]
    again = client.post(
        f"{kit.API}/pools/{world.pool_id}/payout-batches",
        json={"execution_date": "2025-11-03"},
        headers=world.admin.headers,
    )
    assert again.status_code == 409  # Uni A's money is in the first batch; Lab B is held


def test_the_pain001_file_validates_against_the_xsd_and_its_sums_are_the_batch(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.approved(client, engine, world, clock)
    kit.bank(client, world, "other_contributor", kit.CN)
    batch = kit.create(client, world)
    r = client.get(f"{kit.API}/payout-batches/{batch['id']}/pain001", headers=world.admin.headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/xml")
    xmlschema.XMLSchema(kit.xsd_path()).validate(r.content)
    root = ET.fromstring(r.content)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header is not None
    amounts = [e.text for e in root.iterfind(".//p:InstdAmt", NS)]
    assert header.findtext("p:NbOfTxs", namespaces=NS) == str(batch["line_count"]) == "2"
    total = f"{batch['total_minor'] / 100:.2f}"
    assert header.findtext("p:CtrlSum", namespaces=NS) == total
    assert sum(int(a.replace(".", "")) for a in amounts if a) == batch["total_minor"]
    assert root.findtext(".//p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == (
        "DE89370400440532013000"
    )
    members = [e.text for e in root.iterfind(".//p:CdtrAgt//p:MmbId", NS)]
    assert members == ["102100099996"]
    again = client.get(
        f"{kit.API}/payout-batches/{batch['id']}/pain001", headers=world.admin.headers
    )
    assert again.content == r.content  # the same batch, the same bytes


def test_paid_moves_payable_to_cash_and_a_returned_payment_is_in_the_next_batch(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    books = kit.approved(client, engine, world, clock)
    uni, lab = world.contributor.organisation_id, world.other_contributor.organisation_id
    kit.bank(client, world, "other_contributor", kit.CN)
    before = _payable(engine, world.pool_id)
    batch = kit.create(client, world)
    first = {x["contributor_organisation_id"]: x["id"] for x in batch["lines"]}
    early = kit.paid(client, world, first[uni], "BANK-1")
    assert early.status_code == 409  # not sent yet
    kit.sent(client, world, batch["id"])
    assert kit.paid(client, world, first[uni], "BANK-1").status_code == 200
    assert kit.paid(client, world, first[uni], "BANK-1").status_code == 200  # idempotent
    assert kit.returned(client, world, first[lab]).status_code == 200
    after = _payable(engine, world.pool_id)
    paid_out = books["net"][uni]
    assert after["contributor_payable"] == before["contributor_payable"] + paid_out
    assert after["cash"] == before["cash"] - paid_out
    with Session(engine) as s:
        uni_statement = payout_of(s, books["statements"][uni])
        lab_statement = payout_of(s, books["statements"][lab])
    assert (uni_statement.status, uni_statement.reference) == ("paid", "BANK-1")
    assert str(uni_statement.paid_on) == "2025-11-01"
    assert lab_statement.status == "not_yet_paid"
    second = kit.create(client, world, "2025-11-10")
    assert [(x["contributor_organisation_id"], x["amount_minor"]) for x in second["lines"]] == [
        (lab, books["net"][lab])
    ]
    kit.sent(client, world, second["id"], "2025-11-01")
    assert kit.paid(client, world, second["lines"][0]["id"], "BANK-2").status_code == 200
    with Session(engine) as s:
        assert payout_of(s, books["statements"][lab]).reference == "BANK-2"
        assert audit.verify_money(s).ok, audit.verify_money(s)
    view = client.get(
        f"{kit.API}/statements/{books['statements'][lab]}/payout",
        headers=world.other_contributor.headers,
    )
    assert view.status_code == 200
    assert view.json()["status"] == "paid"


def test_a_paid_payment_returned_later_is_payable_again(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    books = kit.approved(client, engine, world, clock)
    uni = world.contributor.organisation_id
    before = _payable(engine, world.pool_id)
    batch = kit.create(client, world)
    kit.sent(client, world, batch["id"])
    line = batch["lines"][0]["id"]
    assert kit.paid(client, world, line, "BANK-1").status_code == 200
    assert kit.returned(client, world, line).status_code == 200
    assert kit.returned(client, world, line).status_code == 200  # idempotent
    assert kit.paid(client, world, line, "BANK-9").status_code == 409
    assert _payable(engine, world.pool_id) == before
    again = kit.create(client, world)
    assert again["lines"][0]["amount_minor"] == books["net"][uni]


def test_bad_dates_are_refused_naming_the_field_and_nothing_is_stored(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.approved(client, engine, world, clock)
    batch = kit.create(client, world)
    r = client.post(
        f"{kit.API}/payout-batches/{batch['id']}/sent",
        json={"sent_on": "2030-01-01"},
        headers=world.admin.headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "sent_on"
    r = client.post(
        f"{kit.API}/payout-batches/{batch['id']}/sent",
        json={"sent_on": "yesterday"},
        headers=world.admin.headers,
    )
    assert r.status_code in (400, 422)
    assert "sent_on" in r.text
    read = client.get(f"{kit.API}/payout-batches/{batch['id']}", headers=world.admin.headers)
    assert read.json()["status"] == "created"
