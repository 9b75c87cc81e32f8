"""Tables of real and typical inputs: what each normalises to, and why bad ones are refused.

CN application numbers marked "real" were published in granted-patent lists; their check digits
are what CNIPA printed, so they test the check-digit algorithm against real data, not against
our own reading of it.
"""

from __future__ import annotations

import pytest

from pool.validation import (
    InvalidIdentifier,
    InvalidPatentNumber,
    PatentNumber,
    cn_application_check_digit,
    normalize_patent_number,
)

GOOD = [
    # CN application numbers, 12-digit format (real)
    ("ZL 2023 1 0397744.0", "CN202310397744.0", "application"),
    ("ZL 2021 1 0408724.X", "CN202110408724.X", "application"),
    ("zl 2021 1 0408724.x", "CN202110408724.X", "application"),
    ("ZL202011472880.4", "CN202011472880.4", "application"),
    ("CN 201710601862.3", "CN201710601862.3", "application"),
    ("CN2014100261923", "CN201410026192.3", "application"),
    ("ZL 2022 2 0828888.8", "CN202220828888.8", "application"),
    ("ZL201930071397.7", "CN201930071397.7", "application"),
    ("ZL 2025 1 1071601.6", "CN202511071601.6", "application"),
    ("ＺＬ２０１４１００２６１９２．３", "CN201410026192.3", "application"),
    ("ZL 201610551889。1", "CN201610551889.1", "application"),
    ("CN-2012-1-0442457·9", "CN201210442457.9", "application"),
    # CN application numbers, 8-digit format 1985-2003 (real)
    ("ZL99113861.9", "CN99113861.9", "application"),
    ("ZL 01 1 05715.7", "CN01105715.7", "application"),
    ("ZL00125301.8", "CN00125301.8", "application"),
    ("CN011264632", "CN01126463.2", "application"),
    ("ZL 97 1 01765.4", "CN97101765.4", "application"),
    ("ZL95115608.X", "CN95115608.X", "application"),
    # CN publication and grant numbers
    ("CN 116455754 B", "CN116455754B", "grant"),
    ("CN120551632B", "CN120551632B", "grant"),
    ("CN 216979871 U", "CN216979871U", "grant"),
    ("CN101234567A", "CN101234567A", "publication"),
    ("CN100123456C", "CN100123456C", "grant"),
    ("cn 101234567", "CN101234567", "unspecified"),
    ("CN201234567Y", "CN201234567Y", "grant"),
    ("CN 201234567", "CN201234567", "grant"),
    ("CN301234567S", "CN301234567S", "grant"),
    # US
    ("US 10,123,456 B2", "US10123456B2", "grant"),
    ("us10123456b2", "US10123456B2", "grant"),
    ("US 10.123.456 B2", "US10123456B2", "grant"),
    ("US 6,123,456 A", "US6123456A", "grant"),
    ("US06123456", "US6123456", "grant"),
    ("US 12,000,000 B1", "US12000000B1", "grant"),
    ("US RE45,678 E", "USRE45678E", "grant"),
    ("USRE049000E1", "USRE49000E1", "grant"),
    ("US D901,234 S", "USD901234S", "grant"),
    ("USD0901234", "USD901234", "grant"),
    ("US 2019/0123456 A1", "US20190123456A1", "publication"),
    ("US2019123456A1", "US20190123456A1", "publication"),
    ("US 2019-0123456", "US20190123456", "publication"),
    # EP
    ("EP 1 234 567 B1", "EP1234567B1", "grant"),
    ("ep-1234567-b1", "EP1234567B1", "grant"),
    ("EP1234567A1", "EP1234567A1", "publication"),
    ("EP 123456 A2", "EP0123456A2", "publication"),
    ("EP1234567", "EP1234567", "unspecified"),
    # JP
    ("JP 2019-123456 A", "JP2019123456A", "publication"),
    ("JP2019123456", "JP2019123456", "publication"),
    ("JP 6123456 B2", "JP6123456B2", "grant"),
    ("JP6123456", "JP6123456", "grant"),
    # KR
    ("10-2019-0012345", "KR1020190012345", "application"),
    ("１０－２０１９－００１２３４５", "KR1020190012345", "application"),
    ("KR 10-2019-0012345 A", "KR1020190012345A", "publication"),
    ("10-2019-0012345 A", "KR1020190012345A", "publication"),
    ("KR20190012345A", "KR1020190012345A", "publication"),
    ("KR20190012345U", "KR2020190012345U", "publication"),
    ("KR 10-1234567 B1", "KR101234567B1", "grant"),
    ("10-1234567 B1", "KR101234567B1", "grant"),
    ("KR 20-0412345 Y1", "KR200412345Y1", "grant"),
    ("KR101234567", "KR101234567", "grant"),
    # WO and PCT
    ("WO 2019/123456 A1", "WO2019123456A1", "publication"),
    ("WO2019123456", "WO2019123456", "publication"),
    ("WO 2001/012345 A2", "WO2001012345A2", "publication"),
    ("PCT/CN2019/123456", "PCT/CN2019/123456", "application"),
    ("pct/cn 2019/123456", "PCT/CN2019/123456", "application"),
    ("PCT/IB2020/051234", "PCT/IB2020/051234", "application"),
    ("PCT/EP2019/012345", "PCT/EP2019/012345", "application"),
    ("WO2019CN123456", "PCT/CN2019/123456", "application"),
]

BAD = [
    ("", "is empty"),
    ("  ", "is empty"),
    ("XX123", "unknown jurisdiction 'XX'"),
    ("BR1020150062087", "jurisdiction 'BR' is not supported yet"),
    ("201810123456.X", "should start with a jurisdiction code"),
    ("特許第6123456号", "should start with a jurisdiction code"),
    ("C", "should start with a jurisdiction code"),
    # CN application numbers
    ("ZL 2023 1 0397744.7", "CN application number check digit should be 0, got 7"),
    ("ZL 2018 1 0123456.X", "check digit should be 5, got X"),
    ("ZL 2021 1 0408724.5", "check digit should be X, got 5"),
    ("ZL01105715.3", "check digit should be 7, got 3"),
    ("ZL 2002 1 0123456.7", "filing year from 2003, got 2002"),
    ("ZL 2023 4 0397744.0", "type digit should be 1, 2, 3, 8 or 9, got 4"),
    ("ZL 84 1 05715.7", "filing year 85-99 or 00-03, got 84"),
    ("ZL 01 5 05715.7", "type digit should be 1, 2, 3, 8 or 9, got 5"),
    ("CN10123456X", "filing year 85-99 or 00-03, got 10"),
    ("CN201810123456", "missing its check digit"),
    ("ZL201810123456", "missing its check digit"),
    ("ZL116455754B", "ZL must be followed by an application number"),
    ("CN2018.10123456X", "not a CN application number"),
    ("CN1234567A", "not a CN application number"),
    ("CN٢٠١٨١٠١٢٣٤٥٦.5", "not a CN application number"),
    # CN publication numbers
    ("CN401234567", "start with 1 (invention), 2 (utility model) or 3 (design), got 4"),
    ("CN201234567A", "kind A does not fit a CN utility model number (expected U, Y)"),
    ("CN101234567U", "kind U does not fit a CN invention number"),
    ("CN301234567B", "kind B does not fit a CN design number"),
    # US
    ("US 123456", "US utility patent number has 7-8 digits without leading zeros, got 6"),
    ("US123456789", "7-8 digits without leading zeros, got 9"),
    ("US10123456A1", "kind A1 does not fit a US utility patent"),
    ("USRE1234567", "US reissue number has 1-6 digits"),
    ("USRE45678S", "kind S does not fit a US reissue"),
    ("USD12345678", "US design patent number has 1-7 digits"),
    ("US 1019/0123456 A1", "with a year from 2001, got 1019"),
    ("US20190123456B2", "kind B2 does not fit a US pre-grant publication"),
    ("US 16/123,456", "US application serial numbers"),
    ("USX123", "not a US utility"),
    ("US", "not a US utility"),
    # EP
    ("EP12345678", "up to 7 digits"),
    ("EP 19 123 456.7", "EP application numbers are not supported"),
    ("EP0000000", "cannot be zero"),
    ("EP1234567C1", "kind C1 does not fit an EP publication"),
    # JP
    ("JPH11-123456", "era-year"),
    ("JP 平11-123456", "era-year"),
    ("JP 1999-123456 A", "year from 2000, got 1999"),
    ("JP2019123456B2", "kind B2 does not fit a JP publication"),
    ("JP6123456A", "kind A does not fit a JP patent number"),
    ("JP123456", "not a JP publication number"),
    # KR
    ("KR 30-2019-0012345", "right code 10 (patent) or 20 (utility model), got 30"),
    ("KR 30-1234567", "right code 10 (patent) or 20 (utility model), got 30"),
    ("KR 10-1819-0012345", "year should be 19xx or 20xx, got 1819"),
    ("KR 10-2019-0012345 U", "kind U does not fit a KR patent"),
    ("KR 10-1234567 Y1", "kind Y1 does not fit a KR patent"),
    ("KR 20-1234567 B1", "kind B1 does not fit a KR utility model"),
    ("KR20190012345", "needs kind A or U"),
    ("KR20190012345B1", "needs kind A or U"),
    ("KR12345", "not a KR application"),
    ("KRX", "not a KR application"),
    # WO and PCT
    ("WO 1977/123456", "from 1978, got 1977"),
    ("WO2019123456B1", "kind B1 does not fit a WO publication"),
    ("WO 01/12345", "WO + 4-digit year + 6-digit serial"),
    ("WO2019XX123456", "unknown PCT receiving office 'XX'"),
    ("PCT/CN03/00123", "before 2004 is not supported"),
    ("PCT/XX2019/123456", "unknown PCT receiving office 'XX'"),
    ("PCT/CN2003/123456", "year from 2004, got 2003"),
]


@pytest.mark.parametrize(("raw", "canonical", "kind_of_record"), GOOD)
def test_good_inputs_normalise_to_their_canonical_form(
    raw: str, canonical: str, kind_of_record: str
) -> None:
    number = normalize_patent_number(raw)
    assert number.canonical == canonical
    assert number.kind_of_record == kind_of_record
    assert str(number) == canonical


@pytest.mark.parametrize(("raw", "canonical", "kind_of_record"), GOOD)
def test_canonical_form_is_a_fixed_point(raw: str, canonical: str, kind_of_record: str) -> None:
    assert normalize_patent_number(canonical) == normalize_patent_number(raw)


@pytest.mark.parametrize(("raw", "reason"), BAD)
def test_bad_inputs_are_rejected_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidPatentNumber) as caught:
        normalize_patent_number(raw)
    assert reason in caught.value.reason
    assert caught.value.raw == raw


def test_fields_of_a_parsed_number() -> None:
    assert normalize_patent_number("US 10,123,456 B2") == PatentNumber(
        "US", "10123456", "B2", "grant"
    )
    assert normalize_patent_number("ZL 2023 1 0397744.0") == PatentNumber(
        "CN", "202310397744.0", None, "application"
    )
    assert normalize_patent_number("PCT/CN2019/123456") == PatentNumber(
        "WO", "CN2019/123456", None, "application"
    )


def test_error_is_a_value_error_whose_message_quotes_the_input() -> None:
    with pytest.raises(ValueError, match=r"invalid patent number 'XX123': unknown") as caught:
        normalize_patent_number("XX123")
    assert isinstance(caught.value, InvalidIdentifier)


def test_error_message_cuts_long_inputs() -> None:
    with pytest.raises(InvalidPatentNumber) as caught:
        normalize_patent_number("XX" + "1" * 500)
    assert len(str(caught.value)) < 120
    assert caught.value.raw == "XX" + "1" * 500


def test_error_without_input_has_a_plain_message() -> None:
    assert str(InvalidPatentNumber("is empty")) == "invalid patent number: is empty"


@pytest.mark.parametrize(
    ("digits", "check"),
    [("202310397744", "0"), ("202110408724", "X"), ("95115608", "X"), ("01105715", "7")],
)
def test_cn_check_digit_of_real_numbers(digits: str, check: str) -> None:
    assert cn_application_check_digit(digits) == check


@pytest.mark.parametrize("digits", ["2023103977", "2023103977440", "20231039774A", "٢٠١٨١٠١٢"])
def test_cn_check_digit_rejects_other_lengths_and_characters(digits: str) -> None:
    with pytest.raises(ValueError, match="8 or 12 digits"):
        cn_application_check_digit(digits)
