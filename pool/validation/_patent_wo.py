"""WIPO numbers: PCT publication numbers (WO) and PCT application numbers.

Publications are ``WO`` + 4-digit year + 6-digit serial + kind (``WO2019/123456 A1`` is
``WO2019123456A1``; this is also how Espacenet and Google Patents write older 2-digit-year ones).
Application numbers are written the official way, ``PCT/CN2019/123456`` (receiving office, year,
6-digit serial, a form used since 2004); the DOCDB form ``WO2019CN123456`` maps to it.
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
from pool.validation.countries import ISO_3166_ALPHA2

_PUBLICATION = re.compile(r"(\d{4})(\d{6})([A-Z]\d?)?", re.ASCII)
_DOCDB_APPLICATION = re.compile(r"(\d{4})([A-Z]{2})(\d{6})", re.ASCII)
_APPLICATION = re.compile(r"([A-Z]{2})(\d{4})(\d{6})", re.ASCII)
_PUBLICATION_KINDS: dict[str, KindOfRecord] = dict.fromkeys(
    ("A1", "A2", "A3", "A4", "A8", "A9"), "publication"
)
# National offices plus the International Bureau and the regional offices acting as receiving
# office (EPO, Eurasian, ARIPO).
_RECEIVING_OFFICES = ISO_3166_ALPHA2 | {"IB", "EP", "EA", "AP"}


def parse_wo(body: str) -> PatentNumber:
    """Parse what follows ``WO``: a publication number, or a PCT application in DOCDB form."""
    text = compact(body)
    match = _PUBLICATION.fullmatch(text)
    if match:
        year, serial, kind = match.groups()
        if not 1978 <= int(year) <= 2099:
            raise InvalidPatentNumber(f"WO publication year should be from 1978, got {year}")
        record = kind_record(
            kind, _PUBLICATION_KINDS, default="publication", what="a WO publication"
        )
        return PatentNumber("WO", year + serial, kind, record)
    match = _DOCDB_APPLICATION.fullmatch(text)
    if match:
        year, office, serial = match.groups()
        return _application(office, year, serial)
    raise InvalidPatentNumber(
        "WO publication numbers are WO + 4-digit year + 6-digit serial, e.g. WO2019/123456 A1"
    )


def parse_pct(body: str) -> PatentNumber:
    """Parse what follows ``PCT``: ``/CC YYYY/NNNNNN``."""
    match = _APPLICATION.fullmatch(compact(body))
    if match is None:
        raise InvalidPatentNumber(
            "PCT application numbers are PCT/CCYYYY/NNNNNN, e.g. PCT/CN2019/123456 "
            "(the form used before 2004 is not supported)"
        )
    office, year, serial = match.groups()
    return _application(office, year, serial)


def _application(office: str, year: str, serial: str) -> PatentNumber:
    """Validate the receiving office and year of a PCT application number."""
    if office not in _RECEIVING_OFFICES:
        raise InvalidPatentNumber(f"unknown PCT receiving office '{office}'")
    if not 2004 <= int(year) <= 2099:
        raise InvalidPatentNumber(
            f"PCT application numbers of this form have a year from 2004, got {year}"
        )
    return PatentNumber("WO", f"{office}{year}/{serial}", None, "application")
