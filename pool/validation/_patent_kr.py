"""Korean (KIPO) numbers.

KIPO numbers start with a right code, 10 (patent) or 20 (utility model):

* 13 digits ``10-2019-0012345``: right code, 4-digit year, 7-digit serial. Without a kind this is
  the application number; with kind A (U for utility models) it is the publication number of the
  same shape. Canonical ``KR1020190012345`` / ``KR1020190012345A``.
* 9 digits ``10-1234567``: right code and registration (grant) number, kind B1 (Y1).
  Canonical ``KR101234567B1``.

Google Patents and Espacenet drop the right code from publications (``KR20190012345A``); with its
kind (A or U) that form tells the right code and is mapped to the canonical 13-digit form, so one
publication has one canonical string.
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

_FORM = re.compile(r"(\d+)([A-Z]\d?)?", re.ASCII)
_RIGHTS = {"10": "a KR patent", "20": "a KR utility model"}
_PUBLICATION_KINDS: dict[str, dict[str, KindOfRecord]] = {
    "10": {"A": "publication"},
    "20": {"U": "publication"},
}
_GRANT_KINDS: dict[str, dict[str, KindOfRecord]] = {"10": {"B1": "grant"}, "20": {"Y1": "grant"}}
_DOCDB_RIGHTS = {"A": "10", "U": "20"}
_GENERIC = (
    "not a KR application or publication number (10-YYYY-NNNNNNN) "
    "or registration number (10-NNNNNNN)"
)


def parse_kr(body: str) -> PatentNumber:
    """Parse what follows ``KR``."""
    match = _FORM.fullmatch(compact(body))
    if match is None:
        raise InvalidPatentNumber(_GENERIC)
    digits, kind = match.groups()
    if len(digits) == 11:
        digits = _docdb_right_code(kind) + digits
    if len(digits) == 13:
        right = _right_code(digits)
        year = digits[2:6]
        if year[:2] not in ("19", "20"):
            raise InvalidPatentNumber(f"KR number year should be 19xx or 20xx, got {year}")
        record = kind_record(
            kind, _PUBLICATION_KINDS[right], default="application", what=_RIGHTS[right]
        )
        return PatentNumber("KR", digits, kind, record)
    if len(digits) == 9:
        right = _right_code(digits)
        record = kind_record(kind, _GRANT_KINDS[right], default="grant", what=_RIGHTS[right])
        return PatentNumber("KR", digits, kind, record)
    raise InvalidPatentNumber(_GENERIC)


def _right_code(digits: str) -> str:
    """Return the leading right code, rejecting anything but patents and utility models."""
    right = digits[:2]
    if right not in _RIGHTS:
        raise InvalidPatentNumber(
            f"KR numbers start with right code 10 (patent) or 20 (utility model), got {right}"
        )
    return right


def _docdb_right_code(kind: str | None) -> str:
    """Recover the right code dropped by the DOCDB form from its kind; without one, refuse."""
    right = _DOCDB_RIGHTS.get(kind or "")
    if right is None:
        raise InvalidPatentNumber(
            "an 11-digit KR number needs kind A or U (e.g. KR20190012345A), "
            "or write it with its right code: 10-YYYY-NNNNNNN"
        )
    return right
