"""Types shared by the per-jurisdiction patent-number parsers (apart, to avoid import cycles).

The parsers compile every pattern with ``re.ASCII``: without it ``\\d`` also matches digits such
as Arabic-Indic ones, which NFKC keeps, and they would leak into canonical strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pool.validation.errors import InvalidIdentifier

KindOfRecord = Literal["application", "publication", "grant", "unspecified"]
"""What the number designates.

``application``: a filing number (CN application numbers, which are also the ZL patent numbers;
KR, DE, GB, TW, IN and AU application numbers; PCT application numbers). ``publication``: a
pre-grant publication. ``grant``: a granted patent (or a registered utility model or design).
``unspecified``: a published document whose kind code was omitted and whose number alone cannot
tell publication from grant (EP, CA and DE publication numbers, CN invention numbers).
"""


class InvalidPatentNumber(InvalidIdentifier):
    """A string that is not a patent number of a supported form; ``reason`` says why."""

    what = "patent number"


@dataclass(frozen=True, slots=True)
class PatentNumber:
    """A validated patent number: build it with ``normalize_patent_number``, compare by
    ``canonical``."""

    jurisdiction: str
    number: str
    kind: str | None
    kind_of_record: KindOfRecord

    @property
    def canonical(self) -> str:
        """The one string form stored and compared (see the table in ``patent_numbers``)."""
        if self.jurisdiction == "WO" and self.kind_of_record == "application":
            return f"PCT/{self.number}"
        return f"{self.jurisdiction}{self.number}{self.kind or ''}"

    @property
    def key(self) -> str:
        """The canonical form without kind code, so a publication and its grant (A1, B1) are one
        patent. A DE file number also drops its check digit: the DPMA publishes under the file
        number, so ``DE102014218224.7`` and ``DE102014218224B4`` have one key."""
        if self.jurisdiction == "DE":
            return "DE" + self.number.partition(".")[0]
        return f"{self.jurisdiction}{self.number}"

    def __str__(self) -> str:
        return self.canonical


def kind_record(
    kind: str | None,
    allowed: Mapping[str, KindOfRecord],
    *,
    default: KindOfRecord,
    what: str,
) -> KindOfRecord:
    """Return what ``kind`` designates for this form of number, or reject a kind that cannot occur.

    Checking the kind against the form catches mix-ups such as a grant number with a publication
    kind, which usually means two numbers were merged into one.
    """
    if kind is None:
        return default
    record = allowed.get(kind)
    if record is None:
        expected = ", ".join(allowed)
        raise InvalidPatentNumber(f"kind {kind} does not fit {what} (expected {expected})")
    return record


def compact(body: str) -> str:
    """Drop '/' and '.' which outside China only group digits (2019/0123456, 10.123.456)."""
    return body.replace("/", "").replace(".", "")
