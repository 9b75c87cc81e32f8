"""The agreements list's `overdue_filing=yes` (one SQL bound on the signature day) keeps
exactly the agreements `filing_overdue` calls overdue, month ends and leap days included."""

from datetime import date, timedelta

from pool.models.licensing import LicenceAgreement
from pool.services.licensing.agreement_lists import last_overdue_signature
from pool.services.licensing.agreements import filing_overdue


def test_the_sql_bound_agrees_with_the_rule_every_day_of_two_years() -> None:
    row = LicenceAgreement(state="active", filing_number=None, signed_on=date(2024, 1, 1))
    today = date(2024, 1, 1)
    while today < date(2025, 12, 31):
        bound = last_overdue_signature(today)
        for days_before in range(60, 130):  # around three months before
            row.signed_on = today - timedelta(days=days_before)
            assert (row.signed_on <= bound) == filing_overdue(row, today), (today, row.signed_on)
        today += timedelta(days=7 if today.day < 25 else 1)  # every month end, day by day
