"""German (DPMA) numbers since 2004: file numbers with their check digit, and publications.

A file number (Aktenzeichen) has 12 digits and a check digit, ``DE 10 2014 218 224.7``: a
2-digit code for the kind of right, the 4-digit filing year, a 6-digit serial. Since 2004 the DPMA
publishes every document under the file number without its check digit, plus a kind code
(``DE 10 2014 218 224 B4``), so a file number and its publications share one :attr:`key`.

Codes accepted (DPMA, Mitteilung Nr. 3/2003): 10 national patent application, 11 PCT application
in the German national phase, 20 utility model, 21 utility model from a PCT application. 12
(supplementary protection certificates) and 22 (topographies) are not rights the pool licenses;
50 and 60 are the DPMA's files of European patents, which the pool takes by their EP number.
Numbers of applications filed before 2004 (``DE 196 29 400``) are refused: no such patent is
still in force.

Check digit: the 12 digits are weighted 2, 3, 4, ... from the rightmost one, summed, and the
check digit is 11 minus the sum mod 11 (the rule of DPMA Mitteilung Nr. 3/1983, extended to 12
digits; checked against nine real 12-digit file numbers printed by the Federal Patent Court and
in filings, see docs/patent_numbers.md). When the remainder is 0 or 1 that gives 11 or 10, and
we found no published number showing what the DPMA writes then: both 0 and 1 are accepted.
"""

from __future__ import annotations

import re

from pool.validation._patent_types import (
    InvalidPatentNumber,
    KindOfRecord,
    PatentNumber,
    kind_record,
)

_FILE = re.compile(r"(\d{12})\.(\d)", re.ASCII)
_BARE_FILE = re.compile(r"(\d{12})(\d)", re.ASCII)
_PUBLICATION = re.compile(r"(\d{12})([A-Z]\d?)?", re.ASCII)
_PATENT_KINDS: dict[str, KindOfRecord] = {
    "A1": "publication",
    "A8": "publication",
    "A9": "publication",
    "B3": "grant",
    "B4": "grant",
    "B8": "grant",
    "B9": "grant",
    "C5": "grant",
}
_PCT_KINDS: dict[str, KindOfRecord] = {
    "T5": "publication",
    "T8": "publication",
    "T9": "publication",
    "B4": "grant",
    "B8": "grant",
    "B9": "grant",
    "C5": "grant",
}
_UTILITY_KINDS: dict[str, KindOfRecord] = {"U1": "grant", "U8": "grant", "U9": "grant"}
_RIGHTS: dict[str, tuple[str, dict[str, KindOfRecord]]] = {
    "10": ("a DE patent", _PATENT_KINDS),
    "11": ("a DE patent from a PCT application", _PCT_KINDS),
    "20": ("a DE utility model", _UTILITY_KINDS),
    "21": ("a DE utility model from a PCT application", _UTILITY_KINDS),
}
_OLD = re.compile(r"\d{7,8}(\.\d)?([A-Z]\d?)?", re.ASCII)


def de_file_check_digits(digits: str) -> str:
    """Return the check digit(s) a 12-digit DE file number may carry: one digit, or "01" when the
    rule gives 10 or 11 and the DPMA's way of writing those is unconfirmed."""
    if len(digits) != 12 or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"a DE file number has 12 digits, got {digits!r}")
    total = sum(int(digit) * weight for weight, digit in enumerate(reversed(digits), start=2))
    check = 11 - total % 11
    return "01" if check >= 10 else str(check)


def parse_de(body: str) -> PatentNumber:
    """Parse what follows ``DE``: a file number (with its check digit) or a publication number."""
    match = _FILE.fullmatch(body) or _BARE_FILE.fullmatch(body)
    if match:
        digits, check = match.groups()
        _right(digits)
        _check(digits, check)
        return PatentNumber("DE", f"{digits}.{check}", None, "application")
    match = _PUBLICATION.fullmatch(body.replace(".", ""))
    if match:
        digits, kind = match.groups()
        what, kinds = _right(digits)
        record = kind_record(kind, kinds, default="unspecified", what=what)
        return PatentNumber("DE", digits, kind, record)
    if _OLD.fullmatch(body):
        raise InvalidPatentNumber(
            "DE numbers of applications filed before 2004 are not supported (none is still in "
            "force); since 2004 they have 12 digits, e.g. DE102014218224.7 or DE102014218224A1"
        )
    raise InvalidPatentNumber(
        "not a DE file number (12 digits and a check digit, e.g. DE 10 2014 218 224.7) "
        "or publication number (12 digits and a kind, e.g. DE102014218224A1)"
    )


def _right(digits: str) -> tuple[str, dict[str, KindOfRecord]]:
    """Validate the kind-of-right code and the filing year; return the right's kinds."""
    code, year = digits[:2], digits[2:6]
    if code in ("50", "60"):
        raise InvalidPatentNumber(
            f"DE {code} numbers are the DPMA's files of European patents; "
            "give the EP publication number and the country DE"
        )
    right = _RIGHTS.get(code)
    if right is None:
        raise InvalidPatentNumber(
            f"DE file numbers start with 10 or 11 (patent) or 20 or 21 (utility model), got {code}"
        )
    if not 2004 <= int(year) <= 2099:
        raise InvalidPatentNumber(f"DE 12-digit numbers have a filing year from 2004, got {year}")
    return right


def _check(digits: str, check: str) -> None:
    expected = de_file_check_digits(digits)
    if check not in expected:
        should = "0 or 1" if len(expected) > 1 else expected
        raise InvalidPatentNumber(f"DE file number check digit should be {should}, got {check}")
