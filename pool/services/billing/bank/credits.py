"""What a bank statement says about money coming in, whatever its format."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from allocation.currency import MINOR_UNIT_EXPONENTS

_DECIMAL = re.compile(r"^\d{1,18}(\.\d*)?$")  # digits, a point, digits: no sign, no exponent


@dataclass(frozen=True)
class BankCredit:
    """One incoming transfer booked on the pool's account, as the bank reported it."""

    bank_reference: str
    """The bank's own id of the entry (camt.053 `AcctSvcrRef`, MT940 `//` reference), or a
    digest of the entry when the bank gives none: what makes a re-import record nothing twice."""
    booked_on: date
    value_on: date
    amount_minor: int
    currency: str
    remittance: str  # what the payer wrote: the payment reference, with luck
    payer_name: str
    payer_account: str
    line: int  # the line of the file it starts on
    source: str  # where in the file, for the administrator's page: "line 12 (Stmt[1]/Ntry[3])"


@dataclass(frozen=True)
class BankStatement:
    format: str  # "camt.053" or "MT940"
    statement_id: str
    account: str
    currency: str
    credits: tuple[BankCredit, ...]
    entries_skipped: int  # debits, reversals and entries not booked yet: nothing to match


def amount_minor(text: str, currency: str, *, decimal_comma: bool = False) -> int:
    """A bank's decimal amount as integer minor units of `currency`, exactly: an amount with
    more decimals than the currency has is refused rather than rounded (money is never
    rounded on the way in). Raises ValueError with a readable message."""
    exponent = MINOR_UNIT_EXPONENTS.get(currency)
    if exponent is None:
        raise ValueError(f"unknown currency {currency!r}")
    cleaned = text.strip()
    if decimal_comma:
        if "." in cleaned:
            raise ValueError(f"amount {text!r}: MT940 amounts use a decimal comma")
        cleaned = cleaned.replace(",", ".")
    if not _DECIMAL.match(cleaned):
        raise ValueError(f"amount {text!r} is not a positive decimal number")
    value = Decimal(cleaned)
    scaled = value.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"amount {text!r} has more than {exponent} decimals for {currency}")
    return int(scaled)


def entry_digest(*parts: object) -> str:
    """A stable stand-in for a bank reference the bank did not give."""
    text = "\x1f".join(str(part) for part in parts)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:32]
