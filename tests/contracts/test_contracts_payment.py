"""Payment terms: due dates, "use first, pay later" deferrals and late interest."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from contracts import (
    Accrual,
    InvalidTerms,
    LateInterest,
    late_interest,
    parse_payment_terms,
    payment_schedule,
    split_due,
)


def accrual(reference: str, on: date, amount: int, net_sales: int = 0) -> Accrual:
    return Accrual(
        reference=reference, accrued_on=on, amount_minor=amount, net_sales_minor=net_sales
    )


Q1 = accrual("2024-Q1", date(2024, 4, 1), 500000, 4000000)
Q2 = accrual("2024-Q2", date(2024, 7, 1), 600000, 5000000)
Q3 = accrual("2024-Q3", date(2024, 10, 1), 700000, 3000000)
Q4 = accrual("2025-Q4", date(2025, 1, 1), 800000, 1000000)

SCHEDULES = [
    pytest.param(
        {},
        [Q2, Q1],
        # no deferral: net 30 days after each accrual, listed in date order
        [("2024-Q1", 1, 500000, date(2024, 5, 1)), ("2024-Q2", 1, 600000, date(2024, 7, 31))],
        id="net-30",
    ),
    pytest.param(
        {"grace": {"months": 6}},
        [Q1],
        # Q1 accrues on 1 April and falls due six months later, on 1 October
        [("2024-Q1", 1, 500000, date(2024, 10, 1))],
        id="grace-6-months",
    ),
    pytest.param(
        {"grace": {"months": 1, "days": 10}},
        [accrual("Jan", date(2024, 1, 31), 100)],
        # 31 January + 1 month = 29 February (clamped), + 10 days = 10 March
        [("Jan", 1, 100, date(2024, 3, 10))],
        id="grace-months-and-days",
    ),
    pytest.param(
        {"revenue_threshold": {"threshold_minor": 12000000}},
        [Q1, Q2, Q3, Q4],
        # cumulative net sales: 40,000 / 90,000 / 120,000 USD: the threshold of 120,000.00 is
        # reached (>=) by Q3, so Q1-Q3 fall due 30 days after 1 October; Q4 30 days after its own
        # accrual
        [
            ("2024-Q1", 1, 500000, date(2024, 10, 31)),
            ("2024-Q2", 1, 600000, date(2024, 10, 31)),
            ("2024-Q3", 1, 700000, date(2024, 10, 31)),
            ("2025-Q4", 1, 800000, date(2025, 1, 31)),
        ],
        id="revenue-threshold-reached",
    ),
    pytest.param(
        {"revenue_threshold": {"threshold_minor": 12000001}},
        [Q1, Q2, Q3],
        # 120,000.00 is one cent short: everything still waits (no due date)
        [("2024-Q1", 1, 500000, None), ("2024-Q2", 1, 600000, None), ("2024-Q3", 1, 700000, None)],
        id="revenue-threshold-not-reached",
    ),
    pytest.param(
        {"instalments": {"count": 3, "interval_months": 1, "first_after_months": 1}},
        [accrual("2024-Q1", date(2024, 4, 1), 10000)],
        # 100.00 USD in 3 parts: 33.34 + 33.33 + 33.33, the extra cent on the first part
        [
            ("2024-Q1", 1, 3334, date(2024, 5, 1)),
            ("2024-Q1", 2, 3333, date(2024, 6, 1)),
            ("2024-Q1", 3, 3333, date(2024, 7, 1)),
        ],
        id="instalments",
    ),
    pytest.param(
        {"instalments": {"count": 2, "interval_months": 6}},
        [accrual("A", date(2024, 8, 31), 5)],
        # first part due at the accrual, the second 6 months later (28 Feb, clamped)
        [("A", 1, 3, date(2024, 8, 31)), ("A", 2, 2, date(2025, 2, 28))],
        id="instalments-from-the-accrual",
    ),
]


@pytest.mark.parametrize(("fields", "accruals", "expected"), SCHEDULES)
def test_payment_schedule(
    fields: dict[str, Any],
    accruals: list[Accrual],
    expected: list[tuple[str, int, int, date | None]],
) -> None:
    schedule = payment_schedule(parse_payment_terms(fields), accruals)
    assert [(i.reference, i.part, i.amount_minor, i.due_on) for i in schedule] == expected


def test_split_due_shows_what_is_deferred() -> None:
    terms = parse_payment_terms({"instalments": {"count": 3, "first_after_months": 1}})
    schedule = payment_schedule(terms, [accrual("Q1", date(2024, 4, 1), 10000)])
    # on 15 June the May and June parts are due; July's 33.33 is still deferred
    assert split_due(schedule, date(2024, 6, 15)) == (6667, 3333)


def test_split_due_counts_amounts_awaiting_a_threshold_as_deferred() -> None:
    terms = parse_payment_terms({"revenue_threshold": {"threshold_minor": 10**9}})
    schedule = payment_schedule(terms, [Q1])
    assert split_due(schedule, date(2030, 1, 1)) == (0, 500000)


def test_only_one_deferral_may_be_set() -> None:
    with pytest.raises(InvalidTerms) as caught:
        parse_payment_terms({"grace": {"months": 1}, "instalments": {"count": 2}})
    assert caught.value.path == "$.instalments"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"instalments": {"count": 0}}, "$.instalments.count"),
        ({"revenue_threshold": {"threshold_minor": 0}}, "$.revenue_threshold.threshold_minor"),
        ({"net_days": -1}, "$.net_days"),
        (
            {"late_interest": {"annual_percent": "8", "day_count_basis": 364}},
            "$.late_interest.day_count_basis",
        ),
    ],
)
def test_invalid_payment_terms_name_the_field(data: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidTerms) as caught:
        parse_payment_terms(data)
    assert caught.value.path == path


EIGHT_PERCENT = LateInterest(annual_percent=Decimal(8))

LATE = [
    # 10,000.00 USD x 8 % x 30/365 = 65.75342.. USD -> 6575 cents
    pytest.param(1000000, date(2024, 5, 1), date(2024, 5, 31), EIGHT_PERCENT, 6575, id="30-days"),
    # the same on a 360-day basis: 10,000.00 x 8 % x 30/360 = 66.666.. -> 6667
    pytest.param(
        1000000,
        date(2024, 5, 1),
        date(2024, 5, 31),
        LateInterest(annual_percent=Decimal(8), day_count_basis=360),
        6667,
        id="30-days-360",
    ),
    # 18.25 USD x 10 % x 1/365 = 0.5 cent -> 0 (half to even); 3 days: 1.5 -> 2
    pytest.param(
        1825,
        date(2024, 1, 1),
        date(2024, 1, 2),
        LateInterest(annual_percent=Decimal(10)),
        0,
        id="half-even-down",
    ),
    pytest.param(
        1825,
        date(2024, 1, 1),
        date(2024, 1, 4),
        LateInterest(annual_percent=Decimal(10)),
        2,
        id="half-even-up",
    ),
    pytest.param(1000000, date(2024, 5, 1), date(2024, 5, 1), EIGHT_PERCENT, 0, id="on-time"),
    pytest.param(1000000, date(2024, 5, 1), date(2024, 4, 1), EIGHT_PERCENT, 0, id="early"),
]


@pytest.mark.parametrize(("principal", "due_on", "paid_on", "terms", "cents"), LATE)
def test_late_interest(
    principal: int, due_on: date, paid_on: date, terms: LateInterest, cents: int
) -> None:
    assert late_interest(principal, due_on=due_on, paid_on=paid_on, terms=terms) == cents


def test_late_interest_refuses_a_negative_principal() -> None:
    with pytest.raises(ValueError, match="negative"):
        late_interest(-1, due_on=date(2024, 1, 1), paid_on=date(2024, 2, 1), terms=EIGHT_PERCENT)


def test_payment_terms_have_a_canonical_hash() -> None:
    first = parse_payment_terms(
        {"grace": {"months": 6}, "late_interest": {"annual_percent": "8.0"}}
    )
    second = parse_payment_terms(
        '{"late_interest": {"annual_percent": "8"}, "grace": {"months": 6}}'
    )
    assert first.sha256() == second.sha256()
