"""Fixed fees: the entry fee and the annual fee, on their dates.

The entry fee falls due on the day the licence starts; the annual fee falls due in full at the
start of each licence year (the start date and its anniversaries; 29 February moves to the 28th
in other years). Fixed fees are not discounted and do not count against the royalty caps.
"""

from datetime import date
from enum import StrEnum

from contracts.base import MinorAmount, Model
from contracts.money import add_months
from contracts.terms import RoyaltyTerms


class FeeKind(StrEnum):
    """The fixed fees terms can carry."""

    ENTRY = "entry_fee"
    ANNUAL = "annual_fee"


class FixedFee(Model):
    """A fixed amount due on a date."""

    kind: FeeKind
    due_on: date
    amount_minor: MinorAmount


def fixed_fees(terms: RoyaltyTerms, *, start: date, end: date) -> tuple[FixedFee, ...]:
    """The fixed fees of a licence running over ``[start, end)``, in date order."""
    fees: list[FixedFee] = []
    if terms.entry_fee_minor and start < end:
        fees.append(FixedFee(kind=FeeKind.ENTRY, due_on=start, amount_minor=terms.entry_fee_minor))
    if terms.annual_fee_minor:
        year = 0
        while (due_on := add_months(start, 12 * year)) < end:
            fees.append(
                FixedFee(kind=FeeKind.ANNUAL, due_on=due_on, amount_minor=terms.annual_fee_minor)
            )
            year += 1
    return tuple(fees)
