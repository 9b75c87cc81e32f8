"""Daily patent upkeep: patents whose term has run out leave the pool on their expiry date.

Run by the scheduler's `patent_upkeep` job. The transition rules are `evaluation`'s (only an
accepted patent can expire; the inclusion interval ends on the same day), so a patent
already ended is never touched again and a second run changes nothing."""

from datetime import date, datetime

from sqlmodel import Session, col, select

from pool.models.patent import Patent, PatentEnd, PatentStatus
from pool.services import audit
from pool.services.patents import evaluation

UPKEEP = audit.Actor.system("scheduler")


def expire_patents(
    session: Session,
    *,
    pool_id: int | None,
    as_of: date,
    now: datetime,
    actor: audit.Actor = UPKEEP,
) -> list[Patent]:
    """Move every accepted patent whose expiry date is on or before `as_of` to `expired`,
    dated its expiry date; return them in id order. `pool_id=None` means every pool."""
    query = select(Patent).where(
        Patent.status == PatentStatus.ACCEPTED,
        col(Patent.expiry_date).is_not(None),
        col(Patent.expiry_date) <= as_of,
    )
    if pool_id is not None:
        query = query.where(Patent.pool_id == pool_id)
    expired: list[Patent] = []
    for patent in session.exec(query.order_by(col(Patent.id))).all():
        on = patent.expiry_date or as_of
        data = PatentEnd(status=PatentStatus.EXPIRED, on=on, reason="term expired")
        expired.append(
            evaluation.end_by_system(session, actor=actor, patent=patent, data=data, now=now)
        )
    return expired
