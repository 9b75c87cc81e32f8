"""ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

import pytest

from pool.validation import ISO_3166_ALPHA2, InvalidCountry, validate_country


def test_the_list_has_every_officially_assigned_code() -> None:
    assert len(ISO_3166_ALPHA2) == 249
    assert {"CN", "US", "DE", "JP", "KR", "GB", "HK", "MO", "TW", "SS", "CW", "SX", "BQ"} <= (
        ISO_3166_ALPHA2
    )
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in ISO_3166_ALPHA2)


@pytest.mark.parametrize(
    ("raw", "expected"), [("CN", "CN"), ("us", "US"), (" de\n", "DE"), ("ｊｐ", "JP")]
)
def test_valid_codes_are_upper_cased(raw: str, expected: str) -> None:
    assert validate_country(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "exactly two letters"),
        ("USA", "exactly two letters"),
        ("1A", "exactly two letters"),
        ("中国", "exactly two letters"),
        ("XK", "'XK' is not an ISO 3166-1 alpha-2 code"),
        ("EU", "'EU' is not an ISO 3166-1 alpha-2 code"),
        ("UK", "did you mean 'GB'?"),
        ("el", "did you mean 'GR'?"),
    ],
)
def test_invalid_codes_are_rejected(raw: str, reason: str) -> None:
    with pytest.raises(InvalidCountry) as caught:
        validate_country(raw)
    assert reason in caught.value.reason
    assert isinstance(caught.value, ValueError)
