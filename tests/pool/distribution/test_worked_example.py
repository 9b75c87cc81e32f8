"""The period close worked by hand, end to end through HTTP: report -> invoice -> payments in
two parts -> period close -> approval -> statements -> the contributor's download.

Q1 2025 invoice (net 0 days): 1,000 units sold in the US = 500.00, 2,001 units sold in
Germany = 1,000.50, all made in China. Uni A holds 3 CN patents, Lab B 1 CN and 1 US; no pool
patent in Germany, so that money falls in the CN bucket (country of manufacture). Fee 10 %,
both contributors withhold 10 %.

Q2: 1,000.00 received on 2025-05-20.
  over the invoice's country pairs by line amount: DE/CN 66,677.77 -> 66,678, US/CN 33,322
  fee 10,000; distributable 90,000 by bucket: CN 60,010.2 -> 60,010, US 29,989.8 -> 29,990
  CN bucket 3:1 -> Uni 45,007.5, Lab 15,002.5; US bucket -> Lab 29,990
  totals by largest remainder (tie .5/.5 to the lower id, Uni): Uni 45,008, Lab 44,992
  withholding 10 %: Uni 4,500.8 -> 4,501, Lab 4,499.2 -> 4,499; nets 40,507 and 40,493
  40,507 + 40,493 + 4,501 + 4,499 + 10,000 = 100,000.
Q3: the rest, 500.50, received on 2025-08-15: Q1's usage re-apportioned on 1,500.50 and the
difference paid as an adjustment linked to the Q2 statement period.
  cumulative: fee 15,005 (half-even of 15,005.0); distributable 135,045, CN 90,045, US 45,000
  CN 3:1 -> Uni 67,533.75, Lab 22,511.25; Lab US 45,000 -> Uni 67,534, Lab 67,511
  adjustments: Uni 67,534 - 45,008 = 22,526, Lab 67,511 - 44,992 = 22,519
  withholding: 2,252.6 -> 2,253 and 2,251.9 -> 2,252; nets 20,273 and 20,267
  20,273 + 20,267 + 2,253 + 2,252 + 5,005 = 50,050.
"""

import csv
import io
from datetime import UTC, datetime

from litestar.testing import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import select

from pool.db import session_scope
from pool.models.distribution import DistributionRun
from pool.models.organisation import Organisation
from pool.models.outbox import OutboxMessage
from pool.services.billing import ledger
from pool.services.distribution import runs as distribution_runs
from pool.services.statements.documents import labels
from tests.conftest import FakeClock
from tests.pool.conftest import World
from tests.pool.distribution import kit

API = "/api/v1"


def test_two_part_payment_closes_into_two_statements_that_add_up(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.worked_example(client, engine, world, clock)
    with session_scope(engine) as s:
        uni = s.get(Organisation, world.contributor.organisation_id)
        assert uni is not None
        uni.name, uni.language = "北京理工大学", "zh-CN"
        s.add(uni)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)

    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    assert (q2["status"], q2["received_minor"], q2["admin_fee_minor"]) == ("draft", 100000, 10000)
    assert kit.by_contributor(q2, world) == {
        "contributor": (45008, 0, 4501, 40507),
        "other_contributor": (44992, 0, 4499, 40493),
    }
    assert q2["withholding_minor"] + q2["net_payable_minor"] + q2["admin_fee_minor"] == 100000
    assert q2["formula_version"]
    assert len(q2["input_sha256"]) == 64
    kit.approve(client, world, q2["id"])
    issued = kit.issue(client, world, q2["id"])
    assert sorted(s["net_payable_minor"] for s in issued) == [40493, 40507]

    mine = client.get(f"{API}/statements", headers=world.contributor.headers).json()
    assert mine["total"] == 1
    statement = mine["items"][0]
    assert statement["serial"].startswith(f"PP{world.pool_id:04d}-202504-")
    assert {d["format"] for d in statement["documents"]} == {"html", "csv", "pdf"}
    base = f"{API}/statements/{statement['id']}/documents"
    pdf = client.get(f"{base}/pdf", headers=world.contributor.headers)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "北京理工大学" in text
    assert "405.07" in text
    again = client.get(f"{base}/pdf", headers=world.contributor.headers)
    assert again.content == pdf.content
    assert pdf.headers["x-content-sha256"] == next(
        d["sha256"] for d in statement["documents"] if d["format"] == "pdf"
    )
    csv_response = client.get(f"{base}/csv", headers=world.contributor.headers)
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    content = csv_response.content
    everything = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, *rows = everything[everything.index([]) + 1 :]  # after the header block
    amount, kind = header.index(labels("zh")["col_amount_minor"]), len(header) - 1
    assert (
        sum(int(r[amount]) for r in rows if r[kind] in ("line", "adjustment", "withholding"))
        == 40507
    )
    assert [r[amount] for r in rows if r[kind] == "total_net"] == ["40507"]
    with session_scope(engine) as s:  # its e-mail, in Chinese: major units, first and last day
        letter = s.exec(select(OutboxMessage).where(OutboxMessage.statement_id == statement["id"]))
        [(subject, body)] = [(m.subject, m.body) for m in letter]
    assert (
        subject
        == f"专利许可费结算单 {statement['serial']}：Test pool，2025年4月1日 至 2025年6月30日"
    )
    assert "（结算期间 2025年4月1日 至 2025年6月30日，应付净额 US$405.07）" in body

    kit.pay(client, world, "Q3-1", 50050, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q3 = kit.close(client, world, "2025-07-01")
    assert (q3["received_minor"], q3["admin_fee_minor"]) == (50050, 5005)
    assert kit.by_contributor(q3, world) == {
        "contributor": (0, 22526, 2253, 20273),
        "other_contributor": (0, 22519, 2252, 20267),
    }
    [usage] = q3["usage_periods"]
    assert (usage["usage_start"], usage["first_run_id"]) == ("2025-01-01", q2["id"])
    kit.approve(client, world, q3["id"])
    kit.issue(client, world, q3["id"])

    with session_scope(engine) as s:
        balances = {a: b for a, _, b in ledger.trial_balance(s, pool_id=world.pool_id)}
    assert sum(balances.values()) == 0
    assert balances["admin_fee"] == -15005
    assert balances["withholding_tax_payable"] == -(4501 + 4499 + 2253 + 2252)
    assert balances["contributor_payable"] == -(40507 + 40493 + 20273 + 20267)
    assert balances["royalty_revenue"] == 0  # every unit invoiced was received and distributed


def test_periods_close_in_order_and_approved_runs_are_immutable(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    later = client.post(
        f"{API}/pools/{world.pool_id}/distribution-runs",
        json={"period_start": "2025-07-01"},
        headers=world.admin.headers,
    )
    assert later.status_code == 409
    assert "not approved" in later.json()["detail"]
    again = kit.close(client, world, "2025-04-01")  # a draft is recomputed, same figures
    assert (again["id"], again["computations"], again["input_sha256"]) == (
        q2["id"],
        2,
        q2["input_sha256"],
    )
    kit.approve(client, world, q2["id"])
    for path in ("approve", "recompute"):
        r = client.post(f"{API}/distribution-runs/{q2['id']}/{path}", headers=world.admin.headers)
        assert r.status_code == 409, r.text
    earlier = client.post(
        f"{API}/pools/{world.pool_id}/distribution-runs",
        json={"period_start": "2025-01-01"},
        headers=world.admin.headers,
    )
    assert earlier.status_code == 409
    assert "in order" in earlier.json()["detail"]
    unended = client.post(
        f"{API}/pools/{world.pool_id}/distribution-runs",
        json={"period_start": "2025-10-01"},
        headers=world.admin.headers,
    )
    assert unended.status_code == 422
    assert unended.json()["errors"][0]["field"] == "period_start"


def test_a_corrected_report_claws_back_as_a_negative_adjustment(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    """Q1 paid in full in Q2 and distributed; in Q3 the licensee corrects Q1 down to the
    1,000 US units (500.00). The old invoice is cancelled, its payment becomes credit, the new
    invoice takes 500.00 of it: Q1's cumulative money falls from 1,500.50 to 500.00, and the
    Q3 run gives back the difference as negative adjustments linked to Q2.

    Cumulative on 500.00 (all US/CN: US bucket, Lab B alone): fee 5,000, Lab 45,000.
    Q2 paid on 1,500.50: fee 15,005, Uni 67,534, Lab 67,511 (see the module docstring).
    Q3: received -100,050, fee -10,005; Uni -67,534, Lab 45,000 - 67,511 = -22,511.
    Withholding: -6,753.4 -> -6,753 and -2,251.1 -> -2,251."""
    books = kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 150050, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    assert kit.by_contributor(q2, world) == {
        "contributor": (67534, 0, 6753, 60781),
        "other_contributor": (67511, 0, 6751, 60760),
    }
    kit.approve(client, world, q2["id"])

    clock.now = datetime(2025, 8, 20, 9, tzinfo=UTC)
    invoice = client.get(f"{API}/invoices/{books.invoice_id}", headers=world.admin.headers)
    report_id = invoice.json()["report_id"]
    mobile = books.deal.products["mobile"]
    corrected = client.post(
        f"{API}/reports/{report_id}/correction",
        json={"lines": [kit.line(mobile, 1000, made="CN", sold="US")]},
        headers=world.licensee.headers,
    )
    assert corrected.status_code in (200, 201), corrected.text

    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q3 = kit.close(client, world, "2025-07-01")
    assert (q3["received_minor"], q3["admin_fee_minor"]) == (-100050, -10005)
    assert kit.by_contributor(q3, world) == {
        "contributor": (0, -67534, -6753, -60781),
        "other_contributor": (0, -22511, -2251, -20260),
    }
    assert q3["withholding_minor"] + q3["net_payable_minor"] + q3["admin_fee_minor"] == -100050
    kit.approve(client, world, q3["id"])
    issued = {s["contributor_organisation_id"]: s for s in kit.issue(client, world, q3["id"])}
    uni = issued[world.contributor.organisation_id]
    assert (uni["adjustments_minor"], uni["net_payable_minor"]) == (-67534, -60781)


def test_a_runs_split_by_country_is_its_change_per_bucket(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    kit.worked_example(client, engine, world, clock)
    kit.pay(client, world, "Q2-1", 100000, "2025-05-20", clock)
    clock.now = datetime(2025, 8, 1, 9, tzinfo=UTC)
    q2 = kit.close(client, world, "2025-04-01")
    kit.approve(client, world, q2["id"])
    kit.pay(client, world, "Q3-1", 50050, "2025-08-15", clock)
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    q3 = kit.close(client, world, "2025-07-01")
    with session_scope(engine) as s:
        runs = [s.get(DistributionRun, q["id"]) for q in (q2, q3)]
        splits = [distribution_runs.split_by_country(s, run) for run in runs if run]
    # Q2: CN bucket 60,010 (Uni 45,008 + Lab 15,002), US 29,990; Q3 pays the cumulative
    # difference: CN 90,045 - 60,010, US 45,000 - 29,990
    assert splits == [[("CN", 60010), ("US", 29990)], [("CN", 30035), ("US", 15010)]]


def test_a_statement_period_must_be_one_of_the_pools_cadence(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    clock.now = datetime(2025, 11, 1, 9, tzinfo=UTC)
    r = client.post(
        f"{API}/pools/{world.pool_id}/distribution-runs",
        json={"period_start": "2025-02-01"},
        headers=world.admin.headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "field": "period_start",
            "message": "a quarterly statement period starts on 1 Jan, Apr, Jul, Oct",
        }
    ]
