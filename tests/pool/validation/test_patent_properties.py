"""Property tests: canonical forms are fixed points, messy spellings converge on them, and the CN
check digit catches every single-digit substitution and every adjacent transposition.

Valid numbers are built here from the published rules (the CN weights are written out as the
standard gives them), independently of the implementation under test.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pool.validation import (
    ISO_3166_ALPHA2,
    InvalidPatentNumber,
    PatentNumber,
    cn_application_check_digit,
    normalize_patent_number,
)

CN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
OLD_CN_YEARS = [f"{year % 100:02d}" for year in range(1985, 2004)]
CN_PUBLICATION_KINDS = {"1": [None, "A", "B", "C"], "2": [None, "U", "Y"], "3": [None, "S"]}


def reference_cn_check(digits: str) -> str:
    """Weights 2,3,4,5,6,7,8,9,2,3,4,5 from the left, sum mod 11, 10 written X."""
    remainder = sum(int(d) * w for d, w in zip(digits, CN_WEIGHTS, strict=False)) % 11
    return "X" if remainder == 10 else str(remainder)


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=size, max_size=size)


def kinds(*options: str | None) -> st.SearchStrategy[str]:
    return st.sampled_from(options).map(lambda kind: kind or "")


@st.composite
def cn_applications(draw: st.DrawFn) -> str:
    """A valid CN application number without "CN": new 12-digit or old 8-digit format."""
    if draw(st.booleans()):
        year = str(draw(st.integers(2003, 2099)))
        body = year + draw(st.sampled_from("12389")) + draw(digits(7))
    else:
        year = draw(st.sampled_from(OLD_CN_YEARS))
        body = year + draw(st.sampled_from("12389")) + draw(digits(5))
    return f"{body}.{reference_cn_check(body)}"


@st.composite
def cn_publications(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from("123"))
    kind = draw(st.sampled_from(CN_PUBLICATION_KINDS[first])) or ""
    return f"CN{first}{draw(digits(8))}{kind}"


@st.composite
def kr_numbers(draw: st.DrawFn) -> str:
    right = draw(st.sampled_from(["10", "20"]))
    if draw(st.booleans()):
        year = draw(st.integers(1900, 2099))
        kind = draw(st.sampled_from([None, "A" if right == "10" else "U"])) or ""
        return f"KR{right}{year}{draw(digits(7))}{kind}"
    kind = draw(st.sampled_from([None, "B1" if right == "10" else "Y1"])) or ""
    return f"KR{right}{draw(digits(7))}{kind}"


def fmt(template: str, *parts: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map(lambda values: template.format(*values))


OFFICES = sorted(ISO_3166_ALPHA2 | {"IB", "EP", "EA", "AP"})

CANONICAL = st.one_of(
    cn_applications().map(lambda number: "CN" + number),
    cn_publications(),
    fmt("US{}{}", st.integers(1_000_000, 99_999_999), kinds(None, "A", "B1", "B2")),
    fmt("USRE{}{}", st.integers(1, 999_999), kinds(None, "E", "E1")),
    fmt("USD{}{}", st.integers(1, 9_999_999), kinds(None, "S")),
    fmt("US{}{:07d}{}", st.integers(2001, 2099), st.integers(0, 9_999_999), kinds(None, "A1")),
    fmt("EP{:07d}{}", st.integers(1, 9_999_999), kinds(None, "A1", "A2", "A3", "A4", "B1", "B2")),
    fmt("JP{}{}{}", st.integers(2000, 2099), digits(6), kinds(None, "A")),
    fmt("JP{}{}", st.integers(1_000_000, 9_999_999), kinds(None, "B1", "B2")),
    kr_numbers(),
    fmt("WO{}{}{}", st.integers(1978, 2099), digits(6), kinds(None, "A1", "A2", "A3", "A9")),
    fmt("PCT/{}{}/{}", st.sampled_from(OFFICES), st.integers(2004, 2099), digits(6)),
)

SEPARATORS = st.sampled_from([" ", "-", ",", "\u3000", "\u00a0", " - ", "\u2013"])


@st.composite
def messy(draw: st.DrawFn, canonical: str) -> str:
    """Spell a canonical number the way people do: separators, lower case, full width."""
    text = canonical
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(SEPARATORS) + text[at:]
    if draw(st.booleans()):
        text = text.lower()
    if draw(st.booleans()):
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    return text


@settings(max_examples=500)
@given(CANONICAL)
def test_canonical_forms_are_fixed_points(canonical: str) -> None:
    assert normalize_patent_number(canonical).canonical == canonical


@settings(max_examples=500)
@given(CANONICAL.flatmap(lambda canonical: st.tuples(st.just(canonical), messy(canonical))))
def test_messy_spellings_converge_on_the_canonical_form(pair: tuple[str, str]) -> None:
    canonical, raw = pair
    assert normalize_patent_number(raw) == normalize_patent_number(canonical)


@given(st.one_of(digits(8), digits(12)))
def test_check_digit_matches_the_published_weights(number: str) -> None:
    assert cn_application_check_digit(number) == reference_cn_check(number)


@settings(max_examples=300)
@given(cn_applications(), st.data())
def test_every_single_substitution_is_rejected(number: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(number) - 1).filter(lambda i: number[i] != "."))
    alphabet = "0123456789X" if position == len(number) - 1 else "0123456789"
    replacement = data.draw(st.sampled_from(alphabet).filter(lambda c: c != number[position]))
    mutated = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(InvalidPatentNumber):
        normalize_patent_number("CN" + mutated)
    body, check = mutated.split(".")
    assert cn_application_check_digit(body) != check  # the check digit alone catches it


@given(st.one_of(digits(8), digits(12)), st.data())
def test_every_adjacent_transposition_changes_the_check_digit(
    number: str, data: st.DataObject
) -> None:
    position = data.draw(st.integers(0, len(number) - 2))
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    if swapped != number:
        assert cn_application_check_digit(swapped) != cn_application_check_digit(number)


ALPHABET = "CNUSEPJKRWOZLTDAB0123456789X./- 　ｃｎ"


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=30), st.text(ALPHABET, max_size=24)))
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
