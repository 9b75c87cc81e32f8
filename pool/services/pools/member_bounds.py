"""Contributors' caps and floors: a share of each usage period's distributable money, dated.

The administrator sets them (audited); staff and the member itself read them. What can be
told when a bound is set is refused then (422): a floor above the member's cap, or floors of
the pool's members that add up to more than the whole. What only a period's money can tell
(caps that cannot absorb it all) fails that period's close (409, pool/services/distribution).
A run uses, for each usage period, the bounds in force on the period's first day."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.membership import BoundCreate, BoundKind, BoundRead, Membership, MembershipBound
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page
from pool.services.pools import memberships

FLOOR_ABOVE_CAP = "the floor would be above the member's cap on %(day)s"
FLOORS_ABOVE_WHOLE = "the members' floors would add up to more than the whole on %(day)s"


@dataclass(frozen=True)
class Bound:
    """One member's bounds on a day (None: no bound of that kind)."""

    cap: Decimal | None
    floor: Decimal | None


def _rows(session: Session, membership_ids: list[int]) -> list[MembershipBound]:
    if not membership_ids:
        return []
    return list(
        session.exec(
            select(MembershipBound)
            .where(col(MembershipBound.membership_id).in_(membership_ids))
            .order_by(col(MembershipBound.effective_from), col(MembershipBound.id))
        ).all()
    )


def _on(rows: list[MembershipBound], day: date) -> dict[int, Bound]:
    """Each member's bounds in force on `day`: the latest row of each kind from that day."""
    found: dict[int, dict[str, Decimal | None]] = {}
    for row in rows:
        if row.effective_from <= day:
            share = None if row.share is None else Decimal(row.share)
            found.setdefault(row.membership_id, {})[row.kind] = share
    return {
        member: Bound(kinds.get(BoundKind.CAP), kinds.get(BoundKind.FLOOR))
        for member, kinds in found.items()
    }


def in_force(session: Session, *, pool_id: int, on: date) -> dict[int, Bound]:
    """The bounds in force on `on`, by organisation id, for members of the pool that day."""
    members = session.exec(
        select(Membership).where(Membership.pool_id == pool_id, col(Membership.joined_on) <= on)
    ).all()
    current = {
        m.id or 0: m.organisation_id
        for m in members
        if m.withdrawn_on is None or m.withdrawn_on > on
    }
    bounds = _on(_rows(session, list(current)), on)
    return {current[m]: b for m, b in bounds.items() if b.cap is not None or b.floor is not None}


def listing(
    session: Session, *, principal: Principal, membership_id: int, limit: int, offset: int
) -> Page[BoundRead]:
    """A membership's bounds, oldest first (staff, or the member itself)."""
    memberships.get(session, principal=principal, membership_id=membership_id)
    rows = _rows(session, [membership_id])
    items = [_read(row) for row in rows[offset : offset + limit]]
    return Page(items=items, total=len(rows), limit=limit, offset=offset)


def set_bound(
    session: Session, *, principal: Principal, membership_id: int, data: BoundCreate, now: datetime
) -> BoundRead:
    """A new cap or floor from a date (the administrator; audited)."""
    membership = memberships.get(session, principal=principal, membership_id=membership_id)
    principal.require_admin()
    row = MembershipBound(
        membership_id=membership_id,
        kind=data.kind,
        share=None if data.share is None else str(data.share.normalize()),
        effective_from=data.effective_from,
        recorded_by_user_id=principal.user_id,
        created_at=now,
    )
    _refuse_impossible(session, membership, row)
    session.add(row)
    session.flush()
    audit.record(
        session, actor=audit.Actor.of(principal), action=f"membership.{data.kind}_set",
        entity_type="membership", entity_id=membership_id, pool_id=membership.pool_id,
        after=snapshot(row), now=now,
    )  # fmt: skip
    return _read(row)


def _refuse_impossible(session: Session, membership: Membership, new: MembershipBound) -> None:
    """Check the new row against every day its bounds would hold: its own date and the dates
    of later rows of the pool's members."""
    pool_members = session.exec(
        select(Membership.id).where(Membership.pool_id == membership.pool_id)
    ).all()
    rows = [*_rows(session, [m for m in pool_members if m is not None]), new]
    days = sorted({r.effective_from for r in rows if r.effective_from >= new.effective_from})
    for day in days:
        bounds = _on(sorted(rows, key=lambda r: r.effective_from), day)
        own = bounds.get(membership.id or 0)
        if own and own.cap is not None and own.floor is not None and own.floor > own.cap:
            raise InvalidInput.field(
                "share",
                Phrase(FLOOR_ABOVE_CAP, day=day),
            )
        if sum((b.floor or Decimal(0)) for b in bounds.values()) > 1:
            raise InvalidInput.field(
                "share",
                Phrase(FLOORS_ABOVE_WHOLE, day=day),
            )


def _read(row: MembershipBound) -> BoundRead:
    return BoundRead(
        id=row.id or 0,
        membership_id=row.membership_id,
        kind=BoundKind(row.kind),
        share=None if row.share is None else Decimal(row.share),
        effective_from=row.effective_from,
        created_at=row.created_at,
    )
