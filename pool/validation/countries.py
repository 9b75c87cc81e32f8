"""ISO 3166-1 alpha-2 country codes.

The list is written out (not fetched, not taken from a third-party package) so validation is pure,
offline and reviewable. It holds the 249 officially assigned codes; user-assigned codes such as
``XK`` (Kosovo) and exceptionally reserved ones such as ``UK`` or ``EU`` are not countries here.
"""

from __future__ import annotations

import unicodedata

from pool.validation.errors import InvalidIdentifier

# One row per first letter reads better in review than 249 list items, hence the split.
ISO_3166_ALPHA2: frozenset[str] = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    YE YT
    ZA ZM ZW
    """.split()  # noqa: SIM905
)

# Codes people often write that ISO reserves for another meaning; the hint saves a support ticket.
_COMMON_MISTAKES = {"UK": "GB", "EL": "GR"}


class InvalidCountry(InvalidIdentifier):
    """A string that is not an officially assigned ISO 3166-1 alpha-2 code."""

    what = "country code"


def validate_country(code: str) -> str:
    """Return ``code`` upper-cased and stripped if it is an ISO 3166-1 alpha-2 code.

    Full-width letters are folded (NFKC) because they arrive from CJK input methods.
    """
    text = unicodedata.normalize("NFKC", code).strip().upper()
    if len(text) != 2 or not (text.isascii() and text.isalpha()):
        raise InvalidCountry("a country code is exactly two letters (ISO 3166-1 alpha-2)", raw=code)
    if text not in ISO_3166_ALPHA2:
        hint = _COMMON_MISTAKES.get(text)
        suffix = f"; did you mean '{hint}'?" if hint else ""
        raise InvalidCountry(f"'{text}' is not an ISO 3166-1 alpha-2 code{suffix}", raw=code)
    return text
