"""Bank identifiers a payee gives for its account: SWIFT/BIC (ISO 9362), China's CNAPS code
(the 12-digit interbank number of a bank branch) and account numbers, checked as an IBAN
(ISO 13616, mod 97) when they look like one.

Each validator returns the identifier in its stored form (upper case, no spaces) or raises an
:class:`InvalidIdentifier` whose ``reason`` is one fixed sentence per kind of fault (no values
inside), so a page can translate it.
"""

from __future__ import annotations

import re
import unicodedata

from pool.validation.countries import ISO_3166_ALPHA2
from pool.validation.errors import InvalidIdentifier

BIC_FORMAT = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
CNAPS_FORMAT = re.compile(r"\d{12}")
IBAN_SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")  # 15 to 34 characters
DOMESTIC_ACCOUNT = re.compile(r"[A-Z0-9](?:[A-Z0-9-]{2,38}[A-Z0-9])?")

BIC_REASON = (
    "a SWIFT/BIC code is 8 or 11 letters and digits: 4 letters for the bank, 2 for the "
    "country, 2 letters or digits for the place and optionally 3 for the branch"
)
BIC_COUNTRY_REASON = "the SWIFT/BIC code's 5th and 6th letters are not a country code"
CNAPS_REASON = "a CNAPS code is 12 digits"
IBAN_CHECK_REASON = "the IBAN's check digits do not match: a character is mistyped"
IBAN_COUNTRY_REASON = "an IBAN starts with a country code"
ACCOUNT_REASON = "an account number is 4 to 40 letters, digits and hyphens"


class InvalidBankIdentifier(InvalidIdentifier):
    what = "bank identifier"


def _compact(raw: str) -> str:
    """Full-width characters folded (Chinese input methods), spaces dropped, upper case."""
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def validate_bic(raw: str) -> str:
    """A SWIFT/BIC code: `BKCHCNBJ` or `BKCHCNBJ110`."""
    code = _compact(raw)
    if not BIC_FORMAT.fullmatch(code):
        raise InvalidBankIdentifier(BIC_REASON, raw=raw)
    if code[4:6] not in ISO_3166_ALPHA2 and code[4:6] != "XK":  # Kosovo has BICs too
        raise InvalidBankIdentifier(BIC_COUNTRY_REASON, raw=raw)
    return code


def validate_cnaps(raw: str) -> str:
    """A CNAPS bank code (大额支付系统行号): exactly 12 digits."""
    code = _compact(raw)
    if not CNAPS_FORMAT.fullmatch(code):
        raise InvalidBankIdentifier(CNAPS_REASON, raw=raw)
    return code


def iban_checksum_holds(iban: str) -> bool:
    """ISO 13616: the first four characters moved to the end, letters as 10-35, mod 97 is 1."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def looks_like_iban(code: str) -> bool:
    return IBAN_SHAPE.fullmatch(code) is not None


def validate_account_number(raw: str) -> str:
    """An IBAN when it has an IBAN's shape (two letters, two digits, 11 to 30 more), checked;
    otherwise a domestic account number (a Chinese bank account is 12 to 25 digits)."""
    code = _compact(raw)
    if looks_like_iban(code):
        if code[:2] not in ISO_3166_ALPHA2 and code[:2] != "XK":
            raise InvalidBankIdentifier(IBAN_COUNTRY_REASON, raw=raw)
        if not iban_checksum_holds(code):
            raise InvalidBankIdentifier(IBAN_CHECK_REASON, raw=raw)
        return code
    if not DOMESTIC_ACCOUNT.fullmatch(code) or sum(ch.isdigit() for ch in code) < 4:
        raise InvalidBankIdentifier(ACCOUNT_REASON, raw=raw)
    return code


def grouped(account_number: str) -> str:
    """An IBAN, or a number of digits only, in groups of four as printed on paper and bank
    cards (`DE89 3704 0044 0532 0130 00`, `6222 0202 0000 1234 567`); anything else (with
    letters or hyphens) as stored."""
    if not (looks_like_iban(account_number) or account_number.isdigit()):
        return account_number
    return " ".join(account_number[i : i + 4] for i in range(0, len(account_number), 4))
