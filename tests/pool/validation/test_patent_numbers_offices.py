"""DE, GB, FR, TW, IN, AU and CA numbers: what each normalises to, and why bad ones are refused.

DE file numbers marked "real" were printed by the DPMA or the Federal Patent Court (sources in
docs/patent_numbers.md); their check digits test the DPMA rule against real data, not against our
own reading of it. The other offices' numbers have no check digit and show each form.
"""

from __future__ import annotations

import pytest

from pool.validation import (
    JURISDICTIONS,
    InvalidPatentNumber,
    de_file_check_digits,
    normalize_patent_number,
)

# real DE file numbers: (12 digits, check digit as printed)
REAL_DE_FILES = [
    ("102007004488", "9"),
    ("102014218224", "7"),
    ("102018132472", "3"),
    ("102009007910", "6"),
    ("102014003988", "9"),
    ("102012019863", "9"),
    ("102007045776", "8"),
    ("102026001712", "2"),
    ("102026002312", "2"),
]

GOOD = [
    # DE file numbers (real), then publications under the same number
    ("DE 10 2014 218 224.7", "DE102014218224.7", "application"),
    ("de 10 2007 004 488.9", "DE102007004488.9", "application"),
    ("DE 10 2012 019 863.9", "DE102012019863.9", "application"),
    ("DE 10 2018 132 472.3", "DE102018132472.3", "application"),
    ("DE1020090079106", "DE102009007910.6", "application"),
    ("DE 10 2014 218 224 B4", "DE102014218224B4", "grant"),
    ("DE 10 2019 107 669 B4", "DE102019107669B4", "grant"),
    ("DE 10 2018 005 432 A1", "DE102018005432A1", "publication"),
    ("DE 10 2016 124 583 B3", "DE102016124583B3", "grant"),
    ("DE 11 2019 001 234 T5", "DE112019001234T5", "publication"),
    ("DE 20 2014 011 218 U1", "DE202014011218U1", "grant"),
    ("DE102019107669", "DE102019107669", "unspecified"),
    # GB
    ("GB 1912345.6", "GB1912345.6", "application"),
    ("GB 2001234.5", "GB2001234.5", "application"),
    ("GB20012345", "GB2001234.5", "application"),
    ("GB 2 512 345 A", "GB2512345A", "publication"),
    ("gb 2,512,345 b", "GB2512345B", "grant"),
    # FR
    ("FR 3 012 345 A1", "FR3012345A1", "publication"),
    ("FR 2 934 567 B1", "FR2934567B1", "grant"),
    ("FR3012345A3", "FR3012345A3", "publication"),
    ("FR 3 012 345 B3", "FR3012345B3", "grant"),
    # TW
    ("TW 108123456", "TW108123456", "application"),
    ("TW 095212345", "TW095212345", "application"),
    ("TW 201912345 A", "TW201912345A", "publication"),
    ("TW I654321 B", "TWI654321B", "grant"),
    ("tw m612345 u", "TWM612345U", "grant"),
    ("TW D212345 S", "TWD212345S", "grant"),
    ("TWI654321", "TWI654321", "grant"),
    # IN
    ("IN 201911012345", "IN201911012345", "application"),
    ("IN 202017012345 A", "IN202017012345A", "publication"),
    ("IN 1234/DEL/2005", "IN1234/DEL/2005", "application"),
    ("in 0567/chenp/2012", "IN567/CHENP/2012", "application"),
    ("IN 345678 B", "IN345678B", "grant"),
    # AU
    ("AU 2019123456", "AU2019123456", "application"),
    ("AU 2019123456 A1", "AU2019123456A1", "publication"),
    ("AU 2019123456 B2", "AU2019123456B2", "grant"),
    ("AU 2020100123 A4", "AU2020100123A4", "grant"),
    # CA
    ("CA 2,123,456 C", "CA2123456C", "grant"),
    ("CA 3 012 345 A1", "CA3012345A1", "publication"),
    ("CA3012345", "CA3012345", "unspecified"),
]

BAD = [
    # DE
    ("DE 10 2014 218 224.3", "DE file number check digit should be 7, got 3"),
    ("DE 10 2007 004 488.8", "DE file number check digit should be 9, got 8"),
    ("DE1020142182244", "check digit should be 7, got 4"),
    ("DE 30 2019 123 456.7", "start with 10 or 11 (patent) or 20 or 21 (utility model), got 30"),
    ("DE 60 2004 012 345 T2", "files of European patents; give the EP publication number"),
    ("DE 10 2003 123 456 A1", "filing year from 2004, got 2003"),
    ("DE 10 2019 123 456 U1", "kind U1 does not fit a DE patent"),
    ("DE 20 2019 123 456 B4", "kind B4 does not fit a DE utility model"),
    ("DE 196 29 400 A1", "before 2004 are not supported"),
    ("DE 123", "not a DE file number"),
    # GB
    ("GB 2512345", "could be a publication or an application"),
    ("GB 1234567 A", "GB publication numbers start with 2"),
    ("GB 2512345 A1", "kind A1 does not fit a GB publication"),
    ("GB 12345", "not a GB application number"),
    # FR
    ("FR 3012345", "a FR number without kind could be a publication or an application"),
    ("FR 1012345 A1", "start with 2 or 3"),
    ("FR 3012345 B2", "kind B2 does not fit a FR publication"),
    ("FR 19 09731 .5", "FR publication numbers have 7 digits"),
    # TW
    ("TW 108423456", "type digit should be 1 (invention), 2 (utility model) or 3 (design), got 4"),
    ("TW 089123456", "ROC year from 090 (2001), got 089"),
    ("TW 108123456 A", "a TW application number has no kind, got A"),
    ("TW 200212345 A", "year from 2003, got 2002"),
    ("TW I654321 U", "kind U does not fit a TW invention patent"),
    ("TW X654321", "not a TW application number"),
    # IN
    ("IN 201951012345", "office digit should be 1 (Delhi), 2 (Kolkata), 3 (Chennai) or 4 (Mumbai)"),
    ("IN 201411012345", "year from 2015, got 2014"),
    ("IN 201911012345 B", "kind B does not fit an IN application"),
    ("IN 345678 A", "kind A does not fit an IN patent number"),
    ("IN 1234/BOM/2005", "not an IN application number"),
    ("IN 1234/DEL/2019", "year from 1995 to 2016, got 2019"),
    # AU
    ("AU 2001123456", "filing year from 2002, got 2001"),
    ("AU 12345/99", "numbers from before 2002 are not supported"),
    ("AU 2019123456 C", "kind C does not fit an AU number"),
    # CA
    ("CA 1234567", "patents of the old Patent Act"),
    ("CA 2123456 B1", "kind B1 does not fit a CA number"),
    ("CA 212345", "CA numbers have 7 digits"),
]


@pytest.mark.parametrize(("raw", "canonical", "kind_of_record"), GOOD)
def test_good_inputs_normalise_to_their_canonical_form(
    raw: str, canonical: str, kind_of_record: str
) -> None:
    number = normalize_patent_number(raw)
    assert (number.canonical, number.kind_of_record) == (canonical, kind_of_record)
    assert normalize_patent_number(canonical) == number


@pytest.mark.parametrize(("raw", "reason"), BAD)
def test_bad_inputs_are_rejected_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidPatentNumber) as caught:
        normalize_patent_number(raw)
    assert reason in caught.value.reason
    assert caught.value.raw == raw


@pytest.mark.parametrize(("digits", "check"), REAL_DE_FILES)
def test_de_check_digit_of_real_file_numbers(digits: str, check: str) -> None:
    assert de_file_check_digits(digits) == check
    assert normalize_patent_number(f"DE{digits}.{check}").number == f"{digits}.{check}"


@pytest.mark.parametrize("digits", ["10201912345", "1020191234567", "10201912345A", "١٠٢٠١٩١٢٣٤٥٦"])
def test_de_check_digit_rejects_other_lengths_and_characters(digits: str) -> None:
    with pytest.raises(ValueError, match="12 digits"):
        de_file_check_digits(digits)


def test_a_de_file_number_and_its_publications_share_one_key() -> None:
    numbers = ["DE 10 2014 218 224.7", "DE 10 2014 218 224 A1", "DE102014218224B4"]
    assert {normalize_patent_number(raw).key for raw in numbers} == {"DE102014218224"}
    assert normalize_patent_number("CN201810123456.5").key == "CN201810123456.5"
    for raw in ("AU 2019123456", "AU 2019123456 A1", "AU 2019123456 B2"):
        assert normalize_patent_number(raw).key == "AU2019123456"


def test_the_accepted_jurisdictions() -> None:
    assert JURISDICTIONS == (
        "AU", "CA", "CN", "DE", "EP", "FR", "GB", "IN", "JP", "KR", "TW", "US", "WO"
    )  # fmt: skip
    with pytest.raises(InvalidPatentNumber, match="supported: AU, CA, CN, DE, EP, FR, GB, IN"):
        normalize_patent_number("BR1020150062087")
