"""What anyone may read without signing in: the API's root (its links) and what a pool
publishes."""

from dataclasses import dataclass, field
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

# The API's top-level resources, by name: each a GET collection under /api/v1 (tests check
# every link against the app's routes), and `login`, where a token is had (POST). A pool's own
# resources (its terms, offers, runs, figures) are reached from `pools`.
RESOURCES = {
    "login": "auth/login",
    "me": "me",
    "users": "users",
    "organisations": "organisations",
    "pools": "pools",
    "public_pools": "public/pools",
    "agreements": "agreements",
    "products": "products",
    "reports": "reports",
    "invoices": "invoices",
    "payment_notices": "payment-notices",
    "payments": "payments",
    "statements": "statements",
    "audit": "audit",
}


@dataclass(frozen=True)
class ApiRoot:
    """Where the API starts: links to its top-level resources and to its documentation."""

    name: str = "patentpool API"
    version: str = "v1"
    links: dict[str, str] = field(default_factory=dict)


def api_root(prefix: str) -> ApiRoot:
    links = {"self": prefix, "schema": "/schema", "openapi": "/schema/openapi.json"}
    links |= {name: f"{prefix}/{path}" for name, path in RESOURCES.items()}
    return ApiRoot(links=links)


class ApiRootController(Controller):
    path = "/"
    tags = ["public"]
    security = [{}]

    @get(
        "/",
        sync_to_thread=False,
        summary="The API's root",
        description="Links to the API's top-level resources (`links`: each a URL path), to the "
        "OpenAPI page (`schema`) and to this OpenAPI document (`openapi`). Anyone may read it: "
        "it holds no data.",
    )
    def root(self) -> ApiRoot:
        """The API's root: links to its top-level resources, the OpenAPI page (`schema`) and
        the OpenAPI document (`openapi`). Anyone may read it; it holds no data."""
        return api_root("/api/v1")


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
