"""Australian (IP Australia) and Canadian (CIPO) numbers: one number per application, from filing
to grant, so an application and its publications share one key.

AU: 10 digits, the filing year and a 6-digit serial (``AU2019123456``), the same number for the
application and its documents: A1 published application, A8/A9 corrections, B1/B2 accepted
standard patent, C1 amended, A4 innovation patent (granted on filing), C4 certified innovation
patent. The form is used for applications filed since 2002; older ones (``AU 12345/99``) are
refused.

CA: since the Patent Act of October 1989 the patent number is the application number, 7 digits
from 2000000 (``CA2123456``, 3xxxxxx since 2017); kinds A1 (application laid open) and C (issued
patent). Numbers below 2000000 are patents of the old Act, none still in force, and are refused.
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
_AU_KINDS: dict[str, KindOfRecord] = {
    "A1": "publication",
    "A8": "publication",
    "A9": "publication",
    "A4": "grant",
    "B1": "grant",
    "B2": "grant",
    "C1": "grant",
    "C4": "grant",
}
_CA_KINDS: dict[str, KindOfRecord] = {"A1": "publication", "C": "grant"}


def parse_au(body: str) -> PatentNumber:
    """Parse what follows ``AU``: the 10-digit number, with or without a kind."""
    match = _FORM.fullmatch(compact(body))
    if match is None or len(match[1]) != 10:
        raise InvalidPatentNumber(
            "AU numbers have 10 digits (filing year and serial) and optionally a kind, "
            "e.g. AU2019123456B2 (numbers from before 2002 are not supported)"
        )
    digits, kind = match.groups()
    if not 2002 <= int(digits[:4]) <= 2099:
        year = digits[:4]
        raise InvalidPatentNumber(f"AU numbers start with a filing year from 2002, got {year}")
    record = kind_record(kind, _AU_KINDS, default="application", what="an AU number")
    return PatentNumber("AU", digits, kind, record)


def parse_ca(body: str) -> PatentNumber:
    """Parse what follows ``CA``: the 7-digit application/patent number, with or without kind."""
    match = _FORM.fullmatch(compact(body))
    if match is None or len(match[1]) != 7:
        raise InvalidPatentNumber(
            "CA numbers have 7 digits and optionally a kind, e.g. CA2123456C or CA3012345A1"
        )
    digits, kind = match.groups()
    if digits[0] not in "23":
        raise InvalidPatentNumber(
            "CA numbers below 2000000 are patents of the old Patent Act, none still in force; "
            f"got {digits}"
        )
    record = kind_record(kind, _CA_KINDS, default="unspecified", what="a CA number")
    return PatentNumber("CA", digits, kind, record)
