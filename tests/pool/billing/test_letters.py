"""E-mails to licensees in their organisation's language (templates/mail/, mail.letters):
money in major units with its currency, dates as dates, a period as its first and last day.
The clock reads 2 June 2025; the dedupe keys are those the reminders always had."""

from datetime import date
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.organisation import Organisation
from pool.models.outbox import OutboxMessage
from pool.services.billing import fees, reminders
from tests.pool.billing import kit
from tests.pool.conftest import World
from tests.pool.reporting.kit import NOW, deal

FEE = {
    "terms_version": "fee",
    "currency": "CNY",
    "minor_unit_exponent": 2,
    "categories": [],
    "entry_fee_minor": 5000_00,
}
LATE_INTEREST = {"net_days": 30, "late_interest": {"annual_percent": "7.3"}}


def speaks(engine: Engine, organisation_id: int | None, language: str) -> None:
    with session_scope(engine) as s:
        org = s.get(Organisation, organisation_id)
        assert org is not None
        org.language = language
        s.add(org)


def messages(engine: Engine) -> list[tuple[int | None, str, str, str]]:
    with Session(engine) as s:
        rows = s.exec(select(OutboxMessage).order_by(col(OutboxMessage.dedupe_key))).all()
        return [(m.recipient_organisation_id, m.dedupe_key, m.subject, m.body) for m in rows]


def test_an_overdue_reminder_is_written_in_the_licensees_language(
    engine: Engine, world: World
) -> None:
    """The entry fee of 5,000.00 yuan, dated 1 March 2024, was due on 31 March 2024; on
    2 June 2025 it is 428 days late: 5,000.00 x 7.3 % x 428 / 365 = 428.00 of interest."""
    zh, en = world.licensee.organisation_id, world.other_licensee.organisation_id
    speaks(engine, zh, "zh-CN")
    for caller in ("licensee", "other_licensee"):
        deal(engine, world, royalty=FEE, payment=LATE_INTEREST, caller=caller,
             start=date(2024, 3, 1), end=date(2027, 3, 1))  # fmt: skip
    with session_scope(engine) as s:
        made = fees.issue_fixed_fees(s, pool_id=world.pool_id, as_of=date(2024, 3, 1), now=NOW)
        ids = [invoice.id for invoice in made]
        reminders.overdue_reminders(s, pool_id=world.pool_id, as_of=date(2025, 6, 2), now=NOW)
    assert messages(engine) == [
        (
            zh,
            f"overdue_invoice:{ids[0]}:2024-03-31",
            "发票 INV-000001 已逾期",
            "发票 INV-000001（Test pool，使用期间 2024年3月1日 至 2025年2月28日）：¥5,000.00 应于"
            " 2024年3月31日 支付，截至 2025年6月2日 仍未支付，已逾期 428 天。\n"
            "迄今滞纳利息：¥428.00。\n\n"
            "请支付 ¥5,000.00，并在转账附言中注明 INV-000001。如已付款，请在该发票页面登记付款，"
            "以便专利池核对到账。\n",
        ),
        (
            en,
            f"overdue_invoice:{ids[1]}:2024-03-31",
            "Invoice INV-000002 is overdue",
            "Invoice INV-000002 (Test pool, usage period Mar 1, 2024 – Feb 28, 2025): CN¥5,000.00"
            " was due on Mar 31, 2024 and was still unpaid on Jun 2, 2025, 428 days late.\n"
            "Late interest so far: CN¥428.00.\n\n"
            "Please pay CN¥5,000.00 with INV-000002 as the reference of your transfer. If you"
            " have paid already, record the payment on the invoice's page, so the pool knows"
            " which transfer to look for.\n",
        ),
    ]


def test_a_missing_report_is_reminded_in_chinese(engine: Engine, world: World) -> None:
    """A quarterly pool: Q1 2025 (1 January to 31 March) is due 30 days after it ends."""
    speaks(engine, world.licensee.organisation_id, "zh-CN")
    d = deal(engine, world, royalty={**FEE, "entry_fee_minor": 0}, start=date(2025, 1, 1))
    with session_scope(engine) as s:
        reminders.reporting_reminders(s, pool_id=world.pool_id, as_of=date(2025, 5, 3), now=NOW)
    [(_, key, subject, body)] = messages(engine)
    assert key == f"report_missing:{d.agreement_id}:2025-01-01"
    assert subject == "2025年1月1日 至 2025年3月31日 的实施情况报告已于 2025年5月1日 逾期未交"
    assert body == (
        f"Test pool 协议 {d.agreement_id}：2025年1月1日 至 2025年3月31日 的实施情况报告应于"
        " 2025年5月1日 前提交，截至 2025年5月3日 仍未收到。\n\n"
        "请报告该期间的生产和销售情况；如无生产或销售，请提交零报告。\n"
    )


def decided(client: TestClient, engine: Engine, world: World, decision: str, **body: Any) -> str:
    """A notice of 600.00 dollars paid on 30 May for invoice Q1, decided by the administrator;
    the message the licensee gets."""
    with session_scope(engine) as s:
        agreement = kit.agreement(
            s, pool_id=world.pool_id, licensee_id=world.licensee.organisation_id or 0
        )
        invoice = kit.invoice(
            s, agreement_id=agreement, number="Q1", usage=(date(2025, 1, 1), date(2025, 4, 1)),
            issued_on=date(2025, 4, 1), parts=[(date(2025, 4, 1), 1000_00)],
        )  # fmt: skip
    sent = client.post(
        "/api/v1/payment-notices",
        json={"invoice_id": invoice.id, "reference": "TR-7", "amount_minor": 600_00,
              "paid_on": "2025-05-30"},
        headers=world.licensee.headers,
    )  # fmt: skip
    url = f"/api/v1/payment-notices/{sent.json()['id']}/{decision}"
    assert client.post(url, json=body, headers=world.admin.headers).status_code == 200
    [(_, _, subject, text)] = messages(engine)
    return f"{subject}\n\n{text}"


def test_a_confirmed_payment_is_told_in_chinese(
    client: TestClient, engine: Engine, world: World
) -> None:
    speaks(engine, world.licensee.organisation_id, "zh-CN")
    assert decided(client, engine, world, "confirm", received_on="2025-06-01") == (
        "您的付款 TR-7 已收到\n\n"
        "专利池已收到您的付款 TR-7：2025年6月1日 到账 US$600.00。该笔付款现已显示在您的发票和"
        "账户对账单中。\n"
    )


def test_a_rejected_payment_is_told_with_the_administrators_reason(
    client: TestClient, engine: Engine, world: World
) -> None:
    speaks(engine, world.licensee.organisation_id, "zh-CN")
    reason = {"reason": "no transfer TR-7 & nothing <similar> reached us"}
    assert decided(client, engine, world, "reject", **reason) == (
        "您的付款 TR-7 未能确认\n\n"
        "专利池未能确认您于 2025年5月30日 支付的款项 TR-7（US$600.00）。专利池说明的原因："
        "no transfer TR-7 & nothing <similar> reached us\n\n"
        "您的发票没有任何变化。如款项确已汇出，请持银行的转账凭证与专利池联系。\n"
    )
