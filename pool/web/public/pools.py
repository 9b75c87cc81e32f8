"""What a pool publishes, for everyone: its patent list and its open licence offers."""

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.services import pools
from pool.services.licensing import offers
from pool.services.patents import public
from pool.web import views
from pool.web.pages import page

PATENTS_PER_PAGE = 50
PageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=100_000)]


class PublicPoolController(Controller):
    path = "/pools"
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def index(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        viewer: NamedDependency[Principal | None],
    ) -> Response[str]:
        """The open pools."""
        listing = pools.listing(db, status="open", limit=500, offset=0)
        return page(request, "web/pools.html.j2", viewer, pools=listing.items)

    @get("/{pool_id:int}", sync_to_thread=True)
    def pool(
        self,
        request: Request[Any, Any, Any],
        pool_id: PathId,
        db: NamedDependency[Session],
        viewer: NamedDependency[Principal | None],
        now: NamedDependency[datetime],
        page_: PageNumber = 1,
    ) -> Response[str]:
        """A pool's patents in force today (draft pools are not found) and its offers."""
        today = now.date()
        offset = (page_ - 1) * PATENTS_PER_PAGE
        patents = public.patent_list(
            db, pool_id=pool_id, on=today, limit=PATENTS_PER_PAGE, offset=offset
        )
        published = offers.public_listing(db, pool_id=pool_id, today=today, limit=50, offset=0)
        return page(
            request,
            "web/pool.html.j2",
            viewer,
            pool=pools.get(db, pool_id=pool_id),
            field_label=views.FIELD_LABELS,
            status_label=views.STATUS_LABELS,
            patents=patents,
            page_number=page_,
            previous_page=page_ - 1 if page_ > 1 else None,
            next_page=page_ + 1 if offset + len(patents.items) < patents.total else None,
            offers=[views.offer(item) for item in published.items],
            today=today,
        )
