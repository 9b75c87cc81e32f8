"""What a licensee reads is in its page's language, money in major units (issue 15): the
computation of each invoice line, the descriptions of its account entries. Over real HTTP on a
real database, the invoices and entries made by the services themselves."""

import re
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.billing import InvoiceLine
from pool.models.ledger import JournalEntry
from pool.services.billing import dues
from tests.conftest import FakeClock
from tests.pool.reporting.kit import API, Deal, cover, deal, line, submit
from tests.web.conftest import World, post_form, sign_in

TERMS = {
    "terms_version": "words",
    "currency": "USD",
    "minor_unit_exponent": 2,
    "categories": [{"category": "mobile", "rate": "1.00"}],
    "free_units_per_year": 10,
    "entry_fee_minor": 5000,
    "discounts": {"order": ["early_signer"], "early_signer": "0.9"},
}


def text_of(html: str) -> str:
    """What a reader sees of the page's main part: tags dropped, spaces collapsed."""
    main = html.split("<main", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def mine(engine: Engine, world: World) -> Deal:
    cover(engine, world, "US", date(2020, 1, 1))
    return deal(engine, world, royalty=TERMS, early_signer=True)


def in_chinese(client: TestClient) -> None:
    post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")


def test_an_invoice_says_how_each_line_was_computed(
    client: TestClient, engine: Engine, world: World, mine: Deal
) -> None:
    receipt = submit(client, world, mine, "2025-01-01", [line(mine.products["mobile"], 110)])
    invoice_id = ok(receipt, 201)["invoice_id"]
    api = ok(client.get(f"{API}/invoices/{invoice_id}", headers=world.licensee.headers))
    assert [x["facts"]["basis"] for x in api["lines"]] == ["free_allowance", "per_unit"]
    assert api["lines"][1]["facts"]["discounts"] == [
        {"kind": "early_signer", "detail": "yes", "multiplier": "0.9"}
    ]
    sign_in(client, "sme@example.org")
    english = text_of(client.get(f"/licensee/invoices/{invoice_id}").text)
    assert "10 units within the year's free allowance: no royalty" in english
    assert (
        "100 units × $1.00 per unit; early-signer discount × 0.9; rounded to the nearest $0.01"
        " (half to even): $90.00"
    ) in english
    in_chinese(client)
    chinese = text_of(client.get(f"/licensee/invoices/{invoice_id}").text)
    assert "10 件在本年度免费额度内：不收许可费" in chinese
    assert (
        "100 件 × 每件 US$1.00；早期签约优惠 × 0.9；按四舍六入五成双（银行家舍入）精确到"
        " US$0.01：US$90.00"
    ) in chinese
    assert "per_unit" not in chinese
    assert "rounded half-even" not in chinese


def test_a_line_issued_before_facts_were_stored_shows_its_explanation(
    client: TestClient, engine: Engine, world: World, mine: Deal
) -> None:
    receipt = submit(client, world, mine, "2025-01-01", [line(mine.products["mobile"], 110)])
    invoice_id = ok(receipt, 201)["invoice_id"]
    with session_scope(engine) as s:  # as migration 0011 leaves the lines issued before it
        s.execute(update(InvoiceLine).values(facts=None))
    api = ok(client.get(f"{API}/invoices/{invoice_id}", headers=world.licensee.headers))
    assert [x["facts"] for x in api["lines"]] == [None, None]
    sign_in(client, "sme@example.org")
    page = text_of(client.get(f"/licensee/invoices/{invoice_id}").text)
    assert "[per_unit] 100 units x 1 per unit, flat rate; early_signer yes x0.9" in page


def test_a_fixed_fee_line_says_which_fee_and_its_date(
    client: TestClient, world: World, mine: Deal
) -> None:
    url = f"{API}/pools/{world.pool_id}/fixed-fees/issue"
    (fee,) = ok(client.post(url, headers=world.admin.headers))
    sign_in(client, "sme@example.org")
    assert "Entry fee, billed on Jan 1, 2025" in client.get(f"/licensee/invoices/{fee['id']}").text
    in_chinese(client)
    assert "入门费，计费日 2025年1月1日" in client.get(f"/licensee/invoices/{fee['id']}").text


def every_kind_of_entry(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, mine: Deal
) -> None:
    """The entry fee (INV-000001) issued and written off; Q1's royalties (INV-000002: 110
    units, the first 10 free, 100 x 1.00 x 0.9 = 90.00) paid 55.00 of by a payment (BANK-1),
    then corrected to 60 units (INV-000002 cancelled, its 55.00 released as credit, INV-000003
    for 45.00 settled from it); a second agreement's Q2 invoice (INV-000004, 20.00) deferred
    to 1 October: the 10.00 of credit left settles half of it at once (paying early is
    paying), and the other half falls due on 1 October."""
    fee = ok(
        client.post(f"{API}/pools/{world.pool_id}/fixed-fees/issue", headers=world.admin.headers)
    )
    written = {"on": "2025-06-01", "reason": "waived by the board"}
    ok(
        client.post(
            f"{API}/invoices/{fee[0]['id']}/write-off", json=written, headers=world.admin.headers
        )
    )
    report = ok(
        submit(client, world, mine, "2025-01-01", [line(mine.products["mobile"], 110)]), 201
    )
    payment = {
        "licensee_organisation_id": world.licensee.organisation_id,
        "reference": "BANK-1",
        "amount_minor": 5500,
        "currency": "USD",
        "received_on": "2025-05-15",
    }
    ok(
        client.post(
            f"{API}/pools/{world.pool_id}/payments", json=payment, headers=world.admin.headers
        ),
        201,
    )
    fix = {"lines": [line(mine.products["mobile"], 60)]}
    ok(
        client.post(
            f"{API}/reports/{report['id']}/correction", json=fix, headers=world.licensee.headers
        ),
        201,
    )
    later = deal(
        engine,
        world,
        royalty={**TERMS, "terms_version": "later", "entry_fee_minor": 0},
        payment={"net_days": 30, "grace": {"months": 3}},
    )
    clock.advance(days=30)  # 2 July: Q2 has ended
    ok(submit(client, world, later, "2025-04-01", [line(later.products["mobile"], 20)]), 201)
    clock.advance(days=92)  # 2 October
    with session_scope(engine) as s:
        dues.recognise_due(s, pool_id=world.pool_id, as_of=clock().date(), now=clock())


def test_account_entries_are_described_in_the_pages_language(
    client: TestClient, engine: Engine, world: World, clock: FakeClock, mine: Deal
) -> None:
    every_kind_of_entry(client, engine, world, clock, mine)
    url = f"{API}/licensees/{world.licensee.organisation_id}/account?pool_id={world.pool_id}"
    lines = ok(client.get(url, headers=world.licensee.headers))["lines"]
    assert [
        (x["kind"], x["invoice_number"], x["payment_reference"], x["due_on"]) for x in lines
    ] == [
        ("invoice_issued", "INV-000001", None, None),
        ("payment_received", None, "BANK-1", None),
        ("write_off", "INV-000001", None, None),
        ("invoice_issued", "INV-000002", None, None),
        ("invoice_cancelled", "INV-000002", None, None),
        ("allocations_released", "INV-000002", None, None),
        ("invoice_issued", "INV-000003", None, None),
        ("credit_applied", "INV-000003", "BANK-1", None),
        ("invoice_issued", "INV-000004", None, None),
        ("credit_applied", "INV-000004", "BANK-1", None),
        ("deferred_due", "INV-000004", None, "2025-10-01"),
    ]
    sign_in(client, "sme@example.org")
    english = text_of(client.get("/licensee/account").text)
    for shown in (
        "Payment BANK-1",
        "Invoice INV-000001 written off",
        "Credit from payment BANK-1 applied to invoice INV-000003",
        "Invoice INV-000002 cancelled: a corrected usage report changed it, and a new invoice"
        " replaces it",
        "What you paid on cancelled invoice INV-000002 is your credit again",
        "Invoice INV-000004: the part due on Oct 1, 2025",
    ):
        assert shown in english, shown
    in_chinese(client)
    chinese = text_of(client.get("/licensee/account").text)
    for shown in (
        "付款 BANK-1",
        "发票 INV-000001 已核销",
        "以付款 BANK-1 的余额抵付发票 INV-000003",
        "发票 INV-000002 已作废：使用报告更正后金额有变，由新发票取代",
        "已作废发票 INV-000002 上的付款已转回贵方余额",
        "发票 INV-000004：2025年10月1日 到期的部分",
    ):
        assert shown in chinese, shown
    for memo in (
        "payment BANK-1",
        "report corrected",
        "write-off of invoice",
        "released as credit",
    ):
        assert memo not in chinese, memo
    with Session(engine) as s:  # the memos stay in the ledger, in English
        memos = s.exec(select(JournalEntry.memo).order_by(col(JournalEntry.id))).all()
    assert "payment BANK-1" in memos
    assert "invoice INV-000002 cancelled: report corrected" in memos
