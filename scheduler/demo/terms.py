"""The demo pool's terms: one royalty standard for everyone and the payment terms of each
deal (open licence, negotiated with an entry fee, "use first, pay later"). Plain data."""

from typing import Any

from scheduler.demo.records import CURRENCY


def royalty_terms(version: str, *, entry_fee_minor: int = 0) -> dict[str, Any]:
    """One fee standard for everyone (per unit by band or volume tier, or a share of net
    sales), SME and good-standing discounts, a free allowance and an annual cap, in CNY."""
    return {
        "terms_version": version,
        "currency": CURRENCY,
        "minor_unit_exponent": 2,
        "categories": [
            {
                "category": "mobile",
                "basis": "per_unit",
                "tiers": [
                    {"from_units": 0, "rate": "1.20"},
                    {"from_units": 500_000, "rate": "0.80"},
                ],
            },
            {
                "category": "tv",
                "basis": "per_unit",
                "bands": [
                    {
                        "lower_minor": 0,
                        "lower_inclusive": True,
                        "upper_minor": 200_000,
                        "upper_inclusive": False,
                        "rate": "2.00",
                    },
                    {"lower_minor": 200_000, "lower_inclusive": True, "rate": "4.00"},
                ],
            },
            {"category": "iot", "basis": "percent_of_net_sales", "percent": "1.5"},
        ],
        "free_units_per_year": 2_000,
        "annual_cap_minor": 500_000_000,
        "discounts": {
            "order": ["sme", "good_standing"],
            "stacking": "compound",
            "sme": {"micro": "0.5", "small": "0.7", "medium": "0.9"},
            "good_standing": "0.95",
        },
        "entry_fee_minor": entry_fee_minor,
    }


LATE_INTEREST = {"annual_percent": "7.3"}
TERMS = {  # deal -> (royalty terms, payment terms)
    "open": (royalty_terms("open-{year}"), {"net_days": 30, "late_interest": LATE_INTEREST}),
    "enterprise": (
        royalty_terms("enterprise-{year}", entry_fee_minor=5_000_000),
        {"net_days": 30, "late_interest": LATE_INTEREST},
    ),
    "ufpl": (  # use first, pay later: royalties fall due six months after the quarter
        royalty_terms("ufpl-{year}"),
        {"net_days": 30, "grace": {"months": 6}, "late_interest": LATE_INTEREST},
    ),
}
