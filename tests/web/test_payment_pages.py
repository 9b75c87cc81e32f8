"""Payment pages over real HTTP: a licensee records a payment on its invoice (a notice that
changes no balance), an administrator confirms it (the money is recorded once, as received)
or rejects it with a reason the licensee reads, or records money that came without a notice.
Forms refuse bad input next to the field and save nothing; auditors read the page without
forms; other roles and other licensees' ids answer 404. The clock says 2025-06-02."""

import re
from datetime import date

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.billing import Payment
from pool.models.billing.payment_notice import PaymentNotice
from tests.pool.billing import kit
from tests.web.conftest import World, csrf_from, sign_in

Q1 = (date(2025, 1, 1), date(2025, 4, 1))


@pytest.fixture
def bills(engine: Engine, world: World) -> dict[str, int]:
    """SME L owes $1,000.00 on invoice SME-Q1 and Big M $500.00 on BIG-Q1, due at issue."""
    ids = {}
    with session_scope(engine) as s:
        for name, caller, amount in (
            ("sme", world.licensee, 1000_00),
            ("big", world.other_licensee, 500_00),
        ):
            deal = kit.agreement(s, pool_id=world.pool_id, licensee_id=caller.organisation_id or 0)
            inv = kit.invoice(
                s,
                agreement_id=deal,
                number=f"{name.upper()}-Q1",
                usage=Q1,
                issued_on=date(2025, 4, 1),
                parts=[(date(2025, 4, 1), amount)],
            )
            ids[name] = inv.id or 0
    return ids


def text_of(html: str) -> str:
    main = html.split("<main", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def post(client: TestClient, page: str, url: str, data: dict[str, str]) -> Response:
    token = csrf_from(client.get(page))
    return client.post(url, data={**data, "_csrf_token": token}, follow_redirects=False)


def notify(client: TestClient, invoice_id: int, **changes: str) -> Response:
    page = f"/licensee/invoices/{invoice_id}"
    data = {"reference": "TR-77", "amount": "1,000.00", "paid_on": "2025-05-30", "note": ""}
    return post(client, page, f"{page}/payment-notices", {**data, **changes})


def notices(engine: Engine) -> list[PaymentNotice]:
    with session_scope(engine) as s:
        return list(s.exec(select(PaymentNotice)).all())


def recorded(engine: Engine) -> list[tuple[str, int, date]]:
    with session_scope(engine) as s:
        return [(p.reference, p.amount_minor, p.received_on) for p in s.exec(select(Payment))]


def test_a_licensee_records_a_payment_and_sees_it_waiting(
    client: TestClient, engine: Engine, world: World, bills: dict[str, int]
) -> None:
    sign_in(client, "sme@example.org")
    invoice = client.get(f"/licensee/invoices/{bills['sme']}").text
    assert 'name="reference" type="text" value="SME-Q1"' in invoice
    assert 'name="amount" type="text" value="1000.00"' in invoice
    assert 'name="paid_on" type="date" value="2025-06-02"' in invoice
    sent = notify(
        client, bills["sme"], reference="SME-Q1", amount="400", note="from our HSBC account"
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/licensee/invoices/{bills['sme']}#notices"
    html = client.get(f"/licensee/invoices/{bills['sme']}").text
    shown = text_of(html)
    assert "SME-Q1 May 30, 2025 $400.00 Waiting for the pool to confirm" in shown
    assert "Paid $0.00" in shown  # a notice is not cash
    assert 'name="reference" type="text" value="SME-Q1-2"' in html  # the next reference
    assert 'name="amount" type="text" value="600.00"' in html  # what is not yet notified
    assert (
        "Payment recorded, waiting for the pool to confirm" in client.get("/licensee/invoices").text
    )
    assert "Waiting for the pool to confirm" in client.get("/licensee/account").text
    assert notify(client, bills["sme"], reference="SME-Q1-2", amount="600").status_code == 303
    covered = client.get(f"/licensee/invoices/{bills['sme']}").text
    assert "The payments you recorded cover what is left to pay." in covered
    assert 'name="reference"' not in covered
    assert [(n.reference, n.amount_minor, n.note, n.status) for n in notices(engine)] == [
        ("SME-Q1", 400_00, "from our HSBC account", "pending"),
        ("SME-Q1-2", 600_00, None, "pending"),
    ]
    assert recorded(engine) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "12.345"}, "amount", "this currency has fewer decimals"),
        ({"amount": "twelve"}, "amount", "enter an amount such as 1250.00"),
        ({"amount": "-5"}, "amount", "enter an amount greater than zero"),
        ({"amount": "0.00"}, "amount", "enter an amount greater than zero"),
        ({"amount": "1e999999999"}, "amount", "enter an amount such as 1250.00"),  # no 500
        ({"amount": "1e-999999999"}, "amount", "enter an amount such as 1250.00"),  # not 0
        ({"amount": "12345678901234567"}, "amount", "enter an amount such as 1250.00"),
        ({"paid_on": "2025-06-03"}, "paid_on", "the date paid cannot be in the future"),
        ({"paid_on": "soon"}, "paid_on", "enter a date"),
        ({"reference": " "}, "reference", "required"),
    ],
)
def test_a_bad_notice_is_shown_next_to_its_field_and_nothing_is_saved(
    client: TestClient,
    engine: Engine,
    world: World,
    bills: dict[str, int],
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    sign_in(client, "sme@example.org")
    response = notify(client, bills["sme"], **changes)
    assert response.status_code == 422
    html = response.text
    error = re.search(rf'<p class="field-error" id="e-{field}">([^<]*)</p>', html)
    assert error is not None, html
    assert message in error.group(1)
    typed = next(iter(changes.values()))
    if typed.strip():
        assert f'value="{typed}"' in html  # what was typed is kept
    assert notices(engine) == []


def test_the_same_reference_for_other_money_is_refused(
    client: TestClient, engine: Engine, world: World, bills: dict[str, int]
) -> None:
    sign_in(client, "sme@example.org")
    assert notify(client, bills["sme"]).status_code == 303
    assert notify(client, bills["sme"]).status_code == 303  # a retry: the same notice
    clash = notify(client, bills["sme"], amount="999.00")
    assert clash.status_code == 409
    assert "was sent with other details" in clash.text
    assert len(notices(engine)) == 1


def test_another_licensees_invoice_and_the_admin_page_are_not_found(
    client: TestClient, engine: Engine, world: World, bills: dict[str, int]
) -> None:
    sign_in(client, "big@example.org")
    assert client.get(f"/licensee/invoices/{bills['sme']}").status_code == 404
    token = csrf_from(client.get("/licensee/invoices"))
    data = {"reference": "X", "amount": "1.00", "paid_on": "2025-06-01", "_csrf_token": token}
    refused = client.post(f"/licensee/invoices/{bills['sme']}/payment-notices", data=data)
    assert refused.status_code == 404
    assert client.get("/admin/payments").status_code == 404
    assert notices(engine) == []
    client.post("/logout", data={"_csrf_token": token})
    sign_in(client, "uni@example.org")
    assert client.get("/admin/payments").status_code == 404


def test_an_administrator_confirms_what_the_bank_shows(
    client: TestClient, browser: TestClient, engine: Engine, world: World, bills: dict[str, int]
) -> None:
    sign_in(client, "sme@example.org")
    notify(client, bills["sme"], note="first instalment")
    (notice,) = notices(engine)
    sign_in(browser, "admin@example.org")
    html = browser.get("/admin/payments").text
    shown = text_of(html)
    assert "SME L · TR-77" in shown
    assert (
        "Invoice SME-Q1 Amount paid $1,000.00 Date paid May 30, 2025 Note first instalment" in shown
    )
    assert f'action="/admin/payments/notices/{notice.id}/confirm"' in html
    url = f"/admin/payments/notices/{notice.id}/confirm"
    bad = post(browser, "/admin/payments", url, {"amount": "600.001", "received_on": "2025-06-01"})
    assert bad.status_code == 422
    assert f'id="e-notice-{notice.id}-confirm-amount"' in bad.text
    assert 'value="600.001"' in bad.text
    late = post(browser, "/admin/payments", url, {"amount": "600", "received_on": "2025-06-09"})
    assert "the date received cannot be in the future" in late.text
    assert recorded(engine) == []
    done = post(browser, "/admin/payments", url, {"amount": "600.00", "received_on": "2025-06-01"})
    assert done.status_code == 303
    assert recorded(engine) == [("TR-77", 600_00, date(2025, 6, 1))]
    after = text_of(browser.get("/admin/payments").text)
    assert "No payment is waiting for confirmation." in after
    assert "Jun 1, 2025 SME L TR-77 $600.00 SME-Q1: $600.00 $0.00" in after
    mine = text_of(client.get(f"/licensee/invoices/{bills['sme']}").text)
    assert "Confirmed: the pool has received it" in mine
    assert "Paid $600.00 Still owed $400.00" in mine


def test_a_rejected_notice_tells_the_licensee_why(
    client: TestClient, browser: TestClient, engine: Engine, world: World, bills: dict[str, int]
) -> None:
    sign_in(client, "sme@example.org")
    notify(client, bills["sme"])
    (notice,) = notices(engine)
    sign_in(browser, "admin@example.org")
    url = f"/admin/payments/notices/{notice.id}/reject"
    empty = post(browser, "/admin/payments", url, {"reason": " "})
    assert empty.status_code == 422
    assert f'id="e-notice-{notice.id}-reject-reason"' in empty.text
    reason = "no transfer TR-77 reached our account"
    assert post(browser, "/admin/payments", url, {"reason": reason}).status_code == 303
    mine = text_of(client.get(f"/licensee/invoices/{bills['sme']}").text)
    assert f"Rejected: {reason}" in mine
    assert recorded(engine) == []


def test_an_administrator_records_money_that_came_without_a_notice(
    client: TestClient, engine: Engine, world: World, bills: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    page = client.get("/admin/payments").text
    assert f'hx-get="/pick/licensees?pool={world.pool_id}"' in page  # no 200-name select
    assert 'list="licensee-options"' in page
    form = {"pool_id": str(world.pool_id), "reference": "BANK-9", "received_on": "2025-06-01"}
    missing = post(client, "/admin/payments", "/admin/payments", {**form, "amount": "700"})
    assert missing.status_code == 422
    assert 'id="e-receipt-licensee"' in missing.text
    payer = {**form, "licensee_organisation_id": str(world.other_licensee.organisation_id)}
    bad = post(client, "/admin/payments", "/admin/payments", {**payer, "amount": "7OO"})
    assert 'id="e-receipt-amount"' in bad.text
    assert recorded(engine) == []
    done = post(client, "/admin/payments", "/admin/payments", {**payer, "amount": "700.00"})
    assert done.status_code == 303
    assert recorded(engine) == [("BANK-9", 700_00, date(2025, 6, 1))]
    shown = text_of(client.get("/admin/payments").text)
    assert "Jun 1, 2025 Big M BANK-9 $700.00 BIG-Q1: $500.00 $200.00" in shown


def test_an_auditor_reads_the_page_without_forms(
    client: TestClient, browser: TestClient, engine: Engine, world: World, bills: dict[str, int]
) -> None:
    sign_in(browser, "sme@example.org")
    notify(browser, bills["sme"])
    (notice,) = notices(engine)
    sign_in(client, "auditor@example.org")
    html = client.get("/admin/payments").text
    assert "SME L · TR-77" in text_of(html)
    assert "/admin/payments/notices/" not in html
    assert 'action="/admin/payments"' not in html
    assert 'href="/admin/payments"' in html  # the menu entry
    url = f"/admin/payments/notices/{notice.id}/confirm"
    refused = post(client, "/admin/payments", url, {"amount": "1000", "received_on": "2025-06-01"})
    assert refused.status_code == 403
    assert recorded(engine) == []
    assert notices(engine)[0].status == "pending"
