"""The programme's deals of a year beyond the pool's own licences (docs/figures.md, "All deal
types"): transfers, licences outside the pool and capital contributions signed in the year,
by kind of supplier and counterparty size, with their contract amounts and the money received
under them in the year; and pledge financing (pledges taking effect in the year). Every sum
is in the pool's currency's minor units, added as integers."""

from collections.abc import Iterable

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from pool.models.deal import DealKind, DealReceipt, PatentDeal
from pool.models.figures import (
    BySupplier,
    Contracted,
    Deals,
    PledgeFinancing,
    Received,
    TransactionKind,
    Transactions,
)
from pool.models.organisation import Organisation, OrganisationKind
from pool.services.figures.window import Window, by_size

UNIVERSITY_OR_INSTITUTE = frozenset(
    {OrganisationKind.UNIVERSITY, OrganisationKind.RESEARCH_INSTITUTE}
)


def supplier_type(kind: str) -> str:
    """The programme's two kinds of supplier, and individuals apart."""
    if kind in UNIVERSITY_OR_INSTITUTE:
        return "university_or_institute"
    return "individual" if kind == OrganisationKind.INDIVIDUAL else "enterprise"


def by_supplier(pairs: Iterable[tuple[str, int]]) -> BySupplier:
    totals: dict[str, int] = {}
    for kind, amount in pairs:
        key = supplier_type(kind)
        totals[key] = totals.get(key, 0) + amount
    return BySupplier(**totals)


def _signed(session: Session, pool_id: int, w: Window) -> list[tuple[PatentDeal, str, str | None]]:
    """The year's deals with their supplier's kind and their counterparty's size."""
    supplier = aliased(Organisation, name="supplier")
    counterparty = aliased(Organisation, name="counterparty")
    rows = session.exec(
        select(PatentDeal, supplier.kind, counterparty.size_class)
        .join(supplier, col(supplier.id) == PatentDeal.supplier_organisation_id)
        .join(counterparty, col(counterparty.id) == PatentDeal.counterparty_organisation_id)
        .where(
            PatentDeal.pool_id == pool_id,
            col(PatentDeal.signed_on) >= w.start,
            col(PatentDeal.signed_on) < w.end,
        )
        .order_by(col(PatentDeal.id))
    ).all()
    return [(deal, kind, size) for deal, kind, size in rows]


def _received(session: Session, pool_id: int, w: Window) -> dict[str, int]:
    """Money received in the year under each kind of deal, whenever the deal was signed."""
    rows = session.exec(
        select(PatentDeal.kind, func.sum(DealReceipt.amount_minor))
        .join(PatentDeal, col(PatentDeal.id) == DealReceipt.deal_id)
        .where(
            PatentDeal.pool_id == pool_id,
            col(DealReceipt.received_on) >= w.start,
            col(DealReceipt.received_on) < w.end,
        )
        .group_by(PatentDeal.kind)
    ).all()
    return {kind: int(total or 0) for kind, total in rows}


def _pledges(session: Session, pool_id: int, w: Window) -> PledgeFinancing:
    row = session.exec(
        select(func.count(), func.sum(PatentDeal.contract_amount_minor)).where(
            PatentDeal.pool_id == pool_id,
            PatentDeal.kind == DealKind.PLEDGE,
            col(PatentDeal.effective_on) >= w.start,
            col(PatentDeal.effective_on) < w.end,
        )
    ).one()
    return PledgeFinancing(projects=int(row[0]), secured_minor=int(row[1] or 0))


def transactions(
    session: Session,
    pool_id: int,
    w: Window,
    *,
    licences: Deals,
    contracted: Contracted,
    received: Received,
) -> Transactions:
    """The year's deals of every kind; the pool's own licences (`licences`, `contracted`,
    `received`, counted as in the rest of the figures) are added to the totals."""
    signed = _signed(session, pool_id, w)
    receipts = _received(session, pool_id, w)
    kinds = []
    for kind in DealKind:
        rows = [(deal, supplier, size) for deal, supplier, size in signed if deal.kind == kind]
        kinds.append(
            TransactionKind(
                kind=kind,
                signed=len(rows),
                by_supplier=by_supplier((supplier, 1) for _, supplier, _ in rows),
                by_counterparty_size=by_size((size, 1) for _, _, size in rows),
                contracted_minor=sum(d.contract_amount_minor for d, _, _ in rows),
                contracted_by_supplier=by_supplier(
                    (supplier, d.contract_amount_minor) for d, supplier, _ in rows
                ),
                received_minor=receipts.get(kind, 0),
            )
        )
    moving = [k for k in kinds if k.kind != DealKind.PLEDGE]  # a pledge finances, moves nothing
    return Transactions(
        deals=licences.signed + sum(k.signed for k in moving),
        contracted_minor=contracted.total_minor + sum(k.contracted_minor for k in moving),
        received_minor=received.total_minor + sum(k.received_minor for k in moving),
        kinds=kinds,
        pledges=_pledges(session, pool_id, w),
    )


def signed_ids(session: Session, pool_id: int, w: Window) -> list[int]:
    """The deals signed in the year (every kind), for their review flags."""
    return [deal.id or 0 for deal, _, _ in _signed(session, pool_id, w)]
