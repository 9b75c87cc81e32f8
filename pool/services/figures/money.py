"""The year's money, in minor units of the pool's currency: contracted (invoices issued and
not cancelled, by kind and licensee size), received (cash applied to invoices) and distributed
(approved runs, by contributor kind). These are licensing figures: contributors' evaluation
fees are no deal with an implementer, so they are left out."""

from typing import Any

from sqlalchemy import func
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from pool.models.billing import Invoice, InvoiceKind, InvoiceStatus, PaymentAllocation
from pool.models.distribution import DistributionRun, RunContributor, RunStatus
from pool.models.figures import Contracted, Distributed, DistributedToKind, Received
from pool.models.organisation import Organisation, OrganisationKind
from pool.services.figures.window import Window, by_size


def contracted(session: Session, pool_id: int, w: Window) -> Contracted:
    rows = session.exec(
        select(
            Organisation.size_class,
            Invoice.kind,
            func.count(col(Invoice.id)),
            func.sum(Invoice.total_minor),
        )
        .join(Organisation, col(Organisation.id) == Invoice.licensee_organisation_id)
        .where(
            Invoice.pool_id == pool_id,
            Invoice.status != InvoiceStatus.CANCELLED,
            Invoice.kind != InvoiceKind.EVALUATION_FEE,
            col(Invoice.issued_on) >= w.start,
            col(Invoice.issued_on) < w.end,
        )
        .group_by(col(Organisation.size_class), col(Invoice.kind))
    ).all()
    by_kind: dict[str, int] = {}
    for _, kind, _, amount in rows:
        by_kind[kind] = by_kind.get(kind, 0) + int(amount)
    return Contracted(
        invoices=sum(int(n) for _, _, n, _ in rows),
        total_minor=sum(by_kind.values()),
        royalty_minor=by_kind.get(InvoiceKind.ROYALTY, 0),
        fixed_fee_minor=by_kind.get(InvoiceKind.FIXED_FEE, 0),
        by_licensee_size=by_size((size, amount) for size, _, _, amount in rows),
    )


def received(session: Session, pool_id: int, w: Window) -> Received:
    rows = session.exec(
        select(Organisation.size_class, func.sum(PaymentAllocation.amount_minor))
        .select_from(PaymentAllocation)
        .join(Invoice, col(Invoice.id) == PaymentAllocation.invoice_id)
        .join(Organisation, col(Organisation.id) == Invoice.licensee_organisation_id)
        .where(
            Invoice.pool_id == pool_id,
            Invoice.kind != InvoiceKind.EVALUATION_FEE,
            col(PaymentAllocation.allocated_on) >= w.start,
            col(PaymentAllocation.allocated_on) < w.end,
        )
        .group_by(col(Organisation.size_class))
    ).all()
    return Received(
        total_minor=sum(int(amount) for _, amount in rows), by_licensee_size=by_size(rows)
    )


def _approved_runs(pool_id: int, w: Window) -> tuple[Any, ...]:
    return (
        DistributionRun.pool_id == pool_id,
        DistributionRun.status == RunStatus.APPROVED,
        col(DistributionRun.period_start) >= w.start,
        col(DistributionRun.period_start) < w.end,
    )


def _to_kind(
    kind: OrganisationKind, n: int, gross: int, adjustments: int, withholding: int, net: int
) -> DistributedToKind:
    return DistributedToKind(
        contributor_kind=kind,
        contributors=n,
        gross_minor=gross,
        adjustments_minor=adjustments,
        withholding_minor=withholding,
        net_payable_minor=net,
    )


def distributed(session: Session, pool_id: int, w: Window) -> Distributed:
    runs, received, fee = session.exec(
        select(
            func.count(col(DistributionRun.id)),
            func.coalesce(func.sum(DistributionRun.received_minor), 0),
            func.coalesce(func.sum(DistributionRun.admin_fee_minor), 0),
        ).where(*_approved_runs(pool_id, w))
    ).one()
    rows = session.execute(
        select_rows(
            col(Organisation.kind),
            func.count(func.distinct(RunContributor.contributor_organisation_id)),
            func.sum(RunContributor.gross_minor),
            func.sum(RunContributor.adjustments_minor),
            func.sum(RunContributor.withholding_minor),
            func.sum(RunContributor.net_payable_minor),
        )
        .select_from(RunContributor)
        .join(DistributionRun, col(DistributionRun.id) == RunContributor.run_id)
        .join(Organisation, col(Organisation.id) == RunContributor.contributor_organisation_id)
        .where(*_approved_runs(pool_id, w))
        .group_by(col(Organisation.kind))
    ).all()
    found = {kind: [int(x) for x in numbers] for kind, *numbers in rows}
    kinds = [_to_kind(kind, *found.get(kind, [0, 0, 0, 0, 0])) for kind in OrganisationKind]
    return Distributed(
        runs=int(runs),
        received_minor=int(received),
        admin_fee_minor=int(fee),
        gross_minor=sum(k.gross_minor for k in kinds),
        adjustments_minor=sum(k.adjustments_minor for k in kinds),
        withholding_minor=sum(k.withholding_minor for k in kinds),
        net_payable_minor=sum(k.net_payable_minor for k in kinds),
        by_contributor_kind=kinds,
    )
