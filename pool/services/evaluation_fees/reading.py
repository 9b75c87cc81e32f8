"""The evaluation fees an organisation is billed, each with its patent and where its payment
stands, for the contributor's pages. Scoped by `billing.invoices` (a contributor reads its own
organisation's fees; others are not found)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.billing import Invoice, InvoiceKind, InvoiceRead
from pool.models.patent import Patent
from pool.services.billing import invoices
from pool.services.billing.position import InvoicePosition
from pool.services.billing.position.parts import invoice_positions
from pool.services.common.pages import Page


@dataclass(frozen=True)
class FeeRow:
    invoice: InvoiceRead
    patent_id: int | None
    patent_number: str
    position: InvoicePosition


def fees_of(
    session: Session, *, principal: Principal, as_of: date, limit: int, offset: int
) -> Page[FeeRow]:
    """A page of the caller's evaluation fees, newest first (a university may have thousands
    of patents evaluated)."""
    listed = invoices.listing(
        session,
        principal=principal,
        agreement_id=None,
        status=None,
        kind=InvoiceKind.EVALUATION_FEE,
        limit=limit,
        offset=offset,
        newest_first=True,
    )
    rows = _rows(session, [item.id for item in listed.items], as_of)
    return Page(items=rows[::-1], total=listed.total, limit=limit, offset=offset)


def fee(session: Session, *, principal: Principal, invoice_id: int, as_of: date) -> FeeRow:
    """One evaluation fee of the caller (another's, or another kind of invoice: not found)."""
    found = invoices.get(session, principal=principal, invoice_id=invoice_id)
    if found.kind != InvoiceKind.EVALUATION_FEE:
        raise NotFound("invoice not found")
    return _rows(session, [found.id], as_of)[0]


def _rows(session: Session, ids: list[int], as_of: date) -> list[FeeRow]:
    rows = session.exec(select(Invoice).where(col(Invoice.id).in_(ids)).order_by(col(Invoice.id)))
    found = list(rows.all())
    patents = {
        p.id: p.number
        for p in session.exec(
            select(Patent).where(col(Patent.id).in_({i.patent_id for i in found if i.patent_id}))
        ).all()
    }
    return [
        FeeRow(
            invoice=InvoiceRead.model_validate(position.invoice),
            patent_id=position.invoice.patent_id,
            patent_number=patents.get(position.invoice.patent_id, ""),
            position=position,
        )
        for position in invoice_positions(session, found, as_of=as_of)
    ]
