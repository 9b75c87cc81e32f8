"""United States (USPTO) numbers: utility, reissue and design grants, pre-grant publications.

Leading zeros are dropped from grant numbers (some USPTO feeds pad to 8 digits: ``06123456`` is
``US6123456``) so that one patent has one canonical string. Pre-grant publications are written
with their 7-digit serial (``US20190123456A1``); the DOCDB/Espacenet form with a 6-digit serial
(``US2019123456A1``) is padded to it for the same reason.
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

_FORM = re.compile(r"(RE|D)?(\d+)([A-Z]\d?)?", re.ASCII)
_GRANT_KINDS: dict[str, KindOfRecord] = {"A": "grant", "B1": "grant", "B2": "grant"}
_REISSUE_KINDS: dict[str, KindOfRecord] = {"E": "grant", "E1": "grant"}
_DESIGN_KINDS: dict[str, KindOfRecord] = {"S": "grant"}
_PUBLICATION_KINDS: dict[str, KindOfRecord] = {
    "A1": "publication",
    "A2": "publication",
    "A9": "publication",
}


def parse_us(body: str) -> PatentNumber:
    """Parse what follows ``US``."""
    match = _FORM.fullmatch(compact(body))
    if match is None:
        raise InvalidPatentNumber(
            "not a US utility (7-8 digits), reissue (RE...), design (D...) or "
            "pre-grant publication (YYYY/NNNNNNN) number"
        )
    prefix, digits, kind = match.groups()
    if prefix == "RE":
        return _grant("RE", digits, kind, _REISSUE_KINDS, sizes=(1, 6), what="a US reissue")
    if prefix == "D":
        return _grant("D", digits, kind, _DESIGN_KINDS, sizes=(1, 7), what="a US design patent")
    if len(digits) in (10, 11):
        return _publication(digits, kind)
    if "/" in body:
        raise InvalidPatentNumber(
            "US application serial numbers (e.g. 16/123,456) are not supported; "
            "give the patent or publication number"
        )
    return _grant("", digits, kind, _GRANT_KINDS, sizes=(7, 8), what="a US utility patent")


def _grant(
    prefix: str,
    digits: str,
    kind: str | None,
    kinds: dict[str, KindOfRecord],
    *,
    sizes: tuple[int, int],
    what: str,
) -> PatentNumber:
    """Validate a grant number's length (after dropping leading zeros) and kind."""
    number = digits.lstrip("0")
    low, high = sizes
    if not low <= len(number) <= high:
        raise InvalidPatentNumber(
            f"{what} number has {low}-{high} digits without leading zeros, got {len(number)}"
        )
    record = kind_record(kind, kinds, default="grant", what=what)
    return PatentNumber("US", prefix + number, kind, record)


def _publication(digits: str, kind: str | None) -> PatentNumber:
    """Validate a pre-grant publication: filing-year range, then pad the serial to 7 digits."""
    year, serial = digits[:4], digits[4:]
    if not 2001 <= int(year) <= 2099:
        raise InvalidPatentNumber(
            "a 10-11 digit US number is a pre-grant publication YYYY/NNNNNNN "
            f"with a year from 2001, got {year}"
        )
    record = kind_record(
        kind, _PUBLICATION_KINDS, default="publication", what="a US pre-grant publication"
    )
    return PatentNumber("US", year + serial.zfill(7), kind, record)
