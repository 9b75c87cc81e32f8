"""Every licensee's invoices for administrators (issue 17): searched by licensee or invoice
number, narrowed by pool, year of issue and state, sorted by due date, amount, licensee or
issue date, a page at a time or whole (CSV).

Each row's state is the position's (`invoice_position`, as of the day asked), never computed
here. The state filter reads the same truth at the lowest cost: an invoice still owed (not yet
due, due, overdue) is an open one whose position says so; a paid, written-off or cancelled one
is one whose stored status says so (settlement stores `paid` exactly when the allocations
cover the total, which is when the position reads every part paid; write-offs and
cancellations are dated no later than the day they are recorded), so a list of thousands of
settled invoices is not read one position at a time."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.billing import Invoice
from pool.models.organisation import Organisation
from pool.models.pool import Pool
from pool.services.billing.position.parts import InvoicePosition, PartState, invoice_positions
from pool.services.common.listing import Export, ListQuery, export, run
from pool.services.common.pages import Page

STATES: dict[str, frozenset[PartState]] = {  # the filter's words -> the position's states
    "not_yet_due": frozenset({PartState.NOT_YET_DUE, PartState.AWAITING_THRESHOLD}),
    "due": frozenset({PartState.DUE}),
    "overdue": frozenset({PartState.OVERDUE}),
    "paid": frozenset({PartState.PAID}),
    "written_off": frozenset({PartState.WRITTEN_OFF}),
    "cancelled": frozenset({PartState.CANCELLED}),
}
SETTLED = {"paid": "paid", "written_off": "written_off", "cancelled": "cancelled"}
# what an invoice is for: royalties, a licence fee (entry, annual) or an evaluation fee
KINDS = ("royalty", "entry_fee", "annual_fee", "evaluation_fee")
SORTS: dict[str, list[Any]] = {
    "due": [col(Invoice.due_on).is_(None), col(Invoice.due_on)],  # no date yet: last
    "amount": [col(Invoice.total_minor)],
    "licensee": [func.lower(Organisation.name)],
    "issued": [col(Invoice.issued_on)],
}
DEFAULT_SORT = "-issued"


class InvoiceRow(BaseModel):
    """An invoice, its licensee and pool, and its position on the day asked."""

    id: int
    number: str
    kind: str
    fee_kind: str | None
    pool_id: int
    pool: str
    licensee_organisation_id: int
    licensee: str
    agreement_id: int | None  # None for an evaluation fee
    currency: str
    usage_start: date
    usage_end: date
    issued_on: date
    due_on: date | None
    total_minor: int
    state: str
    paid_minor: int
    outstanding_minor: int
    overdue_minor: int
    interest_minor: int
    days_late: int


def _row(found: InvoicePosition, licensee: str, pool: str) -> InvoiceRow:
    invoice = found.invoice
    return InvoiceRow(
        **invoice.model_dump(include=set(InvoiceRow.model_fields) - {"pool", "licensee"}),
        pool=pool,
        licensee=licensee,
        state=found.state.value,
        paid_minor=found.paid_minor,
        outstanding_minor=found.outstanding_minor,
        overdue_minor=found.overdue_minor,
        interest_minor=found.interest_minor,
        days_late=found.days_late,
    )


def _rows(session: Session, rows: Sequence[Any], as_of: date) -> list[InvoiceRow]:
    """(invoice, licensee name, pool name) rows with their positions, read together."""
    positions = invoice_positions(session, [row[0] for row in rows], as_of=as_of)
    return [_row(found, row[1], row[2]) for found, row in zip(positions, rows, strict=True)]


def _filtered(query: Any, spec: ListQuery) -> Any:
    """`query` joined to the licensee and the pool, narrowed by pool, year of issue and what
    the invoice is for (`kind`: royalties, a licence fee by name, an evaluation fee)."""
    query = query.join(Organisation, col(Organisation.id) == Invoice.licensee_organisation_id).join(
        Pool, col(Pool.id) == Invoice.pool_id
    )
    if pool := spec.filter("pool"):
        query = query.where(Invoice.pool_id == int(pool))
    if year := spec.filter("year"):
        start = date(int(year), 1, 1)
        end = start.replace(year=start.year + 1)
        query = query.where(col(Invoice.issued_on) >= start, col(Invoice.issued_on) < end)
    if (kind := spec.filter("kind")) in ("entry_fee", "annual_fee"):
        query = query.where(Invoice.fee_kind == kind)
    elif kind in KINDS:
        query = query.where(Invoice.kind == kind)
    return query


def _owed_in_state(session: Session, spec: ListQuery, wanted: str, as_of: date) -> list[int]:
    """The ids of the open invoices whose position on `as_of` is in the state `wanted`."""
    narrowed = _filtered(select(Invoice), spec).where(Invoice.status == "open")
    states = STATES[wanted]
    owed = session.exec(narrowed).all()
    return [
        found.invoice.id or 0
        for found in invoice_positions(session, owed, as_of=as_of)
        if found.state in states
    ]


def _narrowed(session: Session, spec: ListQuery, as_of: date) -> Any:
    """Every pool's invoices with licensee and pool names, as `status`, `pool` and `year`
    of issue narrow them."""
    query = _filtered(select(Invoice, Organisation.name, Pool.name), spec)
    status = spec.filter("status")
    if status in SETTLED:
        query = query.where(Invoice.status == SETTLED[status])
    elif status in STATES:
        owed = _owed_in_state(session, spec, status, as_of)
        query = query.where(col(Invoice.id).in_(owed))
    return query


def admin_listing(
    session: Session, *, principal: Principal, spec: ListQuery, as_of: date
) -> Page[InvoiceRow]:
    """A page of every pool's invoices for staff."""
    principal.require_staff()
    return run(
        session, _narrowed(session, spec, as_of), spec,
        search=[Organisation.name, Invoice.number],
        sorts=SORTS, default=DEFAULT_SORT, tie_break=col(Invoice.id),
        convert_all=lambda rows: _rows(session, rows, as_of),
    )  # fmt: skip


def _load(session: Session, ids: list[int], as_of: date) -> dict[int, InvoiceRow]:
    """The rows of a batch of invoices, their positions read together (`position.facts`)."""
    query = _filtered(select(Invoice, Organisation.name, Pool.name), ListQuery())
    rows = session.exec(query.where(col(Invoice.id).in_(ids))).all()
    return {row.id or 0: row for row in _rows(session, rows, as_of)}


def admin_export(
    session: Session, *, principal: Principal, spec: ListQuery, as_of: date
) -> Export[InvoiceRow]:
    """Every filtered invoice for staff, in the list's order, read in batches when
    streamed (each row's position is the costly part: some 2 ms an invoice)."""
    principal.require_staff()
    return export(
        session, _narrowed(session, spec, as_of), spec,
        search=[Organisation.name, Invoice.number],
        sorts=SORTS, default=DEFAULT_SORT, tie_break=col(Invoice.id),
        load=lambda batch, ids: _load(batch, ids, as_of),
    )  # fmt: skip
