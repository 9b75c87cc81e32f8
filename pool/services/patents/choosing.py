"""Choosing the pool's patents a product implements without a checkbox per patent: the
standard sections the pool's patents in force cite (with how many patents each covers), their
families, a search by number or title, or every patent in force. What is chosen is read back
to patent ids here, against the patents in force in the pool on the day: a section, family or
number the pool does not have is refused on its own field, never ignored."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_

from pool.errors import FieldError, InvalidInput
from pool.models.patent import Patent
from pool.services.patents.onboarding import in_force_on, in_force_patents

SPLIT = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class Choice:
    """What a product form chose, as typed."""

    sections: list[str]
    families: str  # family ids, separated by commas or spaces
    numbers: str  # patent numbers, likewise
    every: bool


@dataclass(frozen=True)
class Group:
    key: str  # a standard section or a family id
    count: int  # patents in force it covers


def words(text: str) -> list[str]:
    """The items of a list typed as text, in order, once each."""
    return list(dict.fromkeys(item for item in SPLIT.split(text.strip()) if item))


def sections(session: Session, *, pool_id: int, on: date) -> list[Group]:
    """The standard sections cited by the pool's patents in force, in order, with counts."""
    patents = in_force_patents(session, pool_id=pool_id, on=on)
    counts = Counter(s for p in patents for s in set(p.standard_sections))
    return [Group(key, counts[key]) for key in sorted(counts)]


def search(session: Session, *, pool_id: int, on: date, text: str, limit: int) -> list[Patent]:
    """Patents in force whose number or title contains `text` (any case), by number."""
    wanted = text.strip()
    if not wanted:
        return []
    query = in_force_on(pool_id, on).where(
        or_(
            col(Patent.number).icontains(wanted, autoescape=True),
            col(Patent.title).icontains(wanted, autoescape=True),
        )
    )
    found: dict[int, Patent] = {}
    for patent, _, _ in session.exec(query.limit(limit * 3)).all():
        found.setdefault(patent.id or 0, patent)
    return list(found.values())[:limit]


def families(session: Session, *, pool_id: int, on: date, text: str, limit: int) -> list[Group]:
    """Families of patents in force whose id contains `text` (any case), with counts."""
    wanted = text.strip().casefold()
    patents = in_force_patents(session, pool_id=pool_id, on=on)
    counts = Counter(
        p.family_id for p in patents if p.family_id and wanted in p.family_id.casefold()
    )
    return [Group(key, counts[key]) for key in sorted(counts)[:limit]]


def resolve(session: Session, *, pool_id: int, on: date, choice: Choice) -> set[int]:
    """The ids of the patents in force the choice covers; every unknown item is a fault on
    its field (`sections`, `families`, `numbers`), all reported at once."""
    in_force = in_force_patents(session, pool_id=pool_id, on=on)
    if choice.every:
        return {p.id or 0 for p in in_force}
    chosen: set[int] = set()
    faults: list[FieldError] = []
    typed = {"sections": choice.sections, "families": words(choice.families)}
    typed["numbers"] = words(choice.numbers)
    for field, wanted in typed.items():
        folded = {w.casefold() if field == "numbers" else w: w for w in wanted if w.strip()}
        seen: set[str] = set()
        for patent in in_force:
            hit = _keys(patent, field) & folded.keys()
            if hit:
                chosen.add(patent.id or 0)
                seen |= hit
        unknown = [folded[k] for k in folded if k not in seen]
        if unknown:
            message = f"not in force in this pool: {', '.join(unknown[:10])}"
            faults.append(FieldError(message=message, field=field))
    if faults:
        raise InvalidInput("the patents chosen are not valid", faults)
    return chosen


def _keys(patent: Patent, field: str) -> set[str]:
    """What a patent is chosen by on `field`: its sections, its family, its number."""
    if field == "sections":
        return set(patent.standard_sections)
    if field == "families":
        return {patent.family_id} if patent.family_id else set()
    return {patent.number.casefold()}
