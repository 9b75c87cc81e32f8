"""A patent's inventors: its owner (a contributor) and administrators set them, staff read
them; each change is audited with the list before and after."""

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, delete, select

from pool.auth import Principal
from pool.models.inventor import InventorRead, InventorsWrite, PatentInventor
from pool.models.user import Role
from pool.services import audit
from pool.services.patents.onboarding import get as get_patent

BP_PER_PERCENT = 100


def of_patent(session: Session, patent_id: int) -> list[PatentInventor]:
    return list(
        session.exec(
            select(PatentInventor)
            .where(PatentInventor.patent_id == patent_id)
            .order_by(col(PatentInventor.position))
        ).all()
    )


def read(row: PatentInventor) -> InventorRead:
    return InventorRead(
        position=row.position,
        name=row.name,
        staff_number=row.staff_number,
        share_percent=Decimal(row.share_bp) / BP_PER_PERCENT,
    )


def listing(session: Session, *, principal: Principal, patent_id: int) -> list[InventorRead]:
    """Staff, or the patent's owner; anyone else is told there is no such patent."""
    get_patent(session, principal=principal, patent_id=patent_id)
    return [read(row) for row in of_patent(session, patent_id)]


def replace(
    session: Session,
    *,
    principal: Principal,
    patent_id: int,
    data: InventorsWrite,
    now: datetime,
) -> list[InventorRead]:
    """Replace the patent's inventors whole (the owner or an administrator)."""
    patent = get_patent(session, principal=principal, patent_id=patent_id)
    principal.require_role(Role.ADMIN, Role.CONTRIBUTOR)
    before = [read(row).model_dump(mode="json") for row in of_patent(session, patent_id)]
    session.exec(delete(PatentInventor).where(col(PatentInventor.patent_id) == patent_id))
    rows = [
        PatentInventor(
            patent_id=patent_id,
            position=position,
            name=item.name,
            staff_number=item.staff_number,
            share_bp=int(item.share_percent * BP_PER_PERCENT),
        )
        for position, item in enumerate(data.inventors, start=1)
    ]
    session.add_all(rows)
    session.flush()
    after = [read(row) for row in rows]
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="patent.inventors_set",
        entity_type="patent",
        entity_id=patent_id,
        pool_id=patent.pool_id,
        before={"inventors": before},
        after={"inventors": [item.model_dump(mode="json") for item in after]},
        now=now,
    )
    return after
