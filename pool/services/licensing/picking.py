"""Finding a pool's licensees by a few letters of their name: what the administrator's
type-ahead offers (recording a payment) and how a typed name is read back to one licensee.
Staff only, like every list of all licensees; at most `limit` answers, so a pool of 2,000
licensees never fills a page."""

import re

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.licensing import LicenceAgreement
from pool.models.organisation import Organisation

PICKED = re.compile(r"\(#(\d{1,18})\)\s*$")  # "Name (#12)": what the type-ahead fills in


def label(organisation_id: int, name: str) -> str:
    """The text a suggestion fills in, read back exactly by `one_licensee`."""
    return f"{name} (#{organisation_id})"


def licensees(
    session: Session, *, principal: Principal, pool_id: int, text: str, limit: int
) -> list[tuple[int, str]]:
    """The pool's licensees (an agreement in any state) whose name contains `text` (any case)
    or whose id it is, as (id, name) by name."""
    principal.require_staff()
    holders = select(LicenceAgreement.licensee_organisation_id).where(
        LicenceAgreement.pool_id == pool_id
    )
    query = select(Organisation.id, Organisation.name).where(col(Organisation.id).in_(holders))
    wanted = text.strip()
    picked = PICKED.search(wanted)
    if picked:
        query = query.where(Organisation.id == int(picked.group(1)))
    elif wanted:
        query = query.where(col(Organisation.name).icontains(wanted, autoescape=True))
    query = query.order_by(col(Organisation.name), col(Organisation.id)).limit(limit)
    return [(int(org_id or 0), name) for org_id, name in session.exec(query).all()]


def one_licensee(
    session: Session, *, principal: Principal, pool_id: int, text: str, field: str
) -> tuple[int, list[tuple[int, str]]]:
    """The one licensee of the pool `text` names: (its id, []) when exactly one matches,
    else (0, the first matches) with the choice to make as an error on `field`."""
    if not text.strip():
        raise InvalidInput.field(field, "this field is required")
    found = licensees(session, principal=principal, pool_id=pool_id, text=text, limit=21)
    if len(found) == 1:
        return found[0][0], []
    if not found:
        raise InvalidInput.field(field, "no licensee of this pool has this name")
    return 0, found[:20]
