"""Inventor remuneration: the part of a patent's royalties a contributor owes its inventors.

Chinese law (Patent Law Implementing Rules, art. 94 as amended in 2023; art. 78 before) gives
the inventors of a service invention at least 10 % of the royalties the unit receives from
licensing it, unless an agreement or the unit's rules say otherwise. So per patent and year:

* the inventors' total is ``received x rate``, rounded once to the minor unit, half to even;
* it is split between the inventors by their shares (in hundredths of a percent, summing to
  100 %) by largest remainder, ties to the inventor listed first, so the inventors' amounts
  add up to the total exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from allocation.apportion import apportion

WHOLE_BP = 10_000  # 100 % in hundredths of a percent (basis points)
STATUTORY_RATE = Decimal("0.10")


class RemunerationError(ValueError):
    """Inputs no remuneration can be computed from (a programming or validation error)."""


@dataclass(frozen=True)
class Remuneration:
    received_minor: int
    rate: Decimal
    total_minor: int  # received x rate, rounded once, half to even
    shares_minor: tuple[int, ...]  # per inventor, in the order given; they sum to the total


def remunerate(received_minor: int, rate: Decimal, shares_bp: Sequence[int]) -> Remuneration:
    """The inventors' remuneration from one patent's royalties received in a year."""
    if received_minor < 0:
        raise RemunerationError("royalties received cannot be negative")
    if not Decimal(0) <= rate <= Decimal(1):
        raise RemunerationError("the rate lies between 0 and 1")
    if not shares_bp or any(s < 0 for s in shares_bp) or sum(shares_bp) != WHOLE_BP:
        raise RemunerationError("inventors' shares are non-negative and sum to 100 %")
    total = int((received_minor * rate).to_integral_value(rounding=ROUND_HALF_EVEN))
    keys = [f"{index:06d}" for index in range(len(shares_bp))]
    return Remuneration(received_minor, rate, total, tuple(apportion(total, shares_bp, keys)))
