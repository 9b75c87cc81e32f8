"""Licence terms and royalty rules, pure (stdlib + pydantic): no database, no web framework.

Start with `parse_terms`, `parse_report` and `royalty_due`; see docs/contracts.md.
"""

from contracts.agreement import (
    ALLOWED_MOVES,
    AgreementState,
    LicenceAgreement,
    LicenceType,
    Transition,
)
from contracts.coverage import Coverage, CoverageInterval, InForce
from contracts.discounts import (
    AppliedDiscount,
    AppliedDiscounts,
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
    IllegalTransition,
    InvalidOffer,
    InvalidReport,
    InvalidTerms,
)
from contracts.fees import FeeKind, FixedFee, fixed_fees
from contracts.lines import InvoiceLine, LineBasis, RoyaltyResult
from contracts.money import add_months, round_half_even, split_equally
from contracts.offers import CHINA_MAX_PERCENT_OF_NET_SALES, OpenLicenceOffer, parse_offer
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
    "ALLOWED_MOVES",
    "CHINA_MAX_PERCENT_OF_NET_SALES",
    "Accrual",
    "AgreementState",
    "AppliedDiscount",
    "AppliedDiscounts",
    "Basis",
    "CategoryTerms",
    "ContractsError",
    "Coverage",
    "CoverageInterval",
    "DiscountKind",
    "Discounts",
    "DueItem",
    "FeeKind",
    "FixedFee",
    "GracePeriod",
    "IllegalTransition",
    "InForce",
    "Instalments",
    "InvalidOffer",
    "InvalidReport",
    "InvalidTerms",
    "InvoiceLine",
    "LateInterest",
    "LicenceAgreement",
    "LicenceType",
    "LicenseeProfile",
    "LineBasis",
    "OpenLicenceOffer",
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
    "Transition",
    "UsageLine",
    "UsageReport",
    "VolumeTier",
    "YearToDate",
    "add_months",
    "fixed_fees",
    "late_interest",
    "parse_offer",
    "parse_payment_terms",
    "parse_report",
    "parse_terms",
    "payment_schedule",
    "round_half_even",
    "royalty_due",
    "split_due",
    "split_equally",
]
