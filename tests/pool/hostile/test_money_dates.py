"""Dates that move money or report use lie between the pool's first day and today: a payment
notice's date paid, a payment's date received (recorded, or confirmed from a notice), a
write-off's date and a usage report's period. Each refusal is a 422 problem naming the field
and saying why; the web forms use the same services and show the same reason. The test pool
was created on 2024-01-01 (POOL_CREATED); the clock says 2025-06-02."""

import re
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.billing import Payment
from pool.models.billing.payment_notice import PaymentNotice
from pool.models.reporting import UsageReport
from tests.conftest import FakeClock
from tests.pool.billing import kit
from tests.pool.conftest import POOL_CREATED, World
from tests.pool.distribution.kit import PER_UNIT
from tests.pool.reporting.kit import deal, line, submit
from tests.web.conftest import post_form, sign_in

API = "/api/v1"
FIRST_DAY = POOL_CREATED.date().isoformat()  # 2024-01-01
TODAY, TOMORROW, ANCIENT = "2025-06-02", "2025-06-03", "0001-01-01"
BEFORE = "2023-12-31"
BEFORE_POOL = "cannot be before the pool existed"
FUTURE = "cannot be in the future"


@pytest.fixture
def invoice(engine: Engine, world: World) -> int:
    """SME L owes 1000.00 on invoice Q1 (due at issue); Big M holds an agreement too."""
    with session_scope(engine) as s:
        sme = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.other_licensee.organisation_id or 0
        )
        row = kit.invoice(
            s,
            agreement_id=sme,
            number="Q1",
            usage=(date(2025, 1, 1), date(2025, 4, 1)),
            issued_on=date(2025, 4, 1),
            parts=[(date(2025, 4, 1), 1000_00)],
        )
        return row.id or 0


def refused(response: Any, field: str, why: str) -> None:
    """A 422 problem whose one error names `field` and says `why`."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert [(e["field"], why in e["message"]) for e in body["errors"]] == [(field, True)], body
    assert why in body["detail"]


def notice(invoice_id: int, paid_on: str, reference: str = "TR-1") -> dict[str, Any]:
    return {
        "invoice_id": invoice_id,
        "reference": reference,
        "amount_minor": 100_00,
        "paid_on": paid_on,
    }


def payment(world: World, received_on: str, reference: str = "BANK-1") -> dict[str, Any]:
    return {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": reference,
        "amount_minor": 100_00,
        "currency": "USD",
        "received_on": received_on,
    }


def saved(engine: Engine, table: Any) -> int:
    with session_scope(engine) as s:
        return len(s.exec(select(table)).all())


def test_a_payment_notice_is_dated_between_the_pools_first_day_and_today(
    client: TestClient, world: World, invoice: int, engine: Engine
) -> None:
    sme = world.licensee.headers
    for day, why in ((ANCIENT, BEFORE_POOL), (BEFORE, BEFORE_POOL), (TOMORROW, FUTURE)):
        response = client.post(f"{API}/payment-notices", json=notice(invoice, day), headers=sme)
        refused(response, "paid_on", why)
    assert response.json()["detail"] == (
        "paid_on: the date paid cannot be in the future (today is 2025-06-02)"
    )
    ancient = client.post(f"{API}/payment-notices", json=notice(invoice, ANCIENT), headers=sme)
    assert ancient.json()["detail"] == (
        "paid_on: the date paid cannot be before the pool existed "
        "(the pool was created on 2024-01-01)"
    )
    assert saved(engine, PaymentNotice) == 0
    for n, day in enumerate((FIRST_DAY, TODAY)):
        body = notice(invoice, day, reference=f"TR-{n}")
        assert client.post(f"{API}/payment-notices", json=body, headers=sme).status_code == 201


def test_a_payment_is_received_between_the_pools_first_day_and_today(
    client: TestClient, world: World, invoice: int, engine: Engine
) -> None:
    url, admin = f"{API}/pools/{world.pool_id}/payments", world.admin.headers
    for day, why in ((ANCIENT, BEFORE_POOL), (BEFORE, BEFORE_POOL), (TOMORROW, FUTURE)):
        refused(client.post(url, json=payment(world, day), headers=admin), "received_on", why)
    assert saved(engine, Payment) == 0
    for n, day in enumerate((FIRST_DAY, TODAY)):
        body = payment(world, day, reference=f"BANK-{n}")
        assert client.post(url, json=body, headers=admin).status_code == 201


def test_confirming_a_notice_checks_the_date_received_too(
    client: TestClient, world: World, invoice: int, engine: Engine
) -> None:
    sent = client.post(
        f"{API}/payment-notices", json=notice(invoice, TODAY), headers=world.licensee.headers
    )
    url = f"{API}/payment-notices/{sent.json()['id']}/confirm"
    for day, why in ((ANCIENT, BEFORE_POOL), (TOMORROW, FUTURE)):
        answer = client.post(url, json={"received_on": day}, headers=world.admin.headers)
        refused(answer, "received_on", why)
    assert saved(engine, Payment) == 0
    done = client.post(url, json={"received_on": FIRST_DAY}, headers=world.admin.headers)
    assert done.status_code == 200
    assert done.json()["status"] == "confirmed"


def test_a_write_off_is_dated_between_the_pools_first_day_and_today(
    client: TestClient, world: World, invoice: int
) -> None:
    url = f"{API}/invoices/{invoice}/write-off"
    for day, why in ((ANCIENT, BEFORE_POOL), (BEFORE, BEFORE_POOL), (TOMORROW, FUTURE)):
        body = {"on": day, "reason": "insolvent"}
        refused(client.post(url, json=body, headers=world.admin.headers), "on", why)
    assert (
        client.get(f"{API}/invoices/{invoice}", headers=world.admin.headers).json()["status"]
        == "open"
    )
    body = {"on": TODAY, "reason": "insolvent"}
    assert client.post(url, json=body, headers=world.admin.headers).status_code == 200


def test_a_usage_period_that_ended_before_the_pool_existed_is_refused(
    client: TestClient, world: World, engine: Engine
) -> None:
    d = deal(engine, world, royalty=PER_UNIT, start=date(2020, 1, 1))  # signed long before
    mobile = d.products["mobile"]
    why = "the period ended before the pool existed"
    refused(submit(client, world, d, "2023-10-01", [line(mobile, 10)]), "period_start", why)
    nil = client.post(
        f"{API}/agreements/{d.agreement_id}/reports/nil",
        json={"period_start": "2023-10-01"},
        headers=world.licensee.headers,
    )
    refused(nil, "period_start", why)
    assert saved(engine, UsageReport) == 0
    # the quarter the pool was created in is its first period
    assert submit(client, world, d, "2024-01-01", [line(mobile, 10)]).status_code == 201


def test_the_web_forms_give_the_same_reasons(
    client: TestClient, world: World, invoice: int, engine: Engine, clock: FakeClock
) -> None:
    sign_in(client, "sme@example.org")
    page = f"/licensee/invoices/{invoice}"
    form = {"reference": "TR-9", "amount": "100.00", "paid_on": ANCIENT, "note": ""}
    answer = post_form(client, f"{page}/payment-notices", form, page=page)
    assert answer.status_code == 422
    shown = re.search(r'<p class="field-error" id="e-paid_on">([^<]*)</p>', answer.text)
    assert shown is not None
    assert "the date paid cannot be before the pool existed" in shown.group(1)
    assert saved(engine, PaymentNotice) == 0
    client.post("/logout", data={}, follow_redirects=False)
    client.cookies.clear()
    sign_in(client, "admin@example.org")
    receipt = {
        "pool_id": str(world.pool_id),
        "licensee_organisation_id": str(world.licensee.organisation_id),
        "reference": "BANK-9",
        "amount": "100.00",
        "received_on": ANCIENT,
    }
    answer = post_form(client, "/admin/payments", receipt, page="/admin/payments")
    assert answer.status_code == 422
    assert "the date received cannot be before the pool existed" in answer.text
    assert saved(engine, Payment) == 0
