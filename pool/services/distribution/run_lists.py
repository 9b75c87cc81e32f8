"""A pool's distribution runs as a list (issue 17, staff only): searched by the period's
first day as written (`2025-04`), narrowed by status and the year of the period, sorted by
period (latest first by default), a page at a time or whole (CSV). A pool has one run per
statement period, so the pool and period columns (the run's unique key) serve every order."""

from datetime import date
from typing import Any

from sqlalchemy import String, cast
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.distribution import DistributionRun, DistributionRunRead, RunStatus
from pool.services.common.listing import ListQuery, run
from pool.services.common.pages import Page

STATUSES = tuple(status.value for status in RunStatus)
SORTS: dict[str, list[Any]] = {"period": [col(DistributionRun.period_start)]}
DEFAULT_SORT = "-period"


def listing(
    session: Session, *, principal: Principal, pool_id: int, spec: ListQuery
) -> Page[DistributionRunRead]:
    """The pool's runs (filters: `status`, `year` of the period's first day)."""
    principal.require_staff()
    query = select(DistributionRun).where(DistributionRun.pool_id == pool_id)
    if status := spec.filter("status"):
        query = query.where(DistributionRun.status == status)
    if year := spec.filter("year"):
        start = date(int(year), 1, 1)
        query = query.where(
            col(DistributionRun.period_start) >= start,
            col(DistributionRun.period_start) < start.replace(year=start.year + 1),
        )
    return run(
        session, query, spec, search=[cast(DistributionRun.period_start, String)],
        sorts=SORTS, default=DEFAULT_SORT,
        tie_break=col(DistributionRun.id), convert=DistributionRunRead.model_validate,
    )  # fmt: skip
