"""Payment notices through the API: a licensee says it paid, which changes no balance; an
administrator confirms it (recording the payment once, with the notice's reference) or rejects
it with a reason. Amounts are US cents; the clock says 2025-06-02."""

from datetime import date
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import col, select

from pool.db import session_scope
from pool.models.audit import AuditEvent
from pool.models.billing import Invoice, Payment
from pool.models.outbox import OutboxMessage
from tests.pool.billing import kit
from tests.pool.conftest import World

NOTICES = "/api/v1/payment-notices"
Q1 = (date(2025, 1, 1), date(2025, 4, 1))


def setup(engine: Engine, world: World) -> dict[str, int]:
    """SME L owes 1000.00 on invoice Q1 (due at issue, 2025-04-01); Big M holds an agreement too."""
    with session_scope(engine) as s:
        deal = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.other_licensee.organisation_id or 0
        )
        inv = kit.invoice(
            s,
            agreement_id=deal,
            number="Q1",
            usage=Q1,
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 1000_00)],
        )
        return {"invoice": inv.id or 0}


def notice(invoice_id: int | None, **changes: Any) -> dict[str, Any]:
    return {
        "invoice_id": invoice_id,
        "reference": "TR-2025-0042",
        "amount_minor": 1000_00,
        "paid_on": "2025-05-30",
        "note": "paid from our HSBC account",
        **changes,
    }


def fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_a_notice_changes_no_balance_and_a_retry_returns_the_first(
    client: TestClient, engine: Engine, world: World
) -> None:
    ids = setup(engine, world)
    sme = world.licensee.headers
    first = client.post(NOTICES, json=notice(ids["invoice"]), headers=sme)
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["status"], body["pool_id"], body["currency"]) == ("pending", world.pool_id, "USD")
    again = client.post(NOTICES, json=notice(ids["invoice"], note="sent twice"), headers=sme)
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    clash = client.post(NOTICES, json=notice(ids["invoice"], amount_minor=999_00), headers=sme)
    assert clash.status_code == 409
    with session_scope(engine) as s:
        assert kit.balances(s, world.licensee.organisation_id or 0) == {
            "receivable": 1000_00,
            "royalty_revenue": -1000_00,
        }
        assert s.exec(select(Payment)).all() == []
        actions = s.exec(
            select(AuditEvent.action).where(AuditEvent.entity_type == "payment_notice")
        ).all()
        assert actions == ["payment_notice.declared"]


def test_bad_notices_are_refused_field_by_field(
    client: TestClient, engine: Engine, world: World
) -> None:
    ids = setup(engine, world)
    sme, big = world.licensee.headers, world.other_licensee.headers
    cases = [
        (sme, notice(None), "pool_id"),  # neither pool nor invoice
        (sme, notice(ids["invoice"], pool_id=987_654), "invoice_id"),  # invoice of another pool
        (big, notice(ids["invoice"]), "invoice_id"),  # another licensee's invoice
        (sme, notice(ids["invoice"], paid_on="2025-06-03"), "paid_on"),  # tomorrow
        (sme, notice(ids["invoice"], amount_minor=0), "amount_minor"),
        (sme, notice(ids["invoice"], reference=""), "reference"),
        (sme, notice(ids["invoice"], note="x" * 501), "note"),
    ]
    for headers, body, field in cases:
        response = client.post(NOTICES, json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        assert fields(response) == [field], response.text
    with session_scope(engine) as s:
        kit.pay(s, world, reference="TR-2025-0042", amount_minor=10_00, on=date(2025, 5, 31))
    already = client.post(NOTICES, json=notice(ids["invoice"]), headers=sme)
    assert already.status_code == 422
    assert fields(already) == ["reference"]
    assert "already recorded" in already.json()["errors"][0]["message"]
    assert client.get(NOTICES, headers=sme).json()["total"] == 0


def test_a_licensee_without_an_agreement_in_the_pool_cannot_send_one(
    client: TestClient, engine: Engine, world: World
) -> None:
    body = notice(None, pool_id=world.pool_id)
    response = client.post(NOTICES, json=body, headers=world.licensee.headers)
    assert response.status_code == 422
    assert fields(response) == ["pool_id"]
    setup(engine, world)
    on_account = client.post(NOTICES, json=body, headers=world.licensee.headers)
    assert on_account.status_code == 201
    assert on_account.json()["invoice_id"] is None


def test_confirming_records_the_payment_once_and_tells_the_licensee(
    client: TestClient, engine: Engine, world: World
) -> None:
    ids = setup(engine, world)
    sent = client.post(NOTICES, json=notice(ids["invoice"]), headers=world.licensee.headers)
    url = f"{NOTICES}/{sent.json()['id']}/confirm"
    received = {"amount_minor": 600_00, "received_on": "2025-06-01"}
    confirmed = client.post(url, json=received, headers=world.admin.headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    again = client.post(url, json=received, headers=world.admin.headers)
    assert again.status_code == 200
    assert again.json()["payment_id"] == confirmed.json()["payment_id"]
    other = client.post(url, json={"amount_minor": 700_00}, headers=world.admin.headers)
    assert other.status_code == 409
    assert other.json()["type"].endswith("illegal-transition")
    refused = client.post(
        f"{NOTICES}/{sent.json()['id']}/reject",
        json={"reason": "late"},
        headers=world.admin.headers,
    )
    assert refused.status_code == 409
    with session_scope(engine) as s:
        (payment,) = s.exec(select(Payment)).all()
        assert (payment.reference, payment.amount_minor, payment.received_on) == (
            "TR-2025-0042",
            600_00,
            date(2025, 6, 1),
        )
        assert payment.id == confirmed.json()["payment_id"]
        assert kit.balances(s, world.licensee.organisation_id or 0)["receivable"] == 400_00
        (message,) = s.exec(select(OutboxMessage)).all()
        assert message.recipient_organisation_id == world.licensee.organisation_id
        assert message.dedupe_key == f"payment_notice:{sent.json()['id']}:confirmed"
        assert "$600.00 on Jun 1, 2025" in message.body
        actions = s.exec(
            select(AuditEvent.action)
            .where(col(AuditEvent.action).in_(["payment_notice.confirmed", "payment.recorded"]))
            .order_by(col(AuditEvent.id))
        ).all()
        assert actions == ["payment.recorded", "payment_notice.confirmed"]


def test_confirming_as_notified_pays_the_invoice(
    client: TestClient, engine: Engine, world: World
) -> None:
    ids = setup(engine, world)
    sent = client.post(NOTICES, json=notice(ids["invoice"]), headers=world.licensee.headers)
    url = f"{NOTICES}/{sent.json()['id']}/confirm"
    assert client.post(url, headers=world.admin.headers).status_code == 200
    mine = client.get(f"{NOTICES}/{sent.json()['id']}", headers=world.licensee.headers).json()
    assert mine["status"] == "confirmed"
    with session_scope(engine) as s:
        invoice = s.get(Invoice, ids["invoice"])
        assert invoice is not None
        assert invoice.status == "paid"
        payment = s.get(Payment, mine["payment_id"])
        assert payment is not None
        assert (payment.amount_minor, payment.received_on) == (1000_00, date(2025, 5, 30))


def test_a_rejected_notice_shows_the_reason_and_records_nothing(
    client: TestClient, engine: Engine, world: World
) -> None:
    ids = setup(engine, world)
    sent = client.post(NOTICES, json=notice(ids["invoice"]), headers=world.licensee.headers)
    url = f"{NOTICES}/{sent.json()['id']}"
    reason = {"reason": "no transfer with this reference reached our account"}
    assert (
        client.post(f"{url}/reject", json={"reason": ""}, headers=world.admin.headers).status_code
        == 422
    )
    rejected = client.post(f"{url}/reject", json=reason, headers=world.admin.headers)
    assert rejected.status_code == 200
    assert client.post(f"{url}/reject", json=reason, headers=world.admin.headers).status_code == 200
    assert client.post(f"{url}/confirm", headers=world.admin.headers).status_code == 409
    mine = client.get(url, headers=world.licensee.headers).json()
    assert (mine["status"], mine["reason"], mine["payment_id"]) == (
        "rejected",
        reason["reason"],
        None,
    )
    with session_scope(engine) as s:
        assert s.exec(select(Payment)).all() == []
        (message,) = s.exec(select(OutboxMessage)).all()
        assert reason["reason"] in message.body


def test_staff_filter_the_listing_by_pool_and_status(
    client: TestClient, engine: Engine, world: World
) -> None:
    ids = setup(engine, world)
    sme = world.licensee.headers
    first = client.post(NOTICES, json=notice(ids["invoice"]), headers=sme).json()
    second = client.post(
        NOTICES,
        json=notice(None, pool_id=world.pool_id, reference="TR-2", amount_minor=5_00),
        headers=sme,
    ).json()
    client.post(f"{NOTICES}/{first['id']}/confirm", headers=world.admin.headers)
    admin = world.admin.headers

    def listed(**params: Any) -> list[int]:
        response = client.get(NOTICES, params=params, headers=admin)
        assert response.status_code == 200, response.text
        return [n["id"] for n in response.json()["items"]]

    assert listed() == [first["id"], second["id"]]
    assert listed(status="pending") == [second["id"]]
    assert listed(status="confirmed", pool_id=world.pool_id) == [first["id"]]
    assert listed(pool_id=987_654) == []
    assert client.get(NOTICES, params={"status": "lost"}, headers=admin).status_code == 422
