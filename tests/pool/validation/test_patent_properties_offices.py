"""Property tests for the DE, GB, FR, TW, IN, AU and CA forms: canonical forms are fixed points,
messy spellings converge on them, any text parses to a fixed point or raises the typed error, and
the DPMA check digit catches a mistyped or swapped serial digit.

Valid numbers are built here from the published rules (the DPMA weighting is written out again),
independently of the implementation under test.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pool.validation import (
    InvalidPatentNumber,
    PatentNumber,
    de_file_check_digits,
    normalize_patent_number,
)
from tests.pool.validation.test_patent_properties import digits, fmt, kinds, messy


def reference_de_check(body: str) -> int:
    """11 minus (sum of the digits weighted 2, 3, 4, ... from the right) mod 11."""
    weights = range(2, 2 + len(body))
    return 11 - sum(int(d) * w for d, w in zip(reversed(body), weights, strict=True)) % 11


@st.composite
def de_file_bodies(draw: st.DrawFn) -> str:
    """12 digits of a DE file number: a right code, a year from 2004, a serial."""
    code = draw(st.sampled_from(["10", "11", "20", "21"]))
    return f"{code}{draw(st.integers(2004, 2099))}{draw(digits(6))}"


@st.composite
def de_files(draw: st.DrawFn) -> str:
    """A DE file number whose check digit the rule fixes (remainders 2 to 10)."""
    body = draw(de_file_bodies())
    check = reference_de_check(body)
    assume(check <= 9)
    return f"{body}.{check}"


DE_PUBLICATION_KINDS = {
    "10": [None, "A1", "A8", "A9", "B3", "B4", "B8", "B9", "C5"],
    "11": [None, "T5", "T8", "T9", "B4", "B8", "B9", "C5"],
    "20": [None, "U1", "U8", "U9"],
    "21": [None, "U1", "U8", "U9"],
}


@st.composite
def de_publications(draw: st.DrawFn) -> str:
    body = draw(de_file_bodies())
    return f"DE{body}{draw(st.sampled_from(DE_PUBLICATION_KINDS[body[:2]])) or ''}"


@st.composite
def tw_numbers(draw: st.DrawFn) -> str:
    form = draw(st.sampled_from(["application", "publication", "I", "M", "D"]))
    if form == "application":
        return f"TW{draw(st.integers(90, 199)):03d}{draw(st.sampled_from('123'))}{draw(digits(5))}"
    if form == "publication":
        return f"TW{draw(st.integers(2003, 2099))}{draw(digits(5))}{draw(kinds(None, 'A'))}"
    kind = {"I": "B", "M": "U", "D": "S"}[form]
    return f"TW{form}{draw(digits(6))}{draw(kinds(None, kind))}"


AU_KINDS = kinds(None, "A1", "A8", "A9", "A4", "B1", "B2", "C1", "C4")
IN_OFFICES = st.sampled_from(["DEL", "KOL", "CHE", "MUM", "DELNP", "KOLNP", "CHENP", "MUMNP"])

CANONICAL = st.one_of(
    de_files().map(lambda number: "DE" + number),
    de_publications(),
    fmt("GB{}{}.{}", digits(2), digits(5), digits(1)),
    fmt("GB2{}{}", digits(6), kinds("A", "B")),
    fmt("FR{}{}{}", st.sampled_from("23"), digits(6), kinds("A1", "A3", "B1", "B3")),
    tw_numbers(),
    fmt(
        "IN{}{}{}{}", st.integers(2015, 2099), st.sampled_from("1234"), digits(7), kinds(None, "A")
    ),
    fmt("IN{}/{}/{}", st.integers(0, 99_999), IN_OFFICES, st.integers(1995, 2016)),
    fmt("IN{}{}", digits(6), kinds(None, "B")),
    fmt("AU{}{}{}", st.integers(2002, 2099), digits(6), AU_KINDS),
    fmt("CA{}{}{}", st.sampled_from("23"), digits(6), kinds(None, "A1", "C")),
)


@settings(max_examples=500)
@given(CANONICAL)
def test_canonical_forms_are_fixed_points(canonical: str) -> None:
    assert normalize_patent_number(canonical).canonical == canonical


@settings(max_examples=500)
@given(CANONICAL.flatmap(lambda canonical: st.tuples(st.just(canonical), messy(canonical))))
def test_messy_spellings_converge_on_the_canonical_form(pair: tuple[str, str]) -> None:
    canonical, raw = pair
    assert normalize_patent_number(raw) == normalize_patent_number(canonical)


@given(digits(12))
def test_de_check_digit_follows_the_published_weights(body: str) -> None:
    expected = reference_de_check(body)
    assert de_file_check_digits(body) == (str(expected) if expected <= 9 else "01")


@settings(max_examples=300)
@given(de_files(), st.data())
def test_every_mistyped_serial_or_check_digit_is_rejected(number: str, data: st.DataObject) -> None:
    """The serial's digits and the check digit have weights 1 to 7 (mod 11): a substitution
    always changes the remainder. It is caught unless it lands on a remainder whose check digit
    is unconfirmed (then 0 and 1 are accepted)."""
    position = data.draw(st.integers(6, len(number) - 1).filter(lambda i: number[i] != "."))
    replacement = data.draw(st.sampled_from("0123456789").filter(lambda c: c != number[position]))
    mutated = number[:position] + replacement + number[position + 1 :]
    body, check = mutated.split(".")
    assume(len(de_file_check_digits(body)) == 1 or check not in "01")
    with pytest.raises(InvalidPatentNumber, match="DE file number check digit should be"):
        normalize_patent_number("DE" + mutated)


@given(de_file_bodies(), st.data())
def test_every_adjacent_swap_in_the_year_or_serial_changes_the_check_digit(
    body: str, data: st.DataObject
) -> None:
    position = data.draw(st.integers(2, len(body) - 2))
    swapped = body[:position] + body[position + 1] + body[position] + body[position + 2 :]
    checks = {de_file_check_digits(body), de_file_check_digits(swapped)}
    if swapped != body and checks != {"01"}:
        assert len(checks) == 2


ALPHABET = "DEGBFRTWINAUCAMISLKOPHN0123456789./- 　ｄｅ"
OFFICES = st.sampled_from(["DE", "GB", "FR", "TW", "IN", "AU", "CA"])


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(max_size=30),
        st.text(ALPHABET, max_size=24),
        st.tuples(OFFICES, st.text(ALPHABET, max_size=20)).map("".join),
    )
)
def test_any_text_either_parses_to_a_fixed_point_or_raises_invalid(raw: str) -> None:
    outcome = _outcome(raw)
    if isinstance(outcome, InvalidPatentNumber):
        assert outcome.reason
    else:
        assert normalize_patent_number(outcome.canonical) == outcome
        assert outcome.canonical.isascii()


def _outcome(raw: str) -> PatentNumber | InvalidPatentNumber:
    try:
        return normalize_patent_number(raw)
    except InvalidPatentNumber as error:
        return error
