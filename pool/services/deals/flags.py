"""Review flags on deals, as on licences: deals that look made for the figures rather than to
move a patent (DOMAIN.md section 4). A transfer undone soon after it took effect, and a pledge
released at once after its registration, are counted in the year's figures all the same, so
an administrator should look at them. Computed on every query; thresholds are parameters."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from pool.models.deal import DealFlag, DealKind, PatentDeal


@dataclass(frozen=True)
class DealThresholds:
    transfer_undone_days: int = 180
    pledge_released_days: int = 30


RULES = {  # deal kind -> (flag, its threshold, its reason)
    DealKind.TRANSFER: (
        "transfer_undone",
        "transfer_undone_days",
        "transfer undone {days} days after it took effect",
    ),
    DealKind.PLEDGE: (
        "pledge_released_at_once",
        "pledge_released_days",
        "pledge released {days} days after its registration",
    ),
}


def flag_of(deal: PatentDeal, t: DealThresholds) -> DealFlag | None:
    """The deal's flag, if it ended within its kind's threshold of taking effect."""
    rule = RULES.get(DealKind(deal.kind))
    if rule is None or deal.ended_on is None:
        return None
    kind, threshold, reason = rule
    days = (deal.ended_on - deal.effective_on).days
    if days > getattr(t, threshold):
        return None
    return DealFlag(
        deal_id=deal.id or 0,
        deal_kind=DealKind(deal.kind),
        supplier_organisation_id=deal.supplier_organisation_id,
        kind=kind,
        reason=reason.format(days=days),
        facts={"days": days},
    )


def flags(
    session: Session, *, pool_id: int, deal_ids: list[int], t: DealThresholds
) -> list[DealFlag]:
    """The flags of these deals of the pool, in deal order."""
    if not deal_ids:
        return []
    deals = session.exec(
        select(PatentDeal)
        .where(PatentDeal.pool_id == pool_id, col(PatentDeal.id).in_(deal_ids))
        .order_by(col(PatentDeal.id))
    ).all()
    return [flag for deal in deals if (flag := flag_of(deal, t)) is not None]
