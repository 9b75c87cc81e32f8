"""Worked examples: the pool's bank statement imported through the API, in both formats.

The clock says 2025-06-02; amounts are US cents. SME L owes INV-000001 (1,000.00) and
INV-000002 (500.00); Big M owes INV-000003 (300.00) and has told the pool, in a payment notice,
that it paid 120.00 on account with transfer reference TT-9981. The month's statement has:

| # | credit | remittance | what happens |
|---|---|---|---|
| 1 | 1,000.00 from SME L | INV-000001 | matched by invoice number: INV-000001 paid |
| 2 | 200.00 | "inv 2 part" | matched by invoice number: INV-000002 partly paid, 300.00 left |
| 3 | 350.00 from Big M | INV-000003 | INV-000003 paid; 50.00 over is Big M's credit |
| 4 | 120.00 | "TT-9981 on account" | Big M's payment notice confirmed with the bank's amount |
| 5 | 300.00 from "sme l." | (nothing) | the payer is SME L and owes exactly 300.00: matched |
| 6 | 77.00 from Unknown Co | "thanks" | nobody's: waits for the administrator |
| 7 | 1,000.00 (entry 1 again) | INV-000001 | the same bank reference: recorded once |
| - | a debit (bank fee) | | skipped |
"""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.audit import AuditEvent
from pool.models.bank import BankCredit, BankStatementFile
from pool.models.billing import Invoice, Payment
from pool.models.billing.payment_notice import PaymentNotice
from pool.services import audit
from pool.services.billing import dues, ledger
from tests.pool.billing import kit
from tests.pool.conftest import World

API = "/api/v1"
Q1 = (date(2025, 1, 1), date(2025, 4, 1))

# (bank reference, booked on, cents, remittance, payer name); None: a debit
ENTRIES: list[tuple[str, str, int, str, str] | None] = [
    ("B-0001", "2025-05-12", 1000_00, "INV-000001 royalty Q1", "SME L"),
    ("B-0002", "2025-05-13", 200_00, "inv 2 part", ""),
    ("B-0003", "2025-05-14", 350_00, "INV-000003", "Big M"),
    ("B-0004", "2025-05-15", 120_00, "TT-9981 on account", ""),
    ("B-0005", "2025-05-16", 300_00, "", "sme l."),
    None,
    ("B-0006", "2025-05-20", 77_00, "thanks", "Unknown Co"),
    ("B-0001", "2025-05-12", 1000_00, "INV-000001 royalty Q1", "SME L"),
]


def camt053(entries: list[tuple[str, str, int, str, str] | None] = ENTRIES) -> bytes:
    rows = []
    for entry in entries:
        if entry is None:
            rows.append(
                "<Ntry><Amt Ccy='USD'>15.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>"
                "<BookgDt><Dt>2025-05-31</Dt></BookgDt><AcctSvcrRef>FEE-1</AcctSvcrRef></Ntry>"
            )
            continue
        reference, booked, cents, remittance, payer = entry
        rows.append(
            f"<Ntry><Amt Ccy='USD'>{cents // 100}.{cents % 100:02d}</Amt>"
            f"<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{booked}</Dt></BookgDt>"
            f"<AcctSvcrRef>{reference}</AcctSvcrRef><NtryDtls><TxDtls>"
            f"<RltdPties><Dbtr><Nm>{payer}</Nm></Dbtr></RltdPties>"
            f"<RmtInf><Ustrd>{remittance}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        )
    body = "\n".join(rows)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>\n'
        "<Stmt><Id>MAY-2025</Id><Acct><Id><IBAN>US00POOL</IBAN></Id><Ccy>USD</Ccy></Acct>\n"
        f"{body}\n</Stmt></BkToCstmrStmt></Document>\n"
    ).encode()


def mt940(entries: list[tuple[str, str, int, str, str] | None] = ENTRIES) -> bytes:
    lines = [":20:MAY-2025", ":25:US00POOL", ":28C:5/1", ":60F:C250501USD0,00"]
    for entry in entries:
        if entry is None:
            lines += [":61:2505310531D15,00NCHGNONREF//FEE-1", ":86:bank fee"]
            continue
        reference, booked, cents, remittance, payer = entry
        day = booked[2:].replace("-", "")
        lines.append(f":61:{day}{day[2:]}C{cents // 100},{cents % 100:02d}NTRFNONREF//{reference}")
        lines.append(f":86:?20{remittance}?32{payer}" if payer else f":86:{remittance}")
    lines.append(":62F:C250531USD0,00")
    return ("\r\n".join(lines) + "\r\n").encode()


FORMATS: dict[str, Callable[..., bytes]] = {"camt.053": camt053, "MT940": mt940}


@pytest.fixture
def owed(engine: Engine, world: World) -> dict[str, int]:
    sme, big = world.licensee.organisation_id or 0, world.other_licensee.organisation_id or 0
    with session_scope(engine) as s:
        mine = kit.agreement(s, pool_id=world.pool_id, licensee_id=sme)
        theirs = kit.agreement(s, pool_id=world.pool_id, licensee_id=big)
        ids = {}
        for number, deal, cents in (
            ("INV-000001", mine, 1000_00),
            ("INV-000002", mine, 500_00),
            ("INV-000003", theirs, 300_00),
        ):
            row = kit.invoice(
                s, agreement_id=deal, number=number, usage=Q1, issued_on=date(2025, 4, 1),
                parts=[(date(2025, 5, 1), cents)],
            )  # fmt: skip
            ids[number] = row.id or 0
        # the daily job has taken them as due (1 May), as it would have by June
        dues.recognise_due(s, pool_id=world.pool_id, as_of=date(2025, 5, 2), now=kit.NOW)
    return ids


def declare_notice(client: TestClient, world: World) -> int:
    answer = client.post(
        f"{API}/payment-notices",
        json={"pool_id": world.pool_id, "reference": "TT-9981", "amount_minor": 125_00,
              "paid_on": "2025-05-14"},
        headers=world.other_licensee.headers,
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def upload(client: TestClient, world: World, content: bytes, who: str = "admin") -> Any:
    return client.post(
        f"{API}/pools/{world.pool_id}/bank-statements",
        content=content,
        headers={**world.callers[who].headers, "Content-Type": "application/octet-stream"},
    )


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as s:
        return (
            s.exec(select(func.count()).select_from(BankStatementFile)).one(),
            s.exec(select(func.count()).select_from(BankCredit)).one(),
            s.exec(select(func.count()).select_from(Payment)).one(),
        )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_statement_is_matched_recorded_and_left_waiting_as_the_worked_example_says(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int], fmt: str
) -> None:
    notice_id = declare_notice(client, world)
    answer = upload(client, world, FORMATS[fmt]())
    assert answer.status_code == 201, answer.text
    summary = answer.json()
    assert {k: summary[k] for k in ("format", "statement_id", "account", "already_imported")} == {
        "format": fmt, "statement_id": "MAY-2025", "account": "US00POOL", "already_imported": False,
    }  # fmt: skip
    assert (summary["credits"], summary["matched"], summary["waiting"]) == (7, 5, 1)
    assert (summary["seen_before"], summary["entries_skipped"]) == (1, 1)
    sme, big = world.licensee.organisation_id, world.other_licensee.organisation_id
    with Session(engine) as s:
        credits = {c.bank_reference: c for c in s.exec(select(BankCredit)).all()}
        decided = {r: (c.status, c.rule, c.licensee_organisation_id) for r, c in credits.items()}
        assert decided == {
            "B-0001": ("matched", "invoice number", sme),
            "B-0002": ("matched", "invoice number", sme),
            "B-0003": ("matched", "invoice number", big),
            "B-0004": ("matched", "payment notice", big),
            "B-0005": ("matched", "licensee and amount", sme),
            "B-0006": ("waiting", None, None),
        }  # fmt: skip
        assert credits["B-0005"].invoice_id == owed["INV-000002"]
        invoices = {i.number: i.status for i in s.exec(select(Invoice)).all()}
        assert invoices == {"INV-000001": "paid", "INV-000002": "paid", "INV-000003": "paid"}
        paid = {
            p.reference: (p.licensee_organisation_id, p.amount_minor, p.received_on)
            for p in s.exec(select(Payment)).all()
        }
        assert paid == {
            "B-0001": (sme, 1000_00, date(2025, 5, 12)),
            "B-0002": (sme, 200_00, date(2025, 5, 13)),
            "B-0003": (big, 350_00, date(2025, 5, 14)),
            "TT-9981": (big, 120_00, date(2025, 5, 15)),  # the bank's amount, not the 125.00 said
            "B-0005": (sme, 300_00, date(2025, 5, 16)),
        }
        notice = s.get(PaymentNotice, notice_id)
        assert notice is not None
        assert notice.status == "confirmed"
        assert credits["B-0004"].payment_id == notice.payment_id
        # Big M: 350.00 + 120.00 received against 300.00 owed
        assert kit.balances(s, big or 0)["licensee_credit"] == -170_00
        assert sum(total for *_, total in ledger.trial_balance(s, pool_id=world.pool_id)) == 0
        imported = s.exec(
            select(AuditEvent).where(AuditEvent.action == "bank_statement.imported")
        ).all()
        assert len(imported) == 1
        money = audit.verify_money(s)  # every payment it recorded is on the record (the
        # kit's invoices were written around the services: their lines are not)
        paid = [d for d in money.disagreements if d.table in ("payment", "payment_allocation")]
        assert paid == []
        assert money.rows_checked["payment"] == 5


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_importing_the_same_statement_again_records_nothing(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int], fmt: str
) -> None:
    first = upload(client, world, FORMATS[fmt]())
    assert first.status_code == 201, first.text
    before = counts(engine)
    again = upload(client, world, FORMATS[fmt]())
    assert again.status_code == 200, again.text
    assert again.json()["already_imported"] is True
    assert again.json()["file_id"] == first.json()["file_id"]
    assert (again.json()["matched"], again.json()["waiting"]) == (0, 0)
    assert counts(engine) == before
    # an overlapping statement (the next one repeats two entries): only the new entry counts
    overlap = FORMATS[fmt]([ENTRIES[0], ENTRIES[6], ("B-0100", "2025-05-30", 42_00, "x", "")])
    answer = upload(client, world, overlap)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["seen_before"], answer.json()["waiting"]) == (2, 1)
    assert counts(engine) == (before[0] + 1, before[1] + 1, before[2])


def test_a_waiting_credit_is_assigned_by_an_administrator_or_dismissed(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int]
) -> None:
    content = camt053([("B-1", "2025-05-20", 300_00, "", "Big M Holdings"),
                       ("B-2", "2025-05-21", 3_12, "interest", "The Bank")])  # fmt: skip
    assert upload(client, world, content).status_code == 201
    waiting = client.get(
        f"{API}/pools/{world.pool_id}/bank-credits",
        params={"status": "waiting"},
        headers=world.admin.headers,
    ).json()
    assert waiting["total"] == 2
    by_ref = {c["bank_reference"]: c for c in waiting["items"]}
    suggested = by_ref["B-1"]["suggestions"]
    assert {"invoice_number": "INV-000003", "why": "owes exactly this on INV-000003"}.items() <= (
        suggested[0].items()
    )
    big = world.other_licensee.organisation_id
    assign = client.post(
        f"{API}/bank-credits/{by_ref['B-1']['id']}/assign",
        json={"licensee_organisation_id": big, "note": "Big M's parent company paid"},
        headers=world.admin.headers,
    )
    assert assign.status_code == 200, assign.text
    assert (assign.json()["status"], assign.json()["rule"]) == ("matched", "administrator")
    again = client.post(
        f"{API}/bank-credits/{by_ref['B-1']['id']}/assign",
        json={"licensee_organisation_id": big},
        headers=world.admin.headers,
    )
    assert again.status_code == 200  # the same decision again: nothing changes
    other = client.post(
        f"{API}/bank-credits/{by_ref['B-1']['id']}/assign",
        json={"licensee_organisation_id": world.licensee.organisation_id},
        headers=world.admin.headers,
    )
    assert other.status_code == 409
    dismissed = client.post(
        f"{API}/bank-credits/{by_ref['B-2']['id']}/dismiss",
        json={"note": "interest paid by the bank"},
        headers=world.admin.headers,
    )
    assert dismissed.status_code == 200, dismissed.text
    assert dismissed.json()["status"] == "dismissed"
    with Session(engine) as s:
        invoice = s.get(Invoice, owed["INV-000003"])
        assert invoice is not None
        assert invoice.status == "paid"
        payments = s.exec(select(Payment.reference)).all()
        assert payments == ["B-1"]
        actions = s.exec(
            select(AuditEvent.action)
            .where(col(AuditEvent.entity_type) == "bank_credit")
            .order_by(col(AuditEvent.id))
        ).all()
        assert actions == ["bank_credit.assigned", "bank_credit.dismissed"]


@pytest.mark.parametrize(
    ("content", "fault"),
    [
        (b"%PDF-1.7 not a statement", {"line": 1}),
        (
            mt940().replace(b":61:2505130513C200,00", b":61:2505XX0513C200,00"),
            {"line": 7, "column": ":61:"},
        ),
        (camt053().replace(b"<Ccy>USD</Ccy>", b"<Ccy>EUR</Ccy>"), {"field": "Stmt[1]/Ntry[1]/Amt"}),
        (camt053([("B-9", "2025-07-01", 1_00, "", "")]), {"field": "booked_on", "line": 4}),
        (camt053([("B-9", "2023-12-31", 1_00, "", "")]), {"field": "booked_on", "line": 4}),
    ],
)
def test_a_bad_statement_is_refused_whole_naming_the_place_and_nothing_is_stored(
    client: TestClient,
    engine: Engine,
    world: World,
    owed: dict[str, int],
    content: bytes,
    fault: dict[str, object],
) -> None:
    answer = upload(client, world, content)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert any(fault.items() <= error.items() for error in answer.json()["errors"]), answer.json()
    assert counts(engine) == (0, 0, 0)


@pytest.mark.parametrize("who", ["auditor", "contributor", "licensee", "other_licensee"])
def test_a_refused_import_or_decision_changes_nothing(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int], who: str
) -> None:
    assert upload(client, world, camt053()).status_code == 201
    with Session(engine) as s:
        credit_id = s.exec(select(BankCredit.id).where(BankCredit.status == "waiting")).first()
    caller = world.callers[who].headers
    assert upload(client, world, mt940(), who).status_code == 403
    listing = client.get(f"{API}/pools/{world.pool_id}/bank-credits", headers=caller)
    one = client.get(f"{API}/bank-credits/{credit_id}", headers=caller)
    reads = 200 if who == "auditor" else 404  # staff read; others are told nothing exists
    assert (listing.status_code, one.status_code) == (reads, reads)
    for action, body in (
        ("assign", {"licensee_organisation_id": world.licensee.organisation_id}),
        ("dismiss", {"note": "mine"}),
    ):
        answer = client.post(f"{API}/bank-credits/{credit_id}/{action}", json=body, headers=caller)
        assert answer.status_code == (403 if who == "auditor" else 404), (action, answer.text)
    with Session(engine) as s:
        assert (
            s.exec(select(BankCredit.status).where(BankCredit.id == credit_id)).one() == "waiting"
        )


def test_a_reference_recorded_before_with_other_money_leaves_the_credit_waiting(
    client: TestClient, engine: Engine, world: World, owed: dict[str, int]
) -> None:
    """An administrator keyed in B-0001 by hand with a typo (100.00); the statement says
    1,000.00. Neither is overwritten: the credit waits, saying why, and nothing else moves."""
    with session_scope(engine) as s:
        kit.pay(s, world, reference="B-0001", amount_minor=100_00, on=date(2025, 5, 12))
    answer = upload(client, world, camt053([ENTRIES[0], ENTRIES[1]]))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["matched"], answer.json()["waiting"]) == (1, 1)
    with Session(engine) as s:
        credit = s.exec(select(BankCredit).where(BankCredit.bank_reference == "B-0001")).one()
        assert credit.status == "waiting"
        assert credit.note == "payment reference B-0001 was recorded with other details"
        amounts = s.exec(select(Payment.amount_minor).where(Payment.reference == "B-0001")).all()
        assert amounts == [100_00]
