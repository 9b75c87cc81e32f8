"""Contributor organisations joining and leaving pools; every row is kept as history."""

from datetime import date, datetime

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import Conflict, InvalidInput, NotFound
from pool.models.membership import Membership, MembershipCreate, MembershipRead
from pool.models.organisation import Organisation
from pool.models.user import Role
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate


def join(
    session: Session, *, principal: Principal, pool_id: int, data: MembershipCreate, now: datetime
) -> Membership:
    """Administrators record a signed membership agreement; one open membership per pool."""
    principal.require_admin()
    pools.get(session, pool_id=pool_id)
    if session.get(Organisation, data.organisation_id) is None:
        raise InvalidInput.field("organisation_id", "no such organisation")
    if open_membership(session, pool_id=pool_id, organisation_id=data.organisation_id):
        raise Conflict("this organisation is already a member of the pool")
    membership = Membership(pool_id=pool_id, **data.model_dump(), created_at=now)
    session.add(membership)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="membership.joined",
        entity_type="membership",
        entity_id=membership.id,
        pool_id=pool_id,
        after=snapshot(membership),
        now=now,
    )
    return membership


def open_membership(session: Session, *, pool_id: int, organisation_id: int) -> Membership | None:
    return session.exec(
        select(Membership).where(
            Membership.pool_id == pool_id,
            Membership.organisation_id == organisation_id,
            col(Membership.withdrawn_on).is_(None),
        )
    ).first()


def get(session: Session, *, principal: Principal, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None or principal.role == Role.LICENSEE:
        raise NotFound("membership not found")
    principal.require_staff_or_org(membership.organisation_id, "membership")
    return membership


def withdraw(
    session: Session, *, principal: Principal, membership_id: int, withdrawn_on: date, now: datetime
) -> Membership:
    """The administrator or the member itself may withdraw, dated no earlier than joining."""
    membership = get(session, principal=principal, membership_id=membership_id)
    principal.require_role(Role.ADMIN, Role.CONTRIBUTOR)
    if membership.withdrawn_on is not None:
        raise Conflict("this membership has already ended")
    if withdrawn_on < membership.joined_on:
        raise InvalidInput.field("withdrawn_on", "must not be before joined_on")
    before = snapshot(membership)
    membership.withdrawn_on = withdrawn_on
    session.add(membership)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="membership.withdrawn",
        entity_type="membership",
        entity_id=membership.id,
        pool_id=membership.pool_id,
        before=before,
        after=snapshot(membership),
        now=now,
    )
    return membership


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    current_only: bool,
    limit: int,
    offset: int,
) -> Page[MembershipRead]:
    """Contributors see only their own organisation's memberships; licensees and evaluators see
    none."""
    pools.get(session, pool_id=pool_id)
    query = select(Membership).where(Membership.pool_id == pool_id).order_by(col(Membership.id))
    if principal.role in (Role.LICENSEE, Role.EVALUATOR):
        raise NotFound("pool memberships not found")
    if not principal.sees_everything:
        query = query.where(Membership.organisation_id == principal.organisation_id)
    if current_only:
        query = query.where(col(Membership.withdrawn_on).is_(None))
    return paginate(
        session, query, limit=limit, offset=offset, convert=MembershipRead.model_validate
    )
