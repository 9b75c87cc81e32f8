"""The payment terms in words (templates/web/macros.html.j2, `payment_rule`) say what
`contracts.payment_schedule` computes: everything counts from the billing date (the day after
a usage period ends), and a deferral replaces the net days rather than adding to them. Each
sentence is checked against a due date the computation gives, in English and in Chinese."""

import re
from datetime import date
from decimal import Decimal

import pytest

from contracts import Accrual, PaymentTerms, parse_payment_terms, payment_schedule
from pool.rendering import environment, locale_of

PERIOD_END = date(2026, 7, 1)  # Q2 2026 is [2026-04-01, 2026-07-01): billed on 1 July
SOURCE = '{% import "web/macros.html.j2" as ui with context %}{{ ui.payment_rule(p, "CNY", i) }}'


def words(locale: str, payment: PaymentTerms, interest: Decimal | None = None) -> str:
    with locale_of(locale):
        html = environment().from_string(SOURCE).render(p=payment, i=interest)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def due_dates(payment: PaymentTerms) -> list[date | None]:
    accrual = Accrual(reference="q2", accrued_on=PERIOD_END, amount_minor=10_000_00)
    return [item.due_on for item in payment_schedule(payment, [accrual])]


@pytest.mark.parametrize(
    ("terms", "english", "chinese", "due"),
    [
        (
            {"net_days": 30},
            "Due 30 days after the billing date",
            "计费日后 30 天内到期",
            [date(2026, 7, 31)],
        ),
        (
            {"net_days": 30, "grace": {"months": 6, "days": 0}},
            "Use first, pay later: due 6 months after the billing date",
            "先用后付：计费日后 6 个月到期",
            [date(2027, 1, 1)],  # the grace replaces the 30 days: not 31 January
        ),
        (
            {"net_days": 30, "grace": {"months": 1, "days": 15}},
            "Use first, pay later: due 1 month and 15 days after the billing date",
            "先用后付：计费日后 1 个月零 15 天到期",
            [date(2026, 8, 16)],
        ),
        (
            {"instalments": {"count": 4, "interval_months": 1}},
            "In 4 instalments: the first due on the billing date, then one every month",
            "分 4 期支付：第一期在计费日到期，此后每 1 个月一期",
            [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)],
        ),
        (
            {"instalments": {"count": 3, "interval_months": 2, "first_after_months": 1}},
            "In 3 instalments: the first due 1 month after the billing date, then one every 2 "
            "months",
            "分 3 期支付：第一期在计费日后 1 个月到期，此后每 2 个月一期",
            [date(2026, 8, 1), date(2026, 10, 1), date(2026, 12, 1)],
        ),
        (
            {"net_days": 45, "revenue_threshold": {"threshold_minor": 500_000_00}},
            "Due 45 days after the billing date Use first, pay later: royalties fall due only "
            "once your cumulative net sales reach CN¥500,000.00; all royalties held until then "
            "fall due 45 days after the billing date of the report that reaches it",
            "累计净销售额达到 ¥500,000.00 后许可费才到期",
            [None],  # this quarter's sales alone (none given) do not reach it
        ),
    ],
)
def test_the_words_say_what_the_schedule_computes(
    terms: dict[str, object], english: str, chinese: str, due: list[date | None]
) -> None:
    payment = parse_payment_terms(terms)
    assert due_dates(payment) == due
    assert english in words("en", payment)
    assert chinese in words("zh_CN", payment)
    for locale in ("en", "zh_CN"):
        assert "after each invoice" not in words(locale, payment)


def test_the_billing_date_and_late_interest_are_explained() -> None:
    payment = parse_payment_terms({"net_days": 30})
    english = words("en", payment, Decimal("0.05"))
    assert "Billing date: for royalties, the day after the usage period ends" in english
    assert "Late payment interest: 5% a year, simple, for each day after the due date" in english
    chinese = words("zh_CN", payment, Decimal("0.05"))
    assert "计费日：许可费为使用期结束后的次日" in chinese
    assert "逾期付款利息：年利率 5%，单利" in chinese
