"""Per-patent attribution of a run's lines (docs/distribution.md, "Per-patent lines"): each
contributor x country x usage-period change split over the contributor's patents by the
weights that made it (allocation.per_patent), stored with the run.

A line is split by the weights of its usage period as they are when the run is computed (the
same patents, grades and tiers the allocation read). A change of a line whose contributor has
no patent in force in that country during the usage period any more (possible only after a
retroactive correction of the patents) has nothing to be split by and gets no patent lines."""

from collections import defaultdict
from dataclasses import replace
from fractions import Fraction
from typing import Any

from allocation import Patent
from allocation.per_patent import PatentWeight, patent_weights, split_line
from pool.models.pool import Pool
from pool.services.distribution.cash import UsagePeriod
from pool.services.distribution.inputs import PoolPatent, allocation_input, contributor_key


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
        for weight, amount in zip(mine, split_line(line["amount_minor"], mine), strict=True):
            patent = facts[int(weight.patent)]
            out.append(
                {
                    "contributor_organisation_id": line["contributor_organisation_id"],
                    "usage_start": period[0],
                    "usage_end": period[1],
                    "country": country,
                    "patent_id": patent.id,
                    "grade": patent.grade,
                    "tier": patent.tier,
                    "days_in_force": weight.days,
                    "factor": exact(weight.factor),
                    "weight": exact(weight.weight),
                    "amount_minor": amount,
                }
            )
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
