"""The pool's payee: the bank account licensees pay into, printed on every invoice.

Administrators set it (replaced whole, audited with before and after) and staff read it; a
licensee reads it only on its own invoices (`for_invoice`, called once the invoice is known to
be the caller's), so no route hands a pool's bank details to anyone else."""

from datetime import datetime

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.pool import PayeeWrite, PoolPayee
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.pools.registry import get as get_pool


def get(session: Session, *, principal: Principal, pool_id: int) -> PoolPayee:
    """Staff only (others: 404); 404 too while the pool has none."""
    principal.require_staff()
    get_pool(session, pool_id=pool_id)
    payee = session.get(PoolPayee, pool_id)
    if payee is None:
        raise NotFound("the pool has no payee details yet")
    return payee


def put(
    session: Session, *, principal: Principal, pool_id: int, data: PayeeWrite, now: datetime
) -> PoolPayee:
    """Set or replace the payee (administrators only)."""
    principal.require_admin()
    get_pool(session, pool_id=pool_id)
    payee = session.get(PoolPayee, pool_id)
    before = snapshot(payee)
    if payee is None:
        payee = PoolPayee(pool_id=pool_id, **data.model_dump(), updated_at=now)
    else:
        for key, value in data.model_dump().items():
            setattr(payee, key, value)
        payee.updated_at = now
    session.add(payee)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="pool.payee_set",
        entity_type="pool",
        entity_id=pool_id,
        pool_id=pool_id,
        before=before,
        after=snapshot(payee),
        now=now,
    )
    return payee


def for_invoice(session: Session, *, pool_id: int) -> PoolPayee | None:
    """The payee an invoice of the pool prints; the caller has scoped the invoice already."""
    return session.get(PoolPayee, pool_id)
