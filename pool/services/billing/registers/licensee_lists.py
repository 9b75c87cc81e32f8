"""A pool's licensees for administrators (issue 17): every organisation holding an agreement
in the pool, searched by name or USCC, narrowed by size class, country, agreement state and
standing (`overdue`: an invoice part overdue today; `good`: none, and no report missing),
sorted by name, size class, amount invoiced or amount still owed; a page at a time or whole
(CSV).

Amounts are the pool's (one currency): invoiced is every invoice not cancelled; still owed is
what open invoices ask less what was allocated to them (interest aside), both summed in SQL
with the row. Overdue is the position service's (`late_parts`, as the dashboard counts it);
a missing report is `standing.missing_reports`', read only for the rows a filter or a page
needs."""

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import case, exists, func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.billing import Invoice, InvoiceStatus, PaymentAllocation
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.pool import Pool
from pool.services.billing import standing
from pool.services.billing.position import late_parts
from pool.services.common.listing import ListQuery, run
from pool.services.common.pages import Page

STANDINGS = ("good", "overdue")
SORT_KEYS = ("name", "size", "invoiced", "owed")
SIZE_ORDER = case(
    {"micro": 1, "small": 2, "medium": 3, "large": 4}, value=Organisation.size_class, else_=5
)


class LicenseeRow(BaseModel):
    """A licensee of the pool, its agreements' states, what it was invoiced and still owes."""

    id: int
    name: str
    uscc: str | None
    size_class: str | None
    country: str
    states: list[str]
    currency: str
    invoiced_minor: int
    owed_minor: int
    overdue: bool
    missing_reports: int


def _sums(pool_id: int) -> tuple[Any, Any]:
    """Invoiced (not cancelled) and still owed (open, less allocations) per licensee."""
    mine = (Invoice.licensee_organisation_id == Organisation.id, Invoice.pool_id == pool_id)
    invoiced = (
        select(func.coalesce(func.sum(Invoice.total_minor), 0))
        .where(*mine, col(Invoice.status) != InvoiceStatus.CANCELLED)
        .correlate(Organisation)
        .scalar_subquery()
    )
    open_total = (
        select(func.coalesce(func.sum(Invoice.total_minor), 0))
        .where(*mine, col(Invoice.status) == InvoiceStatus.OPEN)
        .correlate(Organisation)
        .scalar_subquery()
    )
    paid_on_open = (
        select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0))
        .join(Invoice, col(Invoice.id) == PaymentAllocation.invoice_id)
        .where(*mine, col(Invoice.status) == InvoiceStatus.OPEN)
        .correlate(Organisation)
        .scalar_subquery()
    )
    return invoiced, open_total - paid_on_open


def _missing(session: Session, pool: Pool, licensee_id: int, today: date) -> int:
    return len(standing.missing_reports(
        session, pool=pool, licensee_organisation_id=licensee_id, start=date.min, end=today,
        as_of=today,
    ))  # fmt: skip


def _states(session: Session, pool_id: int, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for licensee, state in session.exec(
        select(LicenceAgreement.licensee_organisation_id, LicenceAgreement.state)
        .where(LicenceAgreement.pool_id == pool_id)
        .where(col(LicenceAgreement.licensee_organisation_id).in_(ids))
        .order_by(col(LicenceAgreement.id))
    ).all():
        found.setdefault(licensee, []).append(state)
    return found


def admin_listing(
    session: Session, *, principal: Principal, pool: Pool, spec: ListQuery, today: date
) -> Page[LicenseeRow]:
    """The pool's licensees for staff (filters: `size`, `country`, `state` (of an agreement
    in the pool), `standing`), each with its amounts and standing today."""
    principal.require_staff()
    pool_id = pool.id or 0
    holds = [col(LicenceAgreement.licensee_organisation_id) == Organisation.id,
             col(LicenceAgreement.pool_id) == pool_id]  # fmt: skip
    if state := spec.filter("state"):
        holds.append(col(LicenceAgreement.state) == state)
    where: list[Any] = [exists().where(*holds)]
    if size := spec.filter("size"):
        where.append(col(Organisation.size_class) == size)
    if country := spec.filter("country"):
        where.append(col(Organisation.country) == country.upper())
    late = {p.invoice.invoice.licensee_organisation_id
            for p in late_parts(session, pool_id=pool_id, licensee_organisation_id=None,
                                as_of=today)}  # fmt: skip
    wanted = spec.filter("standing")
    if wanted == "overdue":
        where.append(col(Organisation.id).in_(late))
    elif wanted == "good":  # not overdue, then no report missing (read for those left)
        others = session.exec(select(Organisation.id).where(*where).where(
            col(Organisation.id).not_in(late))).all()  # fmt: skip
        fine = [i for i in others if i is not None and not _missing(session, pool, i, today)]
        where.append(col(Organisation.id).in_(fine))
    invoiced, owed = _sums(pool_id)
    sorts: dict[str, list[Any]] = {
        "name": [func.lower(Organisation.name)], "size": [SIZE_ORDER], "invoiced": [invoiced],
        "owed": [owed],
    }  # fmt: skip
    # a select of several columns is a `Select` to SQLModel's types; `run` reads it the same
    found = run(
        session, select(Organisation, invoiced, owed).where(*where), spec,  # type: ignore[arg-type]
        search=[Organisation.name, Organisation.uscc], sorts=sorts, default="name",
        tie_break=col(Organisation.id), convert=lambda row: row,
    )  # fmt: skip
    states = _states(session, pool_id, [row[0].id for row in found.items])

    def convert(row: Any) -> LicenseeRow:
        org: Organisation = row[0]
        return LicenseeRow(
            **org.model_dump(include=set(LicenseeRow.model_fields)),
            states=states.get(org.id or 0, []), currency=pool.currency, invoiced_minor=row[1],
            owed_minor=row[2], overdue=org.id in late,
            missing_reports=_missing(session, pool, org.id or 0, today),
        )  # fmt: skip

    return Page[LicenseeRow](
        items=[convert(row) for row in found.items], total=found.total, limit=found.limit,
        offset=found.offset,
    )  # fmt: skip
