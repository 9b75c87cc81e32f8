"""A contributor's account to be paid into: an IBAN with its BIC, checked by `schwifty` (the
IBAN's country format and check digits, the BIC's structure and country), or a Chinese
account (digits) with its bank's CNAPS code, checked as the pool payee's are
(`pool.validation.bank`).

Each validator returns the stored form (upper case, no spaces) or raises an
:class:`InvalidBankIdentifier` with one fixed sentence per kind of fault."""

from __future__ import annotations

import unicodedata

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from pool.validation.bank import InvalidBankIdentifier

IBAN_REASON = "not a valid IBAN: its country, length or check digits do not match"
BIC_REASON = "not a valid SWIFT/BIC code: 8 or 11 characters with a known country"
CN_ACCOUNT_REASON = "a Chinese bank account number is 8 to 30 digits"


def _compact(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def validate_iban(raw: str) -> str:
    """`DE89 3704 0044 0532 0130 00` -> `DE89370400440532013000`."""
    try:
        return str(IBAN(_compact(raw)).compact)
    except (SchwiftyException, ValueError):
        raise InvalidBankIdentifier(IBAN_REASON, raw=raw) from None


def validate_swift(raw: str) -> str:
    """`COBADEFFXXX` or `COBADEFF`, as schwifty reads it."""
    try:
        return str(BIC(_compact(raw)).compact)
    except (SchwiftyException, ValueError):
        raise InvalidBankIdentifier(BIC_REASON, raw=raw) from None


def validate_cn_account(raw: str) -> str:
    """A Chinese bank account (银行账号): 8 to 30 digits."""
    code = _compact(raw).replace("-", "")
    if not (code.isdigit() and code.isascii() and 8 <= len(code) <= 30):
        raise InvalidBankIdentifier(CN_ACCOUNT_REASON, raw=raw)
    return code
