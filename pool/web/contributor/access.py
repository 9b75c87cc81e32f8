"""Who sees the contributor pages and which pools are theirs: `contributor_only` is every
contributor controller's `principal` (404 for any other role, the login page for visitors);
`my_pools` lists the pools the contributor is (or was) a member of, as the membership service
scopes them. Also the paging the contributor's lists share.
"""

from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID
from pool.dependencies import provide_web_principal
from pool.errors import NotFound
from pool.models.pool import PoolRead
from pool.models.user import Role
from pool.services import pools
from pool.services.common.pages import MAX_LIMIT
from pool.services.pools import memberships

PER_PAGE = 25
PageNumber = Annotated[int, QueryParameter(name="page", ge=1, le=100_000)]
PoolId = Annotated[int | None, QueryParameter(name="pool", ge=1, le=MAX_ID)]


def contributor_only(viewer: NamedDependency[Principal | None]) -> Principal:
    """The signed-in contributor; visitors go to the login page, other roles find nothing."""
    principal = provide_web_principal(viewer)
    if principal.role != Role.CONTRIBUTOR or principal.organisation_id is None:
        raise NotFound("not found")
    return principal


def my_pools(db: Session, principal: Principal, *, current_only: bool = False) -> list[PoolRead]:
    """The pools the contributor is (or was) a member of; the membership service scopes it."""
    found = pools.listing(db, status=None, limit=MAX_LIMIT, offset=0).items
    return [
        pool
        for pool in found
        if memberships.listing(
            db, principal=principal, pool_id=pool.id, current_only=current_only, limit=1, offset=0
        ).total
    ]


def chosen(mine: list[PoolRead], pool_id: int | None) -> PoolRead | None:
    """The pool asked for (one of the contributor's, else not found), or the first one."""
    if pool_id is None:
        return mine[0] if mine else None
    for pool in mine:
        if pool.id == pool_id:
            return pool
    raise NotFound("pool not found")
