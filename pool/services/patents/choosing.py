"""Choosing the pool's patents a product implements without a checkbox per patent: the
standard sections the pool's patents in force cite (with how many patents each covers), their
families, a search by number or title, or every patent in force. What is chosen is read back
to patent ids here, against the patents in force in the pool on the day: a section, family or
number the pool does not have is refused on its own field, never ignored."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func
from sqlmodel import Session, col, or_, select

from pool.errors import FieldError, InvalidInput
from pool.models.patent import Patent, PatentInclusion
from pool.services.patents.onboarding import in_force_on

SPLIT = re.compile(r"[,;\s]+")
NOT_IN_FORCE = "not in force in this pool: %(items)s"  # the web translates it (product_form)


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


@dataclass(frozen=True)
class Row:
    """What choosing reads of a patent in force (not the whole row: a pool has thousands)."""

    id: int
    number: str
    family_id: str | None
    standard_sections: list[str]


def in_force(session: Session, *, pool_id: int, on: date) -> list[Row]:
    """The pool's patents in force on `on`, once each."""
    query = (
        select(Patent.id, Patent.number, Patent.family_id, Patent.standard_sections)
        .join(PatentInclusion, col(PatentInclusion.patent_id) == Patent.id)
        .where(
            Patent.pool_id == pool_id,
            col(PatentInclusion.start_on) <= on,
            or_(col(PatentInclusion.end_on).is_(None), col(PatentInclusion.end_on) > on),
        )
    )
    found = {r[0]: Row(r[0] or 0, r[1], r[2], list(r[3] or [])) for r in session.exec(query)}
    return list(found.values())


def summary(session: Session, *, pool_id: int, on: date) -> tuple[int, list[Group]]:
    """How many patents the pool has in force, and the standard sections they cite (in
    order, each with how many patents it covers)."""
    patents = in_force(session, pool_id=pool_id, on=on)
    counts = Counter(s for p in patents for s in set(p.standard_sections))
    return len(patents), [Group(key, counts[key]) for key in sorted(counts)]


def by_ids(session: Session, *, pool_id: int, on: date, ids: set[int]) -> list[Patent]:
    """The patents in force among `ids` (others are left out), by country and number."""
    query = in_force_on(pool_id, on).where(col(Patent.id).in_(sorted(ids)))
    return list({p.id: p for p, _, _ in session.exec(query).all()}.values())


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
    query = (
        select(Patent.family_id, func.count(distinct(col(Patent.id))))
        .join(PatentInclusion, col(PatentInclusion.patent_id) == Patent.id)
        .where(
            Patent.pool_id == pool_id,
            col(Patent.family_id).icontains(text.strip(), autoescape=True),
            col(PatentInclusion.start_on) <= on,
            or_(col(PatentInclusion.end_on).is_(None), col(PatentInclusion.end_on) > on),
        )
        .group_by(col(Patent.family_id))
        .order_by(col(Patent.family_id))
        .limit(limit)
    )
    return [Group(family or "", count) for family, count in session.exec(query)]


def resolve(session: Session, *, pool_id: int, on: date, choice: Choice) -> set[int]:
    """The ids of the patents in force the choice covers; every unknown item is a fault on
    its field (`sections`, `families`, `numbers`), all reported at once."""
    rows = in_force(session, pool_id=pool_id, on=on)
    if choice.every:
        return {p.id for p in rows}
    chosen: set[int] = set()
    faults: list[FieldError] = []
    typed = {"sections": choice.sections, "families": words(choice.families)}
    typed["numbers"] = words(choice.numbers)
    for field, wanted in typed.items():
        folded = {w.casefold() if field == "numbers" else w: w for w in wanted if w.strip()}
        seen: set[str] = set()
        for patent in rows:
            hit = _keys(patent, field) & folded.keys()
            if hit:
                chosen.add(patent.id)
                seen |= hit
        unknown = [folded[k] for k in folded if k not in seen]
        if unknown:
            message = NOT_IN_FORCE % {"items": ", ".join(unknown[:10])}
            faults.append(FieldError(message=message, field=field))
    if faults:
        raise InvalidInput("the patents chosen are not valid", faults)
    return chosen


def _keys(patent: Row, field: str) -> set[str]:
    """What a patent is chosen by on `field`: its sections, its family, its number."""
    if field == "sections":
        return set(patent.standard_sections)
    if field == "families":
        return {patent.family_id} if patent.family_id else set()
    return {patent.number.casefold()}
