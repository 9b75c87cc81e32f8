"""Unified social credit codes: real published codes, position-naming reasons, and properties.

The reference check computations below use the weight tables exactly as GB 32100 and GB 11714
print them, independently of the implementation under test.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pool.validation import (
    USCC_CHARSET,
    InvalidUSCC,
    org_code_check_char,
    uscc_check_char,
    validate_uscc,
)

USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

REAL_CODES = [
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "91440300708461136T",  # Shenzhen Tencent Computer Systems Co., Ltd.
    "91110108551385082Q",  # Xiaomi Inc. (小米科技有限责任公司)
    "91110000802100433B",  # Beijing Baidu Netcom Science and Technology Co., Ltd.
    "9144030027939873X7",  # ZTE Corporation (organisation code check character X)
    "91330100799655058B",  # Alibaba (China) Co., Ltd.
    # Codes with letters in the organisation code, from public company listings: they confirm
    # that GB 11714 values letters as in base 36 (A=10), not by their USCC position.
    "91310000MA1FW1BXX2",
    "91310000MA1K32MN7F",
    "91110108MA01G0FB09",
]


def reference_uscc_check(prefix: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(prefix, USCC_WEIGHTS, strict=True))
    check = 31 - total % 31
    return USCC_CHARSET[0 if check == 31 else check]


def reference_org_check(body: str) -> str:
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def with_checks(first16: str) -> str:
    prefix = first16 + reference_org_check(first16[8:])
    return prefix + reference_uscc_check(prefix)


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    chars = st.sampled_from(USCC_CHARSET)
    head = draw(st.text(USCC_CHARSET, min_size=2, max_size=2))
    division = draw(st.text("0123456789", min_size=6, max_size=6))
    body = "".join(draw(st.lists(chars, min_size=8, max_size=8)))
    return with_checks(head + division + body)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_validate(code: str) -> None:
    assert validate_uscc(code) == code
    assert reference_uscc_check(code[:17]) == code[17]
    assert reference_org_check(code[8:16]) == code[16]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  914403001922038216\n", "914403001922038216"),
        ("91440300708461136t", "91440300708461136T"),
        ("９１４４０３００２７９３９８７３Ｘ７", "9144030027939873X7"),
    ],
)
def test_input_is_stripped_folded_and_upper_cased(raw: str, expected: str) -> None:
    assert validate_uscc(raw) == expected


@pytest.mark.parametrize(
    ("raw", "position", "reason"),
    [
        ("91440300192203821", None, "must be 18 characters, got 17"),
        ("9144030019220382166", None, "must be 18 characters, got 19"),
        ("9144I3001922038216", 5, "position 5: 'I' is not a USCC character (did you mean '1'?)"),
        ("91440300O922038216", 9, "position 9: 'O' is not a USCC character (did you mean '0'?)"),
        ("914403001922038Z16", 16, "position 16: 'Z' is not a USCC character"),
        ("9144A3001922038216", 5, "position 5: the administrative division code (positions 3-8)"),
        ("914403001922038217", 18, "position 18: check character should be '6', got '7'"),
        ("914403001922038226", 18, "position 18: check character should be"),
    ],
)
def test_bad_codes_name_the_position(raw: str, position: int | None, reason: str) -> None:
    with pytest.raises(InvalidUSCC) as caught:
        validate_uscc(raw)
    assert reason in caught.value.reason
    assert caught.value.position == position
    assert caught.value.raw == raw


def test_organisation_code_check_is_verified_too() -> None:
    first16 = "9144030019220382"
    wrong = next(c for c in "0123456789X" if c != reference_org_check(first16[8:]))
    code = first16 + wrong
    code += reference_uscc_check(code)  # position 18 is right, only the inner check fails
    with pytest.raises(InvalidUSCC, match="position 17: organisation code") as caught:
        validate_uscc(code)
    assert caught.value.position == 17


def test_check_helpers_refuse_wrong_lengths() -> None:
    with pytest.raises(ValueError, match="17 characters"):
        uscc_check_char("9144030019220382")
    with pytest.raises(ValueError, match="8 characters"):
        org_code_check_char("1922038")


def test_charset_has_31_characters_without_lookalikes() -> None:
    assert len(set(USCC_CHARSET)) == 31
    assert not set("IOSVZ") & set(USCC_CHARSET)


@settings(max_examples=300)
@given(valid_codes())
def test_generated_codes_validate(code: str) -> None:
    assert validate_uscc(code) == code
    assert uscc_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


@settings(max_examples=500)
@given(valid_codes(), st.data())
def test_every_single_character_change_is_detected(code: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, 17))
    replacement = data.draw(st.sampled_from(USCC_CHARSET).filter(lambda c: c != code[position]))
    mutated = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(InvalidUSCC):
        validate_uscc(mutated)
    # 31 is prime and no weight is 0 mod 31: position 18 alone catches every substitution.
    assert reference_uscc_check(mutated[:17]) != mutated[17]


@given(st.text(max_size=24))
def test_any_text_either_validates_or_raises_invalid(raw: str) -> None:
    outcome = _outcome(raw)
    if isinstance(outcome, InvalidUSCC):
        assert outcome.reason
    else:
        assert validate_uscc(outcome) == outcome


def _outcome(raw: str) -> str | InvalidUSCC:
    try:
        return validate_uscc(raw)
    except InvalidUSCC as error:
        return error
