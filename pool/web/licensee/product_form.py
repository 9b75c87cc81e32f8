"""What the product form shows and reads to choose the pool's patents a product implements,
never one checkbox per patent (a pool has thousands): every patent of the pool in force, its
standard sections (one box each, with how many patents it covers), families and numbers typed
(with type-ahead suggestions), and the patents a search found, ticked. The choice is read back
to patent ids by `patents.choosing`, against the patents in force today; the product stores
the ids, as before."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from sqlmodel import Session

from pool.errors import FieldError, InvalidInput
from pool.models.patent import Patent
from pool.rendering import Phrase
from pool.services.patents import choosing
from pool.web.i18n import N_
from pool.web.licensee.views import as_list

FOUND = 20  # patents a search shows
NOT_IN_FORCE = N_("not in force in this pool: %(items)s")


class Typed(Protocol):
    patent_ids: list[str] | str
    sections: list[str] | str
    families: str
    numbers: str
    every: str
    find: str


@dataclass(frozen=True)
class Picker:
    in_force: int  # patents of the pool in force today
    sections: list[choosing.Group]
    chosen_sections: set[str]
    found: list[Patent]  # ticked earlier, and what the last search found
    ticked: set[int]
    numbers: str  # what stays in the numbers field (a search's words move to `found`)
    searched: str  # the words searched, if any


def _ids(values: list[str] | str) -> set[int]:
    return {int(v) for v in as_list(values) if v.isdecimal() and len(v) < 19}


def picker(db: Session, pool_id: int, on: date, form: Typed) -> Picker:
    """The form's choices as typed; after "Find", the matches of the last number typed."""
    total, groups = choosing.summary(db, pool_id=pool_id, on=on)
    ticked = _ids(form.patent_ids)
    numbers, searched = form.numbers, ""
    found: dict[int, Patent] = {}
    if ticked:
        found |= {p.id or 0: p for p in choosing.by_ids(db, pool_id=pool_id, on=on, ids=ticked)}
    if form.find:
        head, _, searched = form.numbers.rpartition(",")
        numbers, searched = head.strip(), searched.strip()
        hits = choosing.search(db, pool_id=pool_id, on=on, text=searched, limit=FOUND)
        found |= {p.id or 0: p for p in hits}
    return Picker(
        in_force=total,
        sections=groups,
        chosen_sections=set(as_list(form.sections)),
        found=list(found.values()),
        ticked=ticked,
        numbers=numbers,
        searched=searched,
    )


def chosen(db: Session, pool_id: int, on: date, form: Typed) -> list[int | str]:
    """The patent ids the form chose: what its choices cover, and the patents ticked (which
    the product service checks, as every id it is given)."""
    choice = choosing.Choice(
        sections=[s for s in as_list(form.sections) if s],
        families=form.families,
        numbers=form.numbers,
        every=form.every == "yes",
    )
    try:
        covered = choosing.resolve(db, pool_id=pool_id, on=on, choice=choice)
    except InvalidInput as error:
        raise InvalidInput(error.detail, [_phrased(fault) for fault in error.errors]) from error
    return [*sorted(covered), *(v for v in as_list(form.patent_ids) if v)]


def _phrased(fault: FieldError) -> FieldError:
    """The service's message with its items, translatable on the page (`| translate`)."""
    prefix = choosing.NOT_IN_FORCE.split("%", 1)[0]
    if not fault.message.startswith(prefix):
        return fault
    items = fault.message[len(prefix) :]
    return replace(fault, message=Phrase(NOT_IN_FORCE, items=items))
