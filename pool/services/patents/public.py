"""The published patent list: what real pools show on their websites."""

from datetime import date

from sqlmodel import Session

from pool.errors import NotFound
from pool.models.patent import PublicPatent
from pool.models.pool import PoolStatus
from pool.services import pools
from pool.services.common.pages import Page, paginate
from pool.services.patents.onboarding import in_force_on, public_row


def patent_list(
    session: Session, *, pool_id: int, on: date, limit: int, offset: int
) -> Page[PublicPatent]:
    """Draft pools publish nothing yet: their id answers 404 to the public."""
    pool = pools.get(session, pool_id=pool_id)
    if pool.status == PoolStatus.DRAFT:
        raise NotFound("pool not found")
    return paginate(
        session, in_force_on(pool_id, on), limit=limit, offset=offset, convert=public_row
    )
