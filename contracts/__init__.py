"""Licence terms and royalty rules, pure (stdlib + pydantic): no database, no web framework.

Start with `parse_terms`, `parse_report` and `royalty_due`; see docs/contracts.md.
"""

from contracts.coverage import Coverage, CoverageInterval, InForce
from contracts.discounts import (
    AppliedDiscount,
    DiscountKind,
    Discounts,
    LicenseeProfile,
    RegionMultiplier,
    SizeClass,
    SmeMultipliers,
    Stacking,
)
from contracts.errors import (
    ContractsError,
    InvalidReport,
    InvalidTerms,
)
from contracts.lines import InvoiceLine, LineBasis, RoyaltyResult
from contracts.money import add_months, round_half_even, split_equally
from contracts.payment import (
    Accrual,
    DueItem,
    GracePeriod,
    Instalments,
    LateInterest,
    PaymentTerms,
    RevenueThreshold,
    late_interest,
    parse_payment_terms,
    payment_schedule,
    split_due,
)
from contracts.rates import Basis, CategoryTerms, PriceBand, VolumeTier
from contracts.report import Period, UsageLine, UsageReport, YearToDate, parse_report
from contracts.royalty import royalty_due
from contracts.terms import RoyaltyTerms, parse_terms

__all__ = [
    "Accrual",
    "AppliedDiscount",
    "Basis",
    "CategoryTerms",
    "ContractsError",
    "Coverage",
    "CoverageInterval",
    "DiscountKind",
    "Discounts",
    "DueItem",
    "GracePeriod",
    "InForce",
    "Instalments",
    "InvalidReport",
    "InvalidTerms",
    "InvoiceLine",
    "LateInterest",
    "LicenseeProfile",
    "LineBasis",
    "PaymentTerms",
    "Period",
    "PriceBand",
    "RegionMultiplier",
    "RevenueThreshold",
    "RoyaltyResult",
    "RoyaltyTerms",
    "SizeClass",
    "SmeMultipliers",
    "Stacking",
    "UsageLine",
    "UsageReport",
    "VolumeTier",
    "YearToDate",
    "add_months",
    "late_interest",
    "parse_payment_terms",
    "parse_report",
    "parse_terms",
    "payment_schedule",
    "round_half_even",
    "royalty_due",
    "split_due",
    "split_equally",
]
