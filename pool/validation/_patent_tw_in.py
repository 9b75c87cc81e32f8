"""Taiwanese (TIPO) and Indian (Indian Patent Office) numbers.

TW: application numbers have 9 digits, the 3-digit ROC year (108 is 2019), a type digit (1
invention, 2 utility model, 3 design) and a 5-digit serial (``TW108123456``). Publications of
invention applications have 9 digits starting with the Western year (``TW201912345A``); granted
patents carry a letter and 6 digits: I (invention, kind B), M (utility model, kind U), D (design,
kind S), e.g. ``TWI654321B``. Application, publication and grant numbers are separate series.

IN: application numbers since 2016 have 12 digits: filing year, a digit for the office (1 Delhi,
2 Kolkata, 3 Chennai, 4 Mumbai), a digit for the type of application and a 6-digit serial
(``IN201911012345``); the application is published under the same number with kind A, so both
share one key. Before that, applications were written ``1234/DEL/2005`` (serial, office,
with NP for a PCT national phase, year). Granted patents have a 6-digit number, kind B
(``IN345678B``).
"""

from __future__ import annotations

import re

from pool.validation._patent_types import (
    InvalidPatentNumber,
    KindOfRecord,
    PatentNumber,
    compact,
    kind_record,
)

_TW_GRANT = re.compile(r"([IMD])(\d{6})([A-Z]\d?)?", re.ASCII)
_TW_NUMBER = re.compile(r"(\d{9})([A-Z]\d?)?", re.ASCII)
_TW_GRANT_KINDS: dict[str, tuple[str, dict[str, KindOfRecord]]] = {
    "I": ("a TW invention patent", {"B": "grant"}),
    "M": ("a TW utility model", {"U": "grant"}),
    "D": ("a TW design", {"S": "grant"}),
}
_TW_PUBLICATION_KINDS: dict[str, KindOfRecord] = {"A": "publication"}
_IN_NUMBER = re.compile(r"(\d+)([A-Z]\d?)?", re.ASCII)
_IN_OLD = re.compile(r"(\d{1,5})/(DEL|KOL|CHE|MUM)(NP)?/(\d{4})", re.ASCII)
_IN_OFFICES = "1234"
_IN_PUBLICATION_KINDS: dict[str, KindOfRecord] = {"A": "publication"}
_IN_GRANT_KINDS: dict[str, KindOfRecord] = {"B": "grant"}


def parse_tw(body: str) -> PatentNumber:
    """Parse what follows ``TW``."""
    text = compact(body)
    match = _TW_GRANT.fullmatch(text)
    if match:
        letter, digits, kind = match.groups()
        what, kinds = _TW_GRANT_KINDS[letter]
        record = kind_record(kind, kinds, default="grant", what=what)
        return PatentNumber("TW", letter + digits, kind, record)
    match = _TW_NUMBER.fullmatch(text)
    if match and match[1].startswith("20"):
        digits, kind = match.groups()
        if int(digits[:4]) < 2003:
            raise InvalidPatentNumber(
                f"TW publication numbers start with a year from 2003, got {digits[:4]}"
            )
        record = kind_record(
            kind, _TW_PUBLICATION_KINDS, default="publication", what="a TW publication"
        )
        return PatentNumber("TW", digits, kind, record)
    if match:
        return _tw_application(*match.groups())
    raise InvalidPatentNumber(
        "not a TW application number (9 digits, e.g. TW108123456), publication number "
        "(e.g. TW201912345A) or patent number (I, M or D and 6 digits, e.g. TWI654321B)"
    )


def _tw_application(digits: str, kind: str | None) -> PatentNumber:
    if kind is not None:
        raise InvalidPatentNumber(f"a TW application number has no kind, got {kind}")
    year, type_digit = int(digits[:3]), digits[3]
    if not 90 <= year <= 199:
        raise InvalidPatentNumber(
            f"TW application numbers start with a ROC year from 090 (2001), got {digits[:3]}"
        )
    if type_digit not in "123":
        raise InvalidPatentNumber(
            "TW application type digit should be 1 (invention), 2 (utility model) "
            f"or 3 (design), got {type_digit}"
        )
    return PatentNumber("TW", digits, None, "application")


def parse_in(body: str) -> PatentNumber:
    """Parse what follows ``IN``."""
    match = _IN_OLD.fullmatch(body)
    if match:
        serial, office, national_phase, year = match.groups()
        if not 1995 <= int(year) <= 2016:
            raise InvalidPatentNumber(
                f"IN numbers of the form 1234/DEL/YYYY have a year from 1995 to 2016, got {year}"
            )
        number = f"{int(serial)}/{office}{national_phase or ''}/{year}"
        return PatentNumber("IN", number, None, "application")
    match = _IN_NUMBER.fullmatch(compact(body))
    if match and len(match[1]) == 12:
        digits, kind = match.groups()
        if not 2015 <= int(digits[:4]) <= 2099:
            raise InvalidPatentNumber(
                f"IN 12-digit application numbers start with a year from 2015, got {digits[:4]}"
            )
        if digits[4] not in _IN_OFFICES:
            raise InvalidPatentNumber(
                "IN application office digit should be 1 (Delhi), 2 (Kolkata), 3 (Chennai) "
                f"or 4 (Mumbai), got {digits[4]}"
            )
        record = kind_record(
            kind, _IN_PUBLICATION_KINDS, default="application", what="an IN application"
        )
        return PatentNumber("IN", digits, kind, record)
    if match and len(match[1]) == 6:
        digits, kind = match.groups()
        record = kind_record(kind, _IN_GRANT_KINDS, default="grant", what="an IN patent number")
        return PatentNumber("IN", digits, kind, record)
    raise InvalidPatentNumber(
        "not an IN application number (12 digits, e.g. IN201911012345, or 1234/DEL/2005) "
        "or patent number (6 digits, e.g. IN345678B)"
    )
