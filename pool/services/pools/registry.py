"""Pools: created and configured by administrators; readable by every signed-in user."""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

import allocation
from pool.auth import Principal
from pool.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from pool.models.pool import POOL_TRANSITIONS, Pool, PoolCreate, PoolRead, PoolUpdate
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate


def check_allocation(method: str, parameters: dict[str, Any]) -> None:
    """The formula is validated by allocation's own input types, so a pool can never hold one
    that a distribution run would later refuse."""
    try:
        allocation.validate_method(method, parameters)
    except allocation.InvalidInput as error:
        field = "allocation_parameters" + error.path.removeprefix("$")
        raise InvalidInput.field(field, error.message) from error


def _unique_name(session: Session, name: str, pool_id: int | None) -> None:
    clash = session.exec(select(Pool.id).where(Pool.name == name, Pool.id != pool_id)).first()
    if clash is not None:
        raise Conflict(Phrase("a pool named '%(name)s' already exists", name=name))


def create(session: Session, *, principal: Principal, data: PoolCreate, now: datetime) -> Pool:
    principal.require_admin()
    check_allocation(data.allocation_method, data.allocation_parameters)
    _unique_name(session, data.name, None)
    pool = Pool(
        **data.model_dump(exclude={"admin_fee_rate"}),
        admin_fee_rate=str(data.admin_fee_rate),
        created_at=now,
    )
    session.add(pool)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="pool.created",
        entity_type="pool",
        entity_id=pool.id,
        pool_id=pool.id,
        after=snapshot(pool),
        now=now,
    )
    return pool


def get(session: Session, *, pool_id: int) -> Pool:
    pool = session.get(Pool, pool_id)
    if pool is None:
        raise NotFound("pool not found")
    return pool


def update(
    session: Session, *, principal: Principal, pool_id: int, data: PoolUpdate, now: datetime
) -> Pool:
    """Currency is fixed at creation: changing it would re-denominate every amount."""
    principal.require_admin()
    pool = get(session, pool_id=pool_id)
    before = snapshot(pool)
    changes = data.model_dump(exclude_unset=True)
    new_status = changes.get("status", pool.status)
    if new_status != pool.status and new_status not in POOL_TRANSITIONS[pool.status]:
        raise IllegalTransition(
            Phrase(
                "a %(status)s pool cannot become %(new_status)s",
                status=pool.status,
                new_status=new_status,
            )
        )
    if "name" in changes:
        _unique_name(session, changes["name"], pool.id)
    for key, value in changes.items():
        setattr(pool, key, str(value) if key == "admin_fee_rate" else value)
    check_allocation(pool.allocation_method, pool.allocation_parameters)
    session.add(pool)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="pool.updated",
        entity_type="pool",
        entity_id=pool.id,
        pool_id=pool.id,
        before=before,
        after=snapshot(pool),
        now=now,
    )
    return pool


def listing(session: Session, *, status: str | None, limit: int, offset: int) -> Page[PoolRead]:
    query = select(Pool).order_by(col(Pool.id))
    if status:
        query = query.where(Pool.status == status)
    return paginate(session, query, limit=limit, offset=offset, convert=PoolRead.model_validate)
