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
from contracts.rates import Basis, CategoryTerms, PriceBand, VolumeTier
from contracts.report import Period, UsageLine, UsageReport, YearToDate, parse_report
from contracts.royalty import royalty_due
from contracts.terms import RoyaltyTerms, parse_terms

__all__ = [
    "AppliedDiscount",
    "Basis",
    "CategoryTerms",
    "ContractsError",
    "Coverage",
    "CoverageInterval",
    "DiscountKind",
    "Discounts",
    "InForce",
    "InvalidReport",
    "InvalidTerms",
    "InvoiceLine",
    "LicenseeProfile",
    "LineBasis",
    "Period",
    "PriceBand",
    "RegionMultiplier",
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
    "parse_report",
    "parse_terms",
    "round_half_even",
    "royalty_due",
    "split_equally",
]
