"""What a pool publishes to everyone, without signing in."""

from datetime import date, datetime

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.models.patent import PublicPatent
from pool.models.pool import PoolRead
from pool.services import pools
from pool.services.common.pages import Page
from pool.services.patents import public


class PublicController(Controller):
    path = "/public/pools"
    tags = ["public"]
    security = [{}]

    @get("/", sync_to_thread=True)
    def list_pools(
        self, db: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
    ) -> Page[PoolRead]:
        """Open pools, for anyone."""
        return pools.listing(db, status="open", limit=limit, offset=offset)

    @get("/{pool_id:int}/patents", sync_to_thread=True)
    def patent_list(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        now: NamedDependency[datetime],
        on: FromQuery[date | None] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Page[PublicPatent]:
        """The pool's accepted patents in force on a date (default: today, UTC)."""
        return public.patent_list(
            db, pool_id=pool_id, on=on or now.date(), limit=limit, offset=offset
        )
