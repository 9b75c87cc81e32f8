"""China's unified social credit code (统一社会信用代码, GB 32100-2015).

Layout of the 18 characters (positions are 1-based, as in the standard)::

    1      registration authority (e.g. 9 = market regulation, 1 = institutional staffing)
    2      organisation type within that authority
    3-8    administrative division code (digits)
    9-17   organisation code (GB 11714), whose 9th character is its own check character
    18     check character over positions 1-17

Both check characters are verified: a single mistyped character is always caught by position 18
(31 is prime and every weight is non-zero mod 31), and the inner GB 11714 check catches a second
class of mistakes inside the organisation code. Positions 1 and 2 are only checked against the
character set: the authority and type tables have grown since 2015, and rejecting a real code
because our table is out of date would be worse than accepting an unusual one whose checksums hold.
"""

from __future__ import annotations

import unicodedata

from pool.validation.errors import InvalidIdentifier

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_VALUES = {char: value for value, char in enumerate(USCC_CHARSET)}
# The standard's weight table 1, 3, 9, 27, 19, 26, ... is 3**i mod 31.
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714 organisation code weights over its first 8 characters.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_LOOKALIKES = {"O": "0", "I": "1"}


class InvalidUSCC(InvalidIdentifier):
    """A string that is not a valid unified social credit code; ``position`` is 1-based."""

    what = "unified social credit code"

    def __init__(self, reason: str, *, raw: str | None = None, position: int | None = None) -> None:
        self.position = position
        super().__init__(reason, raw=raw)


def uscc_check_char(prefix: str) -> str:
    """Return the check character (position 18) for the first 17 characters of a code.

    Public so that demo data and tests can build valid codes; raises ``KeyError`` for a character
    outside the USCC set, ``ValueError`` for a prefix that is not 17 characters long.
    """
    if len(prefix) != 17:
        raise ValueError(f"a USCC check needs 17 characters, got {len(prefix)}")
    total = sum(_VALUES[char] * weight for char, weight in zip(prefix, _WEIGHTS, strict=True))
    return USCC_CHARSET[-total % 31]


def org_code_check_char(body: str) -> str:
    """Return the GB 11714 check character for the 8-character body of an organisation code.

    GB 11714 values letters as in base 36 (A=10 ... Z=35), not by their place in the USCC
    character set; the check is ``11 - sum mod 11`` with 10 written ``X`` and 11 written ``0``.
    """
    if len(body) != 8:
        raise ValueError(f"an organisation code check needs 8 characters, got {len(body)}")
    total = sum(int(char, 36) * weight for char, weight in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_uscc(raw: str) -> str:
    """Return the code stripped and upper-cased, or raise :class:`InvalidUSCC` naming the position.

    Full-width characters (common from Chinese input methods) are folded with NFKC first.
    """
    code = unicodedata.normalize("NFKC", raw).strip().upper()
    if len(code) != 18:
        raise InvalidUSCC(f"must be 18 characters, got {len(code)}", raw=raw)
    _check_charset(code, raw)
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        reason = f"position 18: check character should be '{expected}', got '{code[17]}'"
        raise InvalidUSCC(reason, raw=raw, position=18)
    expected = org_code_check_char(code[8:16])
    if code[16] != expected:
        reason = (
            f"position 17: organisation code (positions 9-17) check character should be "
            f"'{expected}', got '{code[16]}'"
        )
        raise InvalidUSCC(reason, raw=raw, position=17)
    return code


def _check_charset(code: str, raw: str) -> None:
    """Reject characters outside the USCC set, and non-digits in the division code (3-8)."""
    for position, char in enumerate(code, start=1):
        if char not in _VALUES:
            hint = _LOOKALIKES.get(char)
            suffix = f" (did you mean '{hint}'?)" if hint else ""
            reason = f"position {position}: '{char}' is not a USCC character{suffix}"
            raise InvalidUSCC(reason, raw=raw, position=position)
        if 3 <= position <= 8 and not char.isdigit():
            reason = (
                f"position {position}: the administrative division code (positions 3-8) "
                f"is digits only, got '{char}'"
            )
            raise InvalidUSCC(reason, raw=raw, position=position)


USCC_LENGTH = "a unified social credit code has 18 characters"
USCC_CHARACTERS = (
    "a unified social credit code has digits and capital letters other than I, O, S, V and Z, "
    "and digits in positions 3 to 8"
)
USCC_CHECK = "the check character does not match the code: a character is mistyped"


def plain_uscc(raw: str) -> str:
    """`validate_uscc`, its fault said in one of three fixed sentences (a page translates
    them; the position a fault is at is in `validate_uscc`'s own message)."""
    try:
        return validate_uscc(raw)
    except InvalidUSCC as error:
        if error.position is None:
            raise InvalidUSCC(USCC_LENGTH, raw=raw) from None
        if error.position >= 17 and "check character" in error.reason:
            raise InvalidUSCC(USCC_CHECK, raw=raw, position=error.position) from None
        raise InvalidUSCC(USCC_CHARACTERS, raw=raw, position=error.position) from None
