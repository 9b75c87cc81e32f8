"""Organisations: who contributes, who licenses, and their tax profile."""

import re
from datetime import datetime

from sqlmodel import Session, col, func, or_, select

from pool.auth import Principal
from pool.errors import Conflict, InvalidInput, NotFound
from pool.models.organisation import (
    ENTERPRISE_KINDS,
    Organisation,
    OrganisationCreate,
    OrganisationKind,
    OrganisationRead,
    OrganisationUpdate,
)
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate


def check_profile(org: Organisation) -> None:
    """Chinese organisations (not individuals) need a credit code; only enterprises have a size."""
    if org.country == "CN" and org.kind != OrganisationKind.INDIVIDUAL and not org.uscc:
        raise InvalidInput.field(
            "uscc", "a Chinese organisation needs its unified social credit code"
        )
    if org.uscc and org.country != "CN":
        raise InvalidInput.field(
            "uscc", "only Chinese organisations have a unified social credit code"
        )
    if org.size_class is not None and org.kind not in ENTERPRISE_KINDS:
        raise InvalidInput.field("size_class", "only enterprises have a size class")


def _unique_uscc(session: Session, org: Organisation) -> None:
    if org.uscc is None:
        return
    clash = session.exec(
        select(Organisation.id).where(Organisation.uscc == org.uscc, Organisation.id != org.id)
    ).first()
    if clash is not None:
        raise Conflict(
            Phrase("an organisation with credit code %(uscc)s already exists", uscc=org.uscc)
        )


def create(
    session: Session, *, data: OrganisationCreate, actor: audit.Actor, now: datetime
) -> Organisation:
    org = Organisation(
        **data.model_dump(exclude={"withholding_rate"}),
        withholding_rate=str(data.withholding_rate),
        created_at=now,
    )
    check_profile(org)
    _unique_uscc(session, org)
    session.add(org)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="organisation.created",
        entity_type="organisation",
        entity_id=org.id,
        after=snapshot(org),
        now=now,
    )
    return org


def get(session: Session, *, principal: Principal, organisation_id: int) -> Organisation:
    """Anyone reads their own organisation; staff read all; others' ids are 404."""
    principal.require_staff_or_org(organisation_id, "organisation")
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("organisation not found")
    return org


def update(
    session: Session,
    *,
    principal: Principal,
    organisation_id: int,
    data: OrganisationUpdate,
    now: datetime,
) -> Organisation:
    org = get(session, principal=principal, organisation_id=organisation_id)
    principal.require_admin()
    before = snapshot(org)
    for key, value in data.model_dump(exclude_unset=True).items():
        setattr(org, key, str(value) if key == "withholding_rate" else value)
    check_profile(org)
    _unique_uscc(session, org)
    session.add(org)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="organisation.updated",
        entity_type="organisation",
        entity_id=org.id,
        before=before,
        after=snapshot(org),
        now=now,
    )
    return org


def listing(
    session: Session,
    *,
    principal: Principal,
    kind: str | None,
    country: str | None,
    limit: int,
    offset: int,
) -> Page[OrganisationRead]:
    query = select(Organisation).order_by(col(Organisation.id))
    if not principal.sees_everything:
        query = query.where(Organisation.id == principal.organisation_id)
    if kind:
        query = query.where(Organisation.kind == kind)
    if country:
        query = query.where(Organisation.country == country.upper())
    return paginate(
        session, query, limit=limit, offset=offset, convert=OrganisationRead.model_validate
    )


def search(
    session: Session, *, principal: Principal, text: str, kind: str | None, limit: int
) -> list[Organisation]:
    """Staff only: organisations whose name contains `text` (any case), or whose id it is,
    by name; what a type-ahead offers."""
    principal.require_staff()
    query = select(Organisation).order_by(col(Organisation.name), col(Organisation.id))
    wanted = text.strip()
    if wanted:
        named = col(Organisation.name).icontains(wanted, autoescape=True)
        by_id = wanted.isdecimal() and len(wanted) < 18
        query = query.where(or_(named, col(Organisation.id) == int(wanted)) if by_id else named)
    if kind:
        query = query.where(Organisation.kind == kind)
    return list(session.exec(query.limit(limit)).all())


PICKED = re.compile(r"\(#(\d{1,18})\)\s*$")  # "Name (#12)": what the type-ahead fills in


def one(
    session: Session, *, principal: Principal, text: str, field: str
) -> tuple[int, list[tuple[int, str]]]:
    """The one organisation `text` names (staff): "Name (#id)" from a suggestion, else a name
    matched in any case. (its id, []) for one match; (0, the first matches) for several, to
    choose from; none is a fault on `field`."""
    wanted = text.strip()
    if not wanted:
        raise InvalidInput.field(field, "this field is required")
    picked = PICKED.search(wanted)
    if picked:
        found = session.get(Organisation, int(picked.group(1)))
        if found is not None and found.id is not None:
            return found.id, []
    matches = search(session, principal=principal, text=wanted, kind=None, limit=21)
    exact = [o for o in matches if o.name.casefold() == wanted.casefold()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0].id or 0, []
    if not matches:
        raise InvalidInput.field(field, "no organisation has this name")
    return 0, [(o.id or 0, o.name) for o in matches[:20]]


def named_exactly(session: Session, *, text: str, field: str) -> list[tuple[int, str]]:
    """The organisations named exactly `text` (any case, spaces folded), as (id, name): what
    someone who may not search the organisations (a contributor naming a counterparty) can
    choose from, since it tells them nothing but that the name they typed exists. None is a
    fault on `field`."""
    wanted = " ".join(text.split())
    if not wanted:
        raise InvalidInput.field(field, "this field is required")
    query = select(Organisation.id, Organisation.name).where(
        func.lower(Organisation.name) == wanted.lower()
    )
    found = [(int(i or 0), name) for i, name in session.exec(query.order_by(col(Organisation.id)))]
    if not found:
        raise InvalidInput.field(field, "no organisation has this name")
    return found[:20]
