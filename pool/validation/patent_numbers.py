"""Normalise patent numbers to one canonical string each.

The pool stores patents unique by :attr:`PatentNumber.canonical`, so every way of writing a number
(spaces, hyphens, thousands separators, lower case, full-width characters, the ``ZL`` prefix) must
map to one string, and anything we cannot read with confidence is rejected with a reason rather
than guessed at. Canonical forms:

=========================  ============================  =====================  ================
what                       typical input                 canonical              kind_of_record
=========================  ============================  =====================  ================
CN application (2003-)     ZL 2021 1 0408724.X           CN202110408724.X       application
CN application (1985-2003) ZL 01 1 05715.7               CN01105715.7           application
CN publication / grant     CN 101234567 A / B, U, Y, S   CN101234567A           publication/grant
US utility grant           US 10,123,456 B2              US10123456B2           grant
US reissue                 US RE45,678 E                 USRE45678E             grant
US design                  US D901,234 S                 USD901234S             grant
US pre-grant publication   US 2019/0123456 A1            US20190123456A1        publication
EP publication / grant     EP 1 234 567 B1               EP1234567B1            publication/grant
JP publication             JP 2019-123456 A              JP2019123456A          publication
JP grant                   JP 6123456 B2                 JP6123456B2            grant
KR application             10-2019-0012345               KR1020190012345        application
KR publication             KR 10-2019-0012345 A          KR1020190012345A       publication
KR grant                   KR 10-1234567 B1              KR101234567B1          grant
WO publication             WO 2019/123456 A1             WO2019123456A1         publication
PCT application            PCT/CN2019/123456             PCT/CN2019/123456      application
DE file number             DE 10 2014 218 224.7          DE102014218224.7       application
DE publication / grant     DE 10 2019 123 456 A1 / B4    DE102019123456A1       publication/grant
GB application             GB 1912345.6                  GB1912345.6            application
GB publication / grant     GB 2 512 345 A / B            GB2512345A             publication/grant
FR publication / grant     FR 3 012 345 A1 / B1          FR3012345A1            publication/grant
TW application             TW 108123456                  TW108123456            application
TW publication             TW 201912345 A                TW201912345A           publication
TW grant                   TW I654321 B / M, D           TWI654321B             grant
IN application             IN 201911012345               IN201911012345         application
IN application (-2015)     IN 1234/DELNP/2008            IN1234/DELNP/2008      application
IN publication             IN 201911012345 A             IN201911012345A        publication
IN grant                   IN 345678 B                   IN345678B              grant
AU application / document  AU 2019123456 A1 / B2         AU2019123456A1         (by kind)
CA application / patent    CA 2,123,456 A1 / C           CA2123456C             (by kind)
=========================  ============================  =====================  ================

The kind code is kept when given and is part of the canonical string (a publication and a grant
are different documents); a number given without its kind is canonical without it, so
``US10123456`` and ``US10123456B2`` are different strings. A caller that needs one row per granted
patent should require the kind code. A DE file number and its publications share one
:attr:`PatentNumber.key` (the DPMA publishes under the file number); so do AU, CA and IN numbers,
which stay the same from filing to grant. Number formats, their sources and check rules are in
the per-jurisdiction modules (``_patent_cn`` and friends) and docs/patent_numbers.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from pool.validation._patent_au_ca import parse_au, parse_ca
from pool.validation._patent_cn import parse_cn
from pool.validation._patent_de import parse_de
from pool.validation._patent_ep_jp import parse_ep, parse_jp
from pool.validation._patent_gb_fr import parse_fr, parse_gb
from pool.validation._patent_kr import parse_kr
from pool.validation._patent_tw_in import parse_in, parse_tw
from pool.validation._patent_types import InvalidPatentNumber, KindOfRecord, PatentNumber
from pool.validation._patent_us import parse_us
from pool.validation._patent_wo import parse_pct, parse_wo
from pool.validation.countries import ISO_3166_ALPHA2

__all__ = [
    "JURISDICTIONS",
    "InvalidPatentNumber",
    "KindOfRecord",
    "PatentNumber",
    "normalize_patent_number",
]

_PARSERS: dict[str, Callable[[str], PatentNumber]] = {
    "AU": parse_au,
    "CA": parse_ca,
    "CN": parse_cn,
    "DE": parse_de,
    "EP": parse_ep,
    "FR": parse_fr,
    "GB": parse_gb,
    "IN": parse_in,
    "JP": parse_jp,
    "KR": parse_kr,
    "TW": parse_tw,
    "US": parse_us,
    "WO": parse_wo,
}
JURISDICTIONS: tuple[str, ...] = tuple(sorted(_PARSERS))
"""The offices whose numbers are accepted (WO: PCT publications and applications)."""
_SUPPORTED = ", ".join(JURISDICTIONS)
# Whitespace, thousands separators and every dash people paste from word processors.
_SEPARATORS = re.compile(r"[\s,_\-\u2010-\u2015\u2212]+")
# Dots from Chinese and Japanese input methods that NFKC leaves alone.
_DOTS = str.maketrans({"。": ".", "·": ".", "・": "."})
# KIPO writes its numbers with this exact hyphenation (10-2019-0012345, 10-1234567), and no other
# office does, so that shape alone identifies a Korean number given without "KR".
_KIPO_SHAPE = re.compile(r"[12]0-(\d{4}-)?\d{7}([A-Z]\d?)?", re.ASCII)


def normalize_patent_number(raw: str) -> PatentNumber:
    """Return the validated :class:`PatentNumber` for ``raw`` or raise :class:`InvalidPatentNumber`.

    The error's ``reason`` says what is wrong in terms a patent administrator can act on, e.g.
    "CN application number check digit should be 5, got 7" or "unknown jurisdiction 'XX'".
    """
    try:
        return _dispatch(_clean(raw))
    except InvalidPatentNumber as error:
        raise InvalidPatentNumber(error.reason, raw=raw) from None


def _clean(raw: str) -> str:
    """Fold full-width forms (NFKC), unify dots, drop separators, upper-case; add a missing KR."""
    text = unicodedata.normalize("NFKC", raw).translate(_DOTS).upper()
    if _KIPO_SHAPE.fullmatch("".join(text.split())):
        text = "KR" + text
    return _SEPARATORS.sub("", text)


def _dispatch(text: str) -> PatentNumber:
    """Pick the parser from the prefix: PCT, ZL (a Chinese patent number) or a jurisdiction code."""
    if not text:
        raise InvalidPatentNumber("is empty")
    if text.startswith("PCT"):
        return parse_pct(text[3:])
    if text.startswith("ZL"):
        return parse_cn(text[2:], zl=True)
    prefix = text[:2]
    parser = _PARSERS.get(prefix)
    if parser is not None:
        return parser(text[2:])
    if not (prefix.isascii() and prefix.isalpha() and len(prefix) == 2):
        raise InvalidPatentNumber(
            f"should start with a jurisdiction code ({_SUPPORTED}), ZL or PCT"
        )
    if prefix in ISO_3166_ALPHA2:
        raise InvalidPatentNumber(
            f"jurisdiction '{prefix}' is not supported yet (supported: {_SUPPORTED})"
        )
    raise InvalidPatentNumber(f"unknown jurisdiction '{prefix}'")
