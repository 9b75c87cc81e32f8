"""The administrator's list of a pool's deals (staff), and a contributor's own deals in every
pool: searched by supplier, counterparty or registration number, narrowed by kind, year signed
and state (`in_force`: not ended; `ended`; `consented`: a pledge whose pledgee consented),
sorted by the day signed, a page at a time or whole (CSV). Also one deal with its names and
numbers, and the patent numbers typed on the record-a-deal form read back to the supplier's
patents in the pool."""

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from pool.auth import Principal
from pool.errors import InvalidInput, NotFound
from pool.models.deal import DealRead, PatentDeal
from pool.models.organisation import Organisation
from pool.models.patent import Patent
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import pools
from pool.services.common.listing import ListQuery, run
from pool.services.common.pages import Page
from pool.services.deals.register import get, read_many

STATES = ("in_force", "ended", "consented")
SORTS: dict[str, list[Any]] = {"signed": [col(PatentDeal.signed_on)]}
DEFAULT_SORT = "-signed"
PATENTS_FIELD = "patents"


class DealRow(BaseModel):
    """A deal with the names and numbers a list shows."""

    deal: DealRead
    supplier: str
    counterparty: str
    numbers: list[str]


def _narrowed(query: SelectOfScalar[Any], spec: ListQuery) -> SelectOfScalar[Any]:
    if kind := spec.filter("kind"):
        query = query.where(PatentDeal.kind == kind)
    if year := spec.filter("year"):  # signed in the year: how the yearly figures count deals
        start = date(int(year), 1, 1)
        query = query.where(
            col(PatentDeal.signed_on) >= start,
            col(PatentDeal.signed_on) < start.replace(year=start.year + 1),
        )
    state = spec.filter("state")
    if state == "in_force":
        query = query.where(col(PatentDeal.ended_on).is_(None))
    elif state == "ended":
        query = query.where(col(PatentDeal.ended_on).is_not(None))
    elif state == "consented":
        query = query.where(col(PatentDeal.consent_on).is_not(None))
    return query


def admin_listing(
    session: Session, *, principal: Principal, pool_id: int, spec: ListQuery
) -> Page[DealRow]:
    """One pool's deals for staff, newest signed first unless sorted otherwise."""
    principal.require_staff()
    pools.get(session, pool_id=pool_id)
    return _listed(session, select(PatentDeal).where(PatentDeal.pool_id == pool_id), spec)


def own_listing(session: Session, *, principal: Principal, spec: ListQuery) -> Page[DealRow]:
    """A contributor's own deals (it is their supplier) in every pool, newest signed first;
    anyone else is told there is nothing here."""
    if principal.role != Role.CONTRIBUTOR or principal.organisation_id is None:
        raise NotFound("not found")
    mine = PatentDeal.supplier_organisation_id == principal.organisation_id
    return _listed(session, select(PatentDeal).where(mine), spec)


def one_row(session: Session, *, principal: Principal, deal_id: int) -> DealRow:
    """One deal with its parties' names and its patents' numbers, to whoever may see it
    (`register.get`: staff, the patents' owner; anyone else finds nothing)."""
    deal = read_many(session, [get(session, principal=principal, deal_id=deal_id)])[0]
    names = _names(session, {deal.supplier_organisation_id, deal.counterparty_organisation_id})
    return DealRow(
        deal=deal,
        supplier=names.get(deal.supplier_organisation_id, ""),
        counterparty=names.get(deal.counterparty_organisation_id, ""),
        numbers=patent_numbers(session, deal.patent_ids),
    )


def _listed(session: Session, query: SelectOfScalar[Any], spec: ListQuery) -> Page[DealRow]:
    found = run(
        session,
        _narrowed(query, spec),
        spec,
        search=[PatentDeal.registration_number],
        also=_names_match(spec.q),
        sorts=SORTS,
        default=DEFAULT_SORT,
        tie_break=col(PatentDeal.id),
        convert=lambda row: row,
    )
    deals = read_many(session, list(found.items))
    names = _names(session, {d.supplier_organisation_id for d in deals} | {
        d.counterparty_organisation_id for d in deals
    })  # fmt: skip
    numbers = _numbers(session, {i for d in deals for i in d.patent_ids})
    rows = [
        DealRow(
            deal=d,
            supplier=names.get(d.supplier_organisation_id, ""),
            counterparty=names.get(d.counterparty_organisation_id, ""),
            numbers=[numbers.get(i, f"#{i}") for i in d.patent_ids],
        )
        for d in deals
    ]
    return Page[DealRow](items=rows, total=found.total, limit=found.limit, offset=found.offset)


def _names_match(text: str) -> list[Any]:
    """Deals whose supplier or counterparty name contains `text` (any case)."""
    wanted = text.strip()
    if not wanted:
        return []
    named = select(Organisation.id).where(col(Organisation.name).icontains(wanted, autoescape=True))
    return [
        col(PatentDeal.supplier_organisation_id).in_(named),
        col(PatentDeal.counterparty_organisation_id).in_(named),
    ]


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(
        select(Organisation.id, Organisation.name).where(col(Organisation.id).in_(ids))
    )
    return {int(i or 0): name for i, name in rows}


def _numbers(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Patent.id, Patent.number).where(col(Patent.id).in_(ids)))
    return {int(i or 0): number for i, number in rows}


def patent_numbers(session: Session, ids: list[int]) -> list[str]:
    """The numbers of these patents, in the same order."""
    found = _numbers(session, set(ids))
    return [found.get(i, f"#{i}") for i in ids]


def _folded(number: str) -> str:
    return "".join(number.split()).casefold()


def patents_by_number(
    session: Session, *, pool_id: int, supplier_id: int, typed: list[str]
) -> list[int]:
    """The supplier's patents in the pool with these numbers (any case, spaces ignored), in
    the order typed; a number it has no patent under is a fault naming it."""
    if not typed:
        raise InvalidInput.field(PATENTS_FIELD, "enter the numbers of the patents")
    owned = session.exec(
        select(Patent.id, Patent.number).where(
            Patent.pool_id == pool_id, Patent.owner_organisation_id == supplier_id
        )
    ).all()
    by_number = {_folded(number): int(i or 0) for i, number in owned}
    unknown = [n for n in typed if _folded(n) not in by_number]
    if unknown:
        raise InvalidInput.field(
            PATENTS_FIELD,
            Phrase(
                "the supplier has no patent in this pool numbered %(numbers)s",
                numbers=", ".join(unknown[:10]),
            ),
        )
    return list(dict.fromkeys(by_number[_folded(n)] for n in typed))
