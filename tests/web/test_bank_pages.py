"""The bank statement page over real HTTP: an administrator uploads the pool's statement, reads
what it matched, assigns a waiting credit to a licensee (from a suggestion, or by choosing) or
dismisses it; a bad file is shown line by line and saves nothing; auditors read without forms;
licensees and contributors are told there is nothing here. The clock says 2025-06-02."""

import re
from datetime import date

import pytest
from httpx import Response
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from pool.db import session_scope
from pool.models.bank import BankCredit, BankStatementFile
from pool.models.billing import Invoice, Payment
from pool.services.billing import dues
from tests.pool.billing import kit
from tests.pool.billing.bank.test_import import camt053, mt940
from tests.web.conftest import World, csrf_from, sign_in

Q1 = (date(2025, 1, 1), date(2025, 4, 1))


@pytest.fixture
def owed(engine: Engine, world: World) -> dict[str, int]:
    """SME L owes INV-000001 (1,000.00), Big M INV-000002 (300.00), both due 1 May."""
    ids = {}
    with session_scope(engine) as s:
        for number, caller, cents in (
            ("INV-000001", world.licensee, 1000_00),
            ("INV-000002", world.other_licensee, 300_00),
        ):
            deal = kit.agreement(s, pool_id=world.pool_id, licensee_id=caller.organisation_id or 0)
            row = kit.invoice(
                s, agreement_id=deal, number=number, usage=Q1, issued_on=date(2025, 4, 1),
                parts=[(date(2025, 5, 1), cents)],
            )  # fmt: skip
            ids[number] = row.id or 0
        dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2025, 5, 2), now=kit.NOW)
    return ids


def text_of(html: str) -> str:
    main = html.split("<main", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def upload(client: TestClient, world: World, content: bytes, name: str = "may.xml") -> Response:
    token = csrf_from(client.get("/admin/bank"))
    return client.post(
        "/admin/bank",
        data={"pool_id": str(world.pool_id), "_csrf_token": token},
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


def decide(client: TestClient, credit_id: int, action: str, data: dict[str, str]) -> Response:
    token = csrf_from(client.get("/admin/bank"))
    return client.post(
        f"/admin/bank/credits/{credit_id}/{action}",
        data={**data, "_csrf_token": token},
        follow_redirects=False,
    )


STATEMENT = [
    ("B-1", "2025-05-12", 1000_00, "INV-000001", "SME L"),
    ("B-2", "2025-05-13", 300_00, "", "Big M Group"),
    ("B-3", "2025-05-14", 4_56, "interest", "The Bank"),
]


def test_an_administrator_imports_a_statement_and_decides_what_waits(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    answer = upload(client, world, camt053(STATEMENT))
    assert answer.status_code in (302, 303), answer.text
    summary_page = client.get(answer.headers["location"])
    page = text_of(summary_page.text)
    for shown in (
        "Statement MAY-2025 imported",
        "Credits on the statement 3",
        "Recorded as payments 1",
        "Waiting for you 2",
        "Credits waiting for a decision",
        "$300.00",
        "Big M Group",
        "Assign to Big M",
        "owes exactly this on INV-000002",
    ):
        assert shown in page, shown
    with Session(engine) as s:
        waiting = {
            c.bank_reference: c.id for c in s.exec(select(BankCredit)) if c.status == "waiting"
        }
    assert sorted(waiting) == ["B-2", "B-3"]
    big = world.other_licensee.organisation_id
    choice = {"licensee_organisation_id": str(big), "note": "owes exactly this"}
    assigned = decide(client, waiting["B-2"] or 0, "assign", choice)
    assert assigned.status_code in (302, 303), assigned.text
    dismissed = decide(client, waiting["B-3"] or 0, "dismiss", {"note": "bank interest"})
    assert dismissed.status_code in (302, 303), dismissed.text
    after = text_of(client.get("/admin/bank").text)
    assert "No credit is waiting." in after
    assert "Dismissed: bank interest" in after
    with Session(engine) as s:
        paid = {i.number: i.status for i in s.exec(select(Invoice))}
        assert paid == {"INV-000001": "paid", "INV-000002": "paid"}
        assert sorted(s.exec(select(Payment.reference)).all()) == ["B-1", "B-2"]


def test_the_page_reads_in_chinese(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    assert upload(client, world, mt940(STATEMENT), "may.sta").status_code in (302, 303)
    page = text_of(client.get("/admin/bank", headers={"Accept-Language": "zh-CN"}).text)
    for shown in ("银行对账单", "待处理的入账", "归入 Big M", "记为该被许可人的付款", "排除"):
        assert shown in page, shown


def test_a_bad_file_is_shown_line_by_line_and_nothing_is_saved(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    bad = mt940(STATEMENT).replace(b":61:2505130513C300,00", b":61:2505XX0513C300,00")
    answer = upload(client, world, bad, "may.sta")
    assert answer.status_code == 422
    page = text_of(answer.text)
    assert "What is wrong in the file" in page
    assert "7 :61: a statement line is YYMMDD[MMDD]" in page
    no_file = upload(client, world, b"", "")
    assert no_file.status_code == 422
    assert "choose the bank statement file" in text_of(no_file.text)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(BankStatementFile)).one() == 0
        assert s.exec(select(func.count()).select_from(Payment)).one() == 0


def test_auditors_read_without_forms_and_others_find_nothing(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    upload(client, world, camt053(STATEMENT))
    client.cookies.clear()
    sign_in(client, "auditor@example.org")
    page = client.get("/admin/bank")
    assert page.status_code == 200
    assert "Big M Group" in page.text
    assert 'action="/admin/bank"' not in page.text
    assert "/assign" not in page.text
    with Session(engine) as s:
        credit_id = s.exec(select(BankCredit.id).where(BankCredit.status == "waiting")).first()
    refused = decide(client, credit_id or 0, "dismiss", {"note": "mine"})
    assert refused.status_code == 403
    for email in ("sme@example.org", "uni@example.org"):
        client.cookies.clear()
        sign_in(client, email)
        assert client.get("/admin/bank").status_code == 404
    with Session(engine) as s:
        assert (
            s.exec(select(BankCredit.status).where(BankCredit.id == credit_id)).one() == "waiting"
        )
