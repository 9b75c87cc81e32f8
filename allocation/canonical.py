"""Canonical JSON of an input and its SHA-256: the fingerprint printed on every run.

Canonical means: keys sorted, lists sorted by id (intervals by start), decimals normalised
(``"0.10"`` and ``"0.1"`` are the same rate), no whitespace, ASCII. Reordering the input
therefore never changes the hash, and anyone holding the same input can recompute it:
the text is exactly ``json.dumps(canonical_input(inp), separators=(",", ":"))``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring_ascii
from operator import attrgetter
from typing import Any

from allocation.model import FORMAT_VERSION, AllocationInput, Interval

_BY_ID = attrgetter("id")
# A patent in the text, field by field in key order: (field, text before, text after its
# value). The first piece closes the previous patent (the very first one is trimmed).
_PATENT_PIECES = (
    ("contributor", '},{"contributor":', ""),
    ("country", ',"country":', ""),
    ("grade", ',"grade":', ',"id":'),
    ("id", "", ""),
    ("in_force", ',"in_force":', ""),
    ("tier", ',"tier":', ""),
)


def _decimal(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value, "f")  # exact: no rounding to the context precision
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _intervals(intervals: tuple[Interval, ...]) -> list[list[str | None]]:
    ordered = sorted(intervals, key=lambda i: (i[0] is not None, i[0] or date.min))
    return [[_day(start), _day(end)] for start, end in ordered]


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def canonical_input(inp: AllocationInput) -> dict[str, object]:
    """The input as plain JSON data in canonical order (every dict built with sorted keys).

    This is the definition of the canonical form; :func:`canonical_json` writes the same
    text without building a dict per patent."""
    document = _head(inp)
    document["patents"] = [
        {
            "contributor": p.contributor,
            "country": p.country,
            "grade": p.grade,
            "id": p.id,
            "in_force": None if p.in_force is None else _intervals(p.in_force),
            "tier": p.tier,
        }
        for p in sorted(inp.patents, key=_BY_ID)
    ]
    document.update(_tail(inp))
    return document


def _head(inp: AllocationInput) -> dict[str, object]:
    """The keys that sort before ``patents``."""
    return {
        "admin_fee_rate": _decimal(inp.admin_fee_rate),
        "contributors": [
            {"id": c.id, "max_share": _decimal(c.max_share), "min_amount_minor": c.min_amount_minor}
            for c in sorted(inp.contributors, key=_BY_ID)
        ],
        "currency": inp.currency,
        "format_version": FORMAT_VERSION,
        "grade_points": {k: _decimal(inp.grade_points[k]) for k in sorted(inp.grade_points)},
        "method": inp.method,
    }


def _tail(inp: AllocationInput) -> dict[str, object]:
    """The keys that sort after ``patents``."""
    return {
        "royalties": [
            {
                "amount_minor": r.amount_minor,
                "country_of_manufacture": r.country_of_manufacture,
                "country_of_sale": r.country_of_sale,
                "id": r.id,
                "usage_end": r.usage_end.isoformat(),
                "usage_start": r.usage_start.isoformat(),
            }
            for r in sorted(inp.royalties, key=_BY_ID)
        ],
        "tier_shares": {k: _decimal(inp.tier_shares[k]) for k in sorted(inp.tier_shares)},
    }


def canonical_json(inp: AllocationInput) -> str:
    """Compact JSON with sorted keys: ``json.dumps(canonical_input(inp), ...)``, byte for byte.

    An input can hold 100,000 patents, so their part is written column by column (each
    distinct value encoded once, by the same C encoder ``json.dumps`` uses) and interleaved
    with the keys, instead of building and dumping a dict per patent.
    """
    head, tail = _json(_head(inp)), _json(_tail(inp))
    return f'{head[:-1]},"patents":[{_patents(inp)}],{tail[1:]}'


def _patents(inp: AllocationInput) -> str:
    """The patents' part of the text, assembled from one column of text pieces per field."""
    ordered = sorted(inp.patents, key=_BY_ID)
    width = len(_PATENT_PIECES)
    pieces = [""] * (width * len(ordered))
    for slot, (field, before, after) in enumerate(_PATENT_PIECES):
        values = list(map(attrgetter(field), ordered))
        if field == "in_force":
            pieces[slot::width] = _column(values, before, after, _intervals_json, _force)
        else:
            pieces[slot::width] = _column(values, before, after, encode_basestring_ascii, _json)
    return "".join(pieces)[2:] + "}" if ordered else ""


def _column(
    values: list[Any],
    before: str,
    after: str,
    encode: Callable[[Any], str],
    fallback: Callable[[Any], str],
) -> list[str]:
    """The JSON text of each value, as ``json.dumps`` writes it in the document, between
    ``before`` and ``after``; a value repeated (contributor, country, grade) is written once.

    ``encode`` writes a value other than None (for strings, the C encoder ``json.dumps``
    itself uses) and raises ``TypeError`` for a value it does not take; values are then
    written one by one with ``fallback``, since values that compare equal (``1`` and
    ``True``) may be written differently. Only an input that fails validation gets there.
    """
    try:
        if not before:  # ids: every value is distinct
            return list(map(encode, values))
        distinct = set(values)
        distinct.discard(None)
        table = {value: f"{before}{encode(value)}{after}" for value in distinct}
    except TypeError:
        return [f"{before}{fallback(value)}{after}" for value in values]
    table[None] = f"{before}null{after}"
    return list(map(table.__getitem__, values))


def _intervals_json(value: tuple[Interval, ...]) -> str:
    """Intervals as JSON. Intervals that compare equal hold equal dates, so encoding each
    distinct value once writes every patent's intervals exactly."""
    return _json(_intervals(value))


def _force(value: tuple[Interval, ...] | None) -> str:
    return "null" if value is None else _intervals_json(value)


def input_sha256(inp: AllocationInput) -> str:
    """SHA-256 (hex) of the canonical JSON, UTF-8 encoded."""
    return hashlib.sha256(canonical_json(inp).encode("utf-8")).hexdigest()
