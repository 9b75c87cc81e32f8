"""The result as JSON data: the public output format, and the explanation of a run.

Exact values in explanations are strings: fractions as ``"p/q"`` (or ``"p"``), so nothing
is rounded on the way out; amounts in minor units are integers.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from typing import Any

from allocation.result import AllocationResult
from allocation.weights import Slice


def fraction_text(value: Fraction) -> str:
    """``Fraction(3, 2)`` -> ``"3/2"``, ``Fraction(4)`` -> ``"4"``."""
    return str(value)


def result_to_json(result: AllocationResult, *, explain: bool = False) -> dict[str, Any]:
    """The output document; with ``explain`` an ``"explain"`` key is added."""
    document: dict[str, Any] = {
        "currency": result.currency,
        "received_minor": result.received_minor,
        "admin_fee_minor": result.admin_fee_minor,
        "distributable_minor": result.distributable_minor,
        "countries": dict(result.countries),
        "contributors": [
            {"id": c.id, "amount_minor": c.amount_minor, "by_country": dict(c.by_country)}
            for c in result.contributors
        ],
        "run": {
            "formula_version": result.run.formula_version,
            "input_sha256": result.run.input_sha256,
            "solver": result.run.solver,
            "status": result.run.status,
        },
    }
    if explain:
        document["explain"] = explanation(result)
    return document


def dumps(result: AllocationResult, *, explain: bool = False) -> str:
    """Deterministic JSON text (same result, same bytes)."""
    return json.dumps(result_to_json(result, explain=explain), indent=2, ensure_ascii=True)


def explanation(result: AllocationResult) -> dict[str, Any]:
    """For each contributor: weights per bucket, ideal share, binding constraint, rounding
    adjustment; and lambda, the common factor of the clip rule."""
    trace = result.trace
    buckets = _buckets(trace.slices)
    whole = result.distributable_minor or 1  # nothing to share: every share is 0
    contributors = []
    for index, amount in enumerate(result.contributors):
        detail = trace.contributor(index)
        contributors.append(
            {
                "id": amount.id,
                "buckets": buckets.get(index, []),
                "ideal_share": fraction_text(detail.ideal_minor / whole),
                "ideal_minor": fraction_text(detail.ideal_minor),
                "target_minor": fraction_text(detail.target_minor),
                "binding": detail.binding,
                "floor_minor": detail.floor_minor,
                "cap_minor": detail.cap_minor,
                "amount_minor": amount.amount_minor,
                "rounding_adjustment_minor": fraction_text(
                    amount.amount_minor - detail.target_minor
                ),
            }
        )
    return {"lambda": fraction_text(trace.lam), "contributors": contributors}


def _buckets(slices: tuple[Slice, ...]) -> dict[int, list[dict[str, Any]]]:
    """Per contributor, each slice it has weight in: its weights and its share of the money.

    A weight is ``days in force / days in period x factor``, the factor being the grade's
    points (``grade_weighted``) or 1.
    """
    result: dict[int, list[dict[str, Any]]] = {}
    for piece in slices:
        numerators, denominator = piece.shares()
        unit = piece.days * piece.factor_denominator
        for index, numerator in numerators.items():
            result.setdefault(index, []).append(
                {
                    "country": piece.country,
                    "usage_start": date.fromordinal(piece.start_ordinal).isoformat(),
                    "usage_end": date.fromordinal(piece.end_ordinal).isoformat(),
                    "received_minor": piece.amount_minor,
                    "share": fraction_text(Fraction(numerator, denominator)),
                    "weights": [
                        {
                            "tier": tier.tier or None,
                            "tier_share": fraction_text(tier.share),
                            "weight": fraction_text(Fraction(tier.weights.get(index, 0), unit)),
                            "total_weight": fraction_text(Fraction(tier.total, unit)),
                        }
                        for tier in piece.tiers
                    ],
                }
            )
    return result
