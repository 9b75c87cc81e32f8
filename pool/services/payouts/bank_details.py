"""Contributors' bank details: the contributor keeps its own (replaced whole, audited with
before and after); administrators and auditors read any contributor's; anyone else finds
none (404)."""

from datetime import datetime

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import Forbidden, InvalidInput, NotFound
from pool.models.organisation import Organisation
from pool.models.payout import BankDetailsWrite, ContributorBankDetails
from pool.models.user import Role
from pool.services import audit
from pool.services.audit.snapshot import snapshot

NONE_YET = "no bank details yet"
NEEDED_MESSAGE = "required for this kind of account"


def _scoped(session: Session, principal: Principal, organisation_id: int) -> None:
    own = principal.role == Role.CONTRIBUTOR and principal.organisation_id == organisation_id
    if not (principal.sees_everything or own):
        raise NotFound("organisation not found")
    if session.get(Organisation, organisation_id) is None:
        raise NotFound("organisation not found")


def get(session: Session, *, principal: Principal, organisation_id: int) -> ContributorBankDetails:
    found = find(session, principal=principal, organisation_id=organisation_id)
    if found is None:
        raise NotFound(NONE_YET)
    return found


def find(
    session: Session, *, principal: Principal, organisation_id: int
) -> ContributorBankDetails | None:
    _scoped(session, principal, organisation_id)
    return session.get(ContributorBankDetails, organisation_id)


def put(
    session: Session,
    *,
    principal: Principal,
    organisation_id: int,
    data: BankDetailsWrite,
    now: datetime,
) -> ContributorBankDetails:
    """Only the contributor itself changes them (staff read them: 403)."""
    _scoped(session, principal, organisation_id)
    if principal.role != Role.CONTRIBUTOR:
        raise Forbidden("only the contributor itself may change its bank details")
    missing = data.missing()
    if missing is not None:
        raise InvalidInput.field(missing, NEEDED_MESSAGE)
    found = session.get(ContributorBankDetails, organisation_id)
    before = snapshot(found)
    if found is None:
        found = ContributorBankDetails(
            organisation_id=organisation_id, **data.stored(), updated_at=now
        )
    else:
        for key, value in data.stored().items():
            setattr(found, key, value)
        found.updated_at = now
    session.add(found)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="organisation.bank_details_set",
        entity_type="organisation",
        entity_id=organisation_id,
        before=before,
        after=snapshot(found),
        now=now,
    )
    return found
