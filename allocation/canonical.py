"""Canonical JSON of an input and its SHA-256: the fingerprint printed on every run.

Canonical means: keys sorted, lists sorted by id (intervals by start), decimals normalised
(``"0.10"`` and ``"0.1"`` are the same rate), no whitespace. Reordering the input therefore
never changes the hash, and anyone holding the same input can recompute it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

from allocation.model import FORMAT_VERSION, AllocationInput, Interval


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


def canonical_input(inp: AllocationInput) -> dict[str, object]:
    """The input as plain JSON data in canonical order (every dict built with sorted keys,
    so that it can be dumped without re-sorting 100,000 patents)."""
    return {
        "admin_fee_rate": _decimal(inp.admin_fee_rate),
        "contributors": [
            {"id": c.id, "max_share": _decimal(c.max_share), "min_amount_minor": c.min_amount_minor}
            for c in sorted(inp.contributors, key=lambda c: c.id)
        ],
        "currency": inp.currency,
        "format_version": FORMAT_VERSION,
        "grade_points": {k: _decimal(inp.grade_points[k]) for k in sorted(inp.grade_points)},
        "method": inp.method,
        "patents": [
            {
                "contributor": p.contributor,
                "country": p.country,
                "grade": p.grade,
                "id": p.id,
                "in_force": None if p.in_force is None else _intervals(p.in_force),
                "tier": p.tier,
            }
            for p in sorted(inp.patents, key=lambda p: p.id)
        ],
        "royalties": [
            {
                "amount_minor": r.amount_minor,
                "country_of_manufacture": r.country_of_manufacture,
                "country_of_sale": r.country_of_sale,
                "id": r.id,
                "usage_end": r.usage_end.isoformat(),
                "usage_start": r.usage_start.isoformat(),
            }
            for r in sorted(inp.royalties, key=lambda r: r.id)
        ],
        "tier_shares": {k: _decimal(inp.tier_shares[k]) for k in sorted(inp.tier_shares)},
    }


def canonical_json(inp: AllocationInput) -> str:
    """Compact JSON with sorted keys (the dicts above are already sorted)."""
    return json.dumps(canonical_input(inp), separators=(",", ":"), ensure_ascii=True)


def input_sha256(inp: AllocationInput) -> str:
    """SHA-256 (hex) of the canonical JSON, UTF-8 encoded."""
    return hashlib.sha256(canonical_json(inp).encode("utf-8")).hexdigest()
