"""ISO 4217 currencies and their minor-unit exponents: the single source of truth.

Money is stored as an integer number of minor units; the exponent says how many minor units
make one major unit (10 ** exponent). The table lists the codes of ISO 4217 "list one"
(currencies and funds, as maintained by SIX for ISO) that have a minor unit. Codes whose
minor unit is "N.A." (gold, silver, SDR, test and "no currency" codes) are not currencies
that money can be counted in here, so they are left out on purpose.
"""

from __future__ import annotations

from types import MappingProxyType

from allocation.errors import InvalidInput

# One string per exponent keeps the table readable and easy to diff against the standard.
_EXPONENT_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND"
_EXPONENT_4 = "CLF UYW"
_EXPONENT_2 = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB "
    "EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS "
    "KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN "
    "MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD "
    "SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD "
    "TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL"
)

MINOR_UNIT_EXPONENTS = MappingProxyType(
    {
        code: exponent
        for codes, exponent in (
            (_EXPONENT_0, 0),
            (_EXPONENT_2, 2),
            (_EXPONENT_3, 3),
            (_EXPONENT_4, 4),
        )
        for code in codes.split()
    }
)
"""Currency code -> minor-unit exponent (read-only)."""


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code that money can be counted in."""
    return code in MINOR_UNIT_EXPONENTS


def minor_unit_exponent(code: str) -> int:
    """The minor-unit exponent of ``code`` (USD 2, JPY 0, BHD 3).

    Raises :class:`InvalidInput` (path ``$.currency``) for an unknown code, because a wrong
    exponent would silently scale every amount by a power of ten.
    """
    try:
        return MINOR_UNIT_EXPONENTS[code]
    except KeyError:
        raise InvalidInput("$.currency", f"unknown ISO 4217 currency code {code!r}") from None


def format_minor(amount_minor: int, code: str) -> str:
    """Format an amount of minor units in major units, e.g. ``123456`` USD -> ``1,234.56``."""
    exponent = minor_unit_exponent(code)
    sign = "-" if amount_minor < 0 else ""
    major, minor = divmod(abs(amount_minor), 10**exponent)
    if exponent == 0:
        return f"{sign}{major:,}"
    return f"{sign}{major:,}.{minor:0{exponent}d}"
