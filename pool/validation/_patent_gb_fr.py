"""British (UKIPO) and French (INPI) numbers.

GB: applications are numbered ``GB1912345.6`` (2-digit filing year, 5-digit serial, check digit
after the dot); publications under the Patents Act 1977 have 7 digits from 2000001 and a kind,
A for the published application and B for the granted patent (``GB2512345B``). The two systems
are separate, so an application and its publications are not comparable by number. The UKIPO has
not published how its check digit is computed (we found no source), so it is required but not
verified. A 7-digit number without kind or check digit is refused: since 2020 applications
(20xxxxx) and publications (2xxxxxx) can have the same seven digits.

FR: publications have 7 digits (2xxxxxx until 2012, then 3xxxxxx) and a kind: A1 published patent
application, A3 published utility certificate application, B1 granted patent, B3 granted utility
certificate. INPI application numbers (``19 09731``: 2-digit year, 5-digit serial) have the same
seven digits, so a FR number without kind is refused rather than guessed; the application
numbers themselves are not accepted (give the publication number).
"""

from __future__ import annotations

import re

from pool.validation._patent_types import (
    InvalidPatentNumber,
    KindOfRecord,
    PatentNumber,
    kind_record,
)

_GB_APPLICATION = re.compile(r"(\d{7})\.?(\d)", re.ASCII)
_GB_PUBLICATION = re.compile(r"(\d{7})([A-Z]\d?)", re.ASCII)
_GB_KINDS: dict[str, KindOfRecord] = {"A": "publication", "B": "grant"}
_FR_PUBLICATION = re.compile(r"(\d{7})([A-Z]\d?)?", re.ASCII)
_FR_KINDS: dict[str, KindOfRecord] = {
    "A1": "publication",
    "A3": "publication",
    "B1": "grant",
    "B3": "grant",
}


def parse_gb(body: str) -> PatentNumber:
    """Parse what follows ``GB``: an application number with its check digit, or a publication."""
    match = _GB_APPLICATION.fullmatch(body)
    if match:
        digits, check = match.groups()
        return PatentNumber("GB", f"{digits}.{check}", None, "application")
    match = _GB_PUBLICATION.fullmatch(body)
    if match:
        digits, kind = match.groups()
        if digits[0] != "2":
            raise InvalidPatentNumber(
                f"GB publication numbers start with 2 (Patents Act 1977), got {digits[0]}"
            )
        record = kind_record(kind, _GB_KINDS, default="unspecified", what="a GB publication")
        return PatentNumber("GB", digits, kind, record)
    if len(body) == 7 and body.isascii() and body.isdigit():
        raise InvalidPatentNumber(
            "a 7-digit GB number could be a publication or an application: give the kind "
            "(e.g. GB2512345B) or the application's check digit (e.g. GB1912345.6)"
        )
    raise InvalidPatentNumber(
        "not a GB application number (7 digits and a check digit, e.g. GB1912345.6) "
        "or publication number (7 digits and a kind, e.g. GB2512345B)"
    )


def parse_fr(body: str) -> PatentNumber:
    """Parse what follows ``FR``: a publication number with its kind."""
    match = _FR_PUBLICATION.fullmatch(body)
    if match is None:
        raise InvalidPatentNumber(
            "FR publication numbers have 7 digits and a kind, e.g. FR3012345A1 "
            "(INPI application numbers are not supported)"
        )
    digits, kind = match.groups()
    if kind is None:
        raise InvalidPatentNumber(
            "a FR number without kind could be a publication or an application (YY NNNNN): "
            "give the publication number with its kind, e.g. FR3012345A1 or FR3012345B1"
        )
    if digits[0] not in "23":
        raise InvalidPatentNumber(
            f"FR publication numbers start with 2 or 3 (from 1969), got {digits[0]}"
        )
    record = kind_record(kind, _FR_KINDS, default="unspecified", what="a FR publication")
    return PatentNumber("FR", digits, kind, record)
