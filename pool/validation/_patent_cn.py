"""Chinese (CNIPA) numbers: application numbers with their check digit, and publication numbers.

Application numbers (which are also the "ZL" patent numbers of granted patents) come in two forms:

* since October 2003, 12 digits: 4-digit filing year, 1 type digit, 7-digit serial;
* 1985 to 2003, 8 digits: 2-digit filing year, 1 type digit, 5-digit serial.

The type digit is 1 (invention), 2 (utility model), 3 (design), 8 (PCT invention entering the
national phase) or 9 (PCT utility model). Both forms end in a check character: the digits are
weighted 2, 3, ..., 9, 2, 3, ... from the left, summed mod 11, and 10 is written X. The check
catches every single mistyped digit and every swap of two adjacent different digits.

Publication and grant numbers are 9 digits (first digit 1 invention, 2 utility model, 3 design)
plus a kind code, and carry no check digit.
"""

from __future__ import annotations

import re

from pool.validation._patent_types import (
    InvalidPatentNumber,
    KindOfRecord,
    PatentNumber,
    kind_record,
)

_APPLICATION = re.compile(r"(\d{12}|\d{8})(\.?)([0-9X])", re.ASCII)
_PUBLICATION = re.compile(r"(\d{9})([A-Z]\d?)?", re.ASCII)
_OLD_YEARS = frozenset(f"{year % 100:02d}" for year in range(1985, 2004))
_APPLICATION_TYPES = "12389"
_PUBLICATION_KINDS: dict[str, tuple[str, dict[str, KindOfRecord], KindOfRecord]] = {
    "1": ("a CN invention number", {"A": "publication", "B": "grant", "C": "grant"}, "unspecified"),
    "2": ("a CN utility model number", {"U": "grant", "Y": "grant"}, "grant"),
    "3": ("a CN design number", {"S": "grant"}, "grant"),
}


def cn_application_check_digit(digits: str) -> str:
    """Return the check character of a 12-digit (or old 8-digit) CN application number."""
    if len(digits) not in (8, 12) or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"a CN application number has 8 or 12 digits, got {digits!r}")
    total = sum(int(digit) * (2 + index % 8) for index, digit in enumerate(digits))
    return "X" if total % 11 == 10 else str(total % 11)


def parse_cn(body: str, *, zl: bool = False) -> PatentNumber:
    """Parse what follows ``CN`` (or ``ZL``, the prefix of a granted patent's number)."""
    match = _APPLICATION.fullmatch(body)
    if match and _is_application(match, zl=zl):
        return _application(match[1], match[3])
    if len(body) == 12 and body.isascii() and body.isdigit():
        raise InvalidPatentNumber("CN application number is missing its check digit")
    if zl:
        raise InvalidPatentNumber(
            "ZL must be followed by an application number with its check digit, "
            "e.g. ZL201810123456.X"
        )
    match = _PUBLICATION.fullmatch(body)
    if match:
        return _publication(match[1], match[2])
    raise InvalidPatentNumber(
        "not a CN application number (12 digits and a check digit, e.g. CN201810123456.X) "
        "or publication number (9 digits and a kind, e.g. CN101234567A)"
    )


def _is_application(match: re.Match[str], *, zl: bool) -> bool:
    """Tell an old application number (8 + 1) from a 9-digit publication number without kind.

    They cannot collide: old application numbers begin with a year 85-99 or 00-03, publication
    numbers with 1, 2 or 3 followed by a digit, i.e. 10-39.
    """
    digits, dot, check = match.groups()
    if len(digits) == 12 or dot or zl or check == "X":
        return True
    return digits[:2] in _OLD_YEARS


def _application(digits: str, check: str) -> PatentNumber:
    """Validate year, type digit and check digit of an application number."""
    new_format = len(digits) == 12
    year, type_digit = (digits[:4], digits[4]) if new_format else (digits[:2], digits[2])
    if new_format and not 2003 <= int(year) <= 2099:
        raise InvalidPatentNumber(
            f"CN 12-digit application numbers start with a filing year from 2003, got {year}"
        )
    if not new_format and year not in _OLD_YEARS:
        raise InvalidPatentNumber(
            f"CN 8-digit application numbers start with a filing year 85-99 or 00-03, got {year}"
        )
    if type_digit not in _APPLICATION_TYPES:
        raise InvalidPatentNumber(
            f"CN application type digit should be 1, 2, 3, 8 or 9, got {type_digit}"
        )
    expected = cn_application_check_digit(digits)
    if check != expected:
        raise InvalidPatentNumber(
            f"CN application number check digit should be {expected}, got {check}"
        )
    return PatentNumber("CN", f"{digits}.{check}", None, "application")


def _publication(digits: str, kind: str | None) -> PatentNumber:
    """Validate a 9-digit publication number and its kind against its first digit."""
    form = _PUBLICATION_KINDS.get(digits[0])
    if form is None:
        raise InvalidPatentNumber(
            "CN publication numbers start with 1 (invention), 2 (utility model) or 3 (design), "
            f"got {digits[0]}"
        )
    what, allowed, default = form
    record = kind_record(kind, allowed, default=default, what=what)
    return PatentNumber("CN", digits, kind, record)
