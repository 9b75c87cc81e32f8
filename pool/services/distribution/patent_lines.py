"""Per-patent attribution of a run's lines (docs/distribution.md, "Per-patent lines"): each
contributor x country x usage-period change split over the contributor's patents by the
weights that made it (allocation.per_patent), stored with the run.

A line is split by the weights of its usage period as they are when the run is computed (the
same patents, grades and tiers the allocation read). A change of a line whose contributor has
no patent in force in that country during the usage period any more (possible only after a
retroactive correction of the patents) has nothing to be split by and gets no patent lines.

A patent regraded inside the usage period is several allocation entries, one per grade
segment (`inputs.Piece`). The line is split over the contributor's *patents* first (a patent's
weight: the sum of its segments'), then each patent's part over its segments, both by largest
remainder: so each patent gets what it would get with one grade of the same total weight, and
the statement shows one row per segment with that segment's grade, days and weight."""

from collections import defaultdict
from dataclasses import replace
from fractions import Fraction
from typing import Any

from allocation import Patent
from allocation.per_patent import PatentWeight, patent_weights, split_line
from pool.models.pool import Pool
from pool.services.distribution.cash import UsagePeriod
from pool.services.distribution.inputs import (
    PoolPatent,
    allocation_input,
    contributor_key,
    piece_patent,
)


def split(
    pool: Pool, patents: list[PoolPatent], period: UsagePeriod, lines: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The patent lines of one usage period's run lines (the dicts `computing` stores)."""
    moving = [line for line in lines if line["amount_minor"]]
    if not moving:
        return []
    inp = allocation_input(pool, patents, period, {})
    by_country: dict[str, list[Patent]] = defaultdict(list)
    for one_patent in inp.patents:
        by_country[one_patent.country].append(one_patent)
    facts = {p.id: p for p in patents}
    grades = {piece.id: piece for p in patents for piece in p.pieces()}
    weights: dict[str, dict[str, tuple[PatentWeight, ...]]] = {}
    out: list[dict[str, Any]] = []
    for line in moving:
        country = line["country"]
        if country not in weights:
            one = replace(inp, patents=tuple(by_country.get(country, ())))
            weights[country] = patent_weights(one, country, *period)
        mine = weights[country].get(contributor_key(line["contributor_organisation_id"]), ())
        if not any(w.weight for w in mine):
            continue
        for weight, amount in _split_by_patent(line["amount_minor"], mine):
            patent, piece = facts[piece_patent(weight.patent)], grades[weight.patent]
            out.append(
                {
                    "contributor_organisation_id": line["contributor_organisation_id"],
                    "usage_start": period[0],
                    "usage_end": period[1],
                    "country": country,
                    "patent_id": patent.id,
                    "grade": piece.grade,
                    "tier": piece.tier,
                    "days_in_force": weight.days,
                    "factor": exact(weight.factor),
                    "weight": exact(weight.weight),
                    "amount_minor": amount,
                }
            )
    return out


def _split_by_patent(
    amount_minor: int, weights: tuple[PatentWeight, ...]
) -> list[tuple[PatentWeight, int]]:
    """`amount_minor` over the patents (their segments' weights summed), then each patent's
    part over its segments: each segment with its part."""
    by_patent: dict[int, list[PatentWeight]] = defaultdict(list)
    for weight in weights:
        by_patent[piece_patent(weight.patent)].append(weight)
    merged = [
        replace(found[0], weight=sum((w.weight for w in found), Fraction(0)))
        for found in by_patent.values()
    ]
    out: list[tuple[PatentWeight, int]] = []
    for whole, part in zip(merged, split_line(amount_minor, merged), strict=True):
        found = by_patent[piece_patent(whole.patent)]
        if len(found) == 1:
            out.append((found[0], part))
            continue
        out.extend(zip(found, split_line(part, found), strict=True))
    return out


def exact(value: Fraction) -> str:
    """A fraction as a plain decimal when it has one (3, 67.5, 0.35), else `n/d` (7/150)."""
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value * 10**places
    text = str(abs(scaled.numerator))
    sign = "-" if value < 0 else ""
    if places == 0:
        return sign + text
    text = text.rjust(places + 1, "0")
    return f"{sign}{text[:-places]}.{text[-places:]}"
