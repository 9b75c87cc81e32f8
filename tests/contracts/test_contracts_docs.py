"""The JSON examples in docs/contracts.md are valid and charge what the comments say."""

import re
from pathlib import Path

from contracts import (
    LicenseeProfile,
    YearToDate,
    parse_offer,
    parse_payment_terms,
    parse_report,
    parse_terms,
    royalty_due,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "contracts.md"


def json_blocks() -> list[str]:
    return re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_documented_examples_charge_as_derived() -> None:
    terms_text, report_text, payment_text, offer_text = json_blocks()
    terms, report = parse_terms(terms_text), parse_report(report_text)
    result = royalty_due(
        terms,
        report,
        YearToDate.start_of(2024),
        profile=LicenseeProfile(size_class="large"),
        in_force=lambda country, period: True,
    )
    # mobile, sold in IN: 100,000 free units, then 50,000 x 0.50 USD = 25,000.00, x 0.5 for
    # the region = 12,500.00 USD; TV at 450.00 USD a unit is in band 0: 1,000 x 0.50 = 500.00
    assert [(str(line.basis), line.amount_minor) for line in result.lines] == [
        ("free_allowance", 0),
        ("per_unit", 1250000),
        ("per_unit", 50000),
    ]
    assert parse_payment_terms(payment_text).grace is not None
    assert parse_offer(offer_text).accept(accepted_on=report.period.start).state == "active"
