"""Fapiao request data: what a licensee asks its fapiao (China's VAT invoice) to be issued to.

The licensee keeps its own (replaced whole, audited with before and after); administrators
and auditors read any organisation's; everyone else, including another licensee and any
contributor, is told there is none (404). The pool's invoices print it (`for_invoice`)."""

from datetime import datetime

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import Forbidden, NotFound
from pool.models.organisation import FapiaoDetails, FapiaoWrite, Organisation
from pool.models.user import Role
from pool.services import audit
from pool.services.audit.snapshot import snapshot

NONE_YET = "no fapiao details yet"


def _scoped(session: Session, principal: Principal, organisation_id: int) -> None:
    """Staff, or a licensee for its own organisation; anyone else finds nothing (404)."""
    own = principal.role == Role.LICENSEE and principal.organisation_id == organisation_id
    if not (principal.sees_everything or own):
        raise NotFound("organisation not found")
    if session.get(Organisation, organisation_id) is None:
        raise NotFound("organisation not found")


def get(session: Session, *, principal: Principal, organisation_id: int) -> FapiaoDetails:
    _scoped(session, principal, organisation_id)
    found = session.get(FapiaoDetails, organisation_id)
    if found is None:
        raise NotFound(NONE_YET)
    return found


def find(session: Session, *, principal: Principal, organisation_id: int) -> FapiaoDetails | None:
    """As `get`, with None while the organisation has given none."""
    _scoped(session, principal, organisation_id)
    return session.get(FapiaoDetails, organisation_id)


def put(
    session: Session,
    *,
    principal: Principal,
    organisation_id: int,
    data: FapiaoWrite,
    now: datetime,
) -> FapiaoDetails:
    """Only the licensee itself changes them (staff read them: 403)."""
    _scoped(session, principal, organisation_id)
    if principal.role != Role.LICENSEE:
        raise Forbidden("only the licensee itself may change its fapiao details")
    found = session.get(FapiaoDetails, organisation_id)
    before = snapshot(found)
    if found is None:
        found = FapiaoDetails(organisation_id=organisation_id, **data.model_dump(), updated_at=now)
    else:
        for key, value in data.model_dump().items():
            setattr(found, key, value)
        found.updated_at = now
    session.add(found)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="organisation.fapiao_set",
        entity_type="organisation",
        entity_id=organisation_id,
        before=before,
        after=snapshot(found),
        now=now,
    )
    return found


def for_invoice(session: Session, *, organisation_id: int) -> FapiaoDetails | None:
    """The buyer an invoice prints; the caller has scoped the invoice already."""
    return session.get(FapiaoDetails, organisation_id)
