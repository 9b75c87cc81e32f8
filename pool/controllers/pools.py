"""Pools and their memberships."""

from datetime import datetime

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller
from pool.models.membership import (
    BoundCreate,
    BoundRead,
    MembershipCreate,
    MembershipRead,
    MembershipWithdraw,
)
from pool.models.pool import PayeeRead, PayeeWrite, PoolCreate, PoolRead, PoolUpdate
from pool.services import pools
from pool.services.common.pages import Page
from pool.services.pools import member_bounds, memberships, payee


class PoolController(Controller):
    path = "/pools"
    tags = ["pools"]

    @get("/", sync_to_thread=True)
    def list_pools(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        status: FromQuery[str | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[PoolRead]:
        """Every signed-in user may list pools: their terms are public by design."""
        return pools.listing(db, status=status, limit=limit, offset=offset)

    @post("/", sync_to_thread=True)
    def create_pool(
        self,
        data: JSONBody[PoolCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PoolRead:
        """Create a pool (administrators only)."""
        return PoolRead.model_validate(pools.create(db, principal=principal, data=data, now=now))

    @get("/{pool_id:int}", sync_to_thread=True)
    def get_pool(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> PoolRead:
        """One pool."""
        return PoolRead.model_validate(pools.get(db, pool_id=pool_id))

    @patch("/{pool_id:int}", sync_to_thread=True)
    def update_pool(
        self,
        pool_id: PathId,
        data: JSONBody[PoolUpdate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PoolRead:
        """Change a pool's settings or status (administrators only)."""
        pool = pools.update(db, principal=principal, pool_id=pool_id, data=data, now=now)
        return PoolRead.model_validate(pool)

    @get("/{pool_id:int}/payee", sync_to_thread=True)
    def get_payee(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> PayeeRead:
        """The bank account licensees pay into (staff; licensees read it on their invoices)."""
        return PayeeRead.model_validate(payee.get(db, principal=principal, pool_id=pool_id))

    @put("/{pool_id:int}/payee", sync_to_thread=True)
    def put_payee(
        self,
        pool_id: PathId,
        data: JSONBody[PayeeWrite],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PayeeRead:
        """Set the payee every invoice of the pool prints (administrators; audited)."""
        found = payee.put(db, principal=principal, pool_id=pool_id, data=data, now=now)
        return PayeeRead.model_validate(found)

    @get("/{pool_id:int}/memberships", sync_to_thread=True)
    def list_memberships(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        current_only: FromQuery[bool] = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[MembershipRead]:
        """Membership history; contributors see their own organisation's rows only."""
        return memberships.listing(
            db,
            principal=principal,
            pool_id=pool_id,
            current_only=current_only,
            limit=limit,
            offset=offset,
        )

    @post("/{pool_id:int}/memberships", sync_to_thread=True)
    def join_pool(
        self,
        pool_id: PathId,
        data: JSONBody[MembershipCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> MembershipRead:
        """Record a contributor's membership agreement (administrators only)."""
        membership = memberships.join(db, principal=principal, pool_id=pool_id, data=data, now=now)
        return MembershipRead.model_validate(membership)


class MembershipController(Controller):
    path = "/memberships"
    tags = ["pools"]

    @get("/{membership_id:int}", sync_to_thread=True)
    def get_membership(
        self,
        membership_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> MembershipRead:
        """One membership (staff, or the member organisation)."""
        membership = memberships.get(db, principal=principal, membership_id=membership_id)
        return MembershipRead.model_validate(membership)

    @get("/{membership_id:int}/bounds", sync_to_thread=True)
    def list_bounds(
        self,
        membership_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[BoundRead]:
        """The member's caps and floors with their dates, oldest first (staff, or the member
        itself): a share of each usage period's distributable money."""
        return member_bounds.listing(
            db, principal=principal, membership_id=membership_id, limit=limit, offset=offset
        )

    @post("/{membership_id:int}/bounds", sync_to_thread=True)
    def set_bound(
        self,
        membership_id: PathId,
        data: JSONBody[BoundCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> BoundRead:
        """A cap or floor from a date, or `share: null` to lift it (the administrator;
        audited). A floor above the cap, or floors above the whole, are refused (422)."""
        return member_bounds.set_bound(
            db, principal=principal, membership_id=membership_id, data=data, now=now
        )

    @post("/{membership_id:int}/withdraw", sync_to_thread=True, status_code=200)
    def withdraw(
        self,
        membership_id: PathId,
        data: JSONBody[MembershipWithdraw],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> MembershipRead:
        """End a membership on a date (the administrator or the member itself)."""
        membership = memberships.withdraw(
            db,
            principal=principal,
            membership_id=membership_id,
            withdrawn_on=data.withdrawn_on,
            now=now,
        )
        return MembershipRead.model_validate(membership)
