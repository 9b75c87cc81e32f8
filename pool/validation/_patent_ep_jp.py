"""European (EPO) and Japanese (JPO) numbers.

EP publication numbers are the same for the application publication (A1, A2, A3, A4) and the
grant (B1, B2, B3); they are written with 7 digits, zero-padded (``EP0123456B1``), as Espacenet
does, so ``EP 123456`` and ``EP0123456`` are one patent.

JP numbers accepted: unexamined publications with a Western year since 2000
(``JP2019123456A``, written 2019-123456) and 7-digit patent (grant) numbers (``JP6123456B2``).
Publications before 2000 carry a Japanese era year (e.g. H11-123456, 平11-123456); no patent
from them is still in force, so they are rejected with a reason rather than converted.
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

_EP_FORM = re.compile(r"(\d{1,7})([A-Z]\d?)?", re.ASCII)
_EP_KINDS: dict[str, KindOfRecord] = {
    "A1": "publication",
    "A2": "publication",
    "A3": "publication",
    "A4": "publication",
    "B1": "grant",
    "B2": "grant",
    "B3": "grant",
}
_JP_PUBLICATION = re.compile(r"(\d{4})(\d{6})([A-Z]\d?)?", re.ASCII)
_JP_GRANT = re.compile(r"(\d{7})([A-Z]\d?)?", re.ASCII)
_JP_ERA_MARKS = ("M", "T", "S", "H", "明", "大", "昭", "平")
_JP_PUBLICATION_KINDS: dict[str, KindOfRecord] = {"A": "publication"}
_JP_GRANT_KINDS: dict[str, KindOfRecord] = {"B1": "grant", "B2": "grant"}


def parse_ep(body: str) -> PatentNumber:
    """Parse what follows ``EP``: a publication number of up to 7 digits and a kind."""
    match = _EP_FORM.fullmatch(compact(body))
    if match is None:
        raise InvalidPatentNumber(
            "EP publication numbers have up to 7 digits and a kind, e.g. EP1234567B1 "
            "(EP application numbers are not supported)"
        )
    digits, kind = match.groups()
    if int(digits) == 0:
        raise InvalidPatentNumber("EP publication number cannot be zero")
    record = kind_record(kind, _EP_KINDS, default="unspecified", what="an EP publication")
    return PatentNumber("EP", digits.zfill(7), kind, record)


def parse_jp(body: str) -> PatentNumber:
    """Parse what follows ``JP``: a Western-year publication number or a 7-digit grant number."""
    text = compact(body)
    if text.startswith(_JP_ERA_MARKS):
        raise InvalidPatentNumber(
            "Japanese era-year numbers (e.g. H11-123456) are not supported; "
            "give the patent (grant) number, e.g. JP6123456B2"
        )
    match = _JP_PUBLICATION.fullmatch(text)
    if match:
        year, serial, kind = match.groups()
        if not 2000 <= int(year) <= 2099:
            raise InvalidPatentNumber(
                f"JP publication numbers YYYY-NNNNNN start with a year from 2000, got {year}"
            )
        record = kind_record(
            kind, _JP_PUBLICATION_KINDS, default="publication", what="a JP publication"
        )
        return PatentNumber("JP", year + serial, kind, record)
    match = _JP_GRANT.fullmatch(text)
    if match:
        digits, kind = match.groups()
        record = kind_record(kind, _JP_GRANT_KINDS, default="grant", what="a JP patent number")
        return PatentNumber("JP", digits, kind, record)
    raise InvalidPatentNumber(
        "not a JP publication number (YYYY-NNNNNN, e.g. JP2019123456A) "
        "or patent number (7 digits, e.g. JP6123456B2)"
    )
