"""Patent onboarding, evaluation and the intervals in which a patent counts for the pool."""

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from pool.auth import Principal
from pool.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from pool.models.membership import Membership
from pool.models.organisation import Organisation
from pool.models.patent import (
    PATENT_TRANSITIONS,
    InclusionRead,
    Patent,
    PatentCreate,
    PatentFilters,
    PatentInclusion,
    PatentRead,
    PatentStatus,
    PatentUpdate,
    PublicPatent,
)
from pool.models.pool import Pool, PoolStatus
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit, pools
from pool.services.audit.snapshot import snapshot
from pool.services.common.pages import Page, paginate
from pool.services.patents.rules import check_date_order, resolve_number


def _owner_for_submission(principal: Principal, data: PatentCreate) -> int:
    if principal.role == Role.CONTRIBUTOR:
        if data.owner_organisation_id not in (None, principal.organisation_id):
            raise InvalidInput.field(
                "owner_organisation_id", "contributors submit their own patents"
            )
        return principal.organisation_id or 0
    principal.require_admin()
    if data.owner_organisation_id is None:
        raise InvalidInput.field("owner_organisation_id", "name the owning organisation")
    return data.owner_organisation_id


def require_member(session: Session, *, pool_id: int, organisation_id: int, field: str) -> None:
    member = session.exec(
        select(Membership.id).where(
            Membership.pool_id == pool_id,
            Membership.organisation_id == organisation_id,
            col(Membership.withdrawn_on).is_(None),
        )
    ).first()
    if member is None:
        raise InvalidInput.field(field, "the owner is not a current member of this pool")


def open_pool(session: Session, pool_id: int) -> Pool:
    pool = pools.get(session, pool_id=pool_id)
    if pool.status == PoolStatus.CLOSED:
        raise Conflict("this pool is closed to new patents")
    return pool


def submit(
    session: Session, *, principal: Principal, pool_id: int, data: PatentCreate, now: datetime
) -> Patent:
    owner_id = _owner_for_submission(principal, data)
    open_pool(session, pool_id)
    require_member(
        session, pool_id=pool_id, organisation_id=owner_id, field="owner_organisation_id"
    )
    resolved = resolve_number(data.number, data.country)
    check_date_order(data.filing_date, data.grant_date, data.expiry_date)
    if session.exec(
        select(Patent.number).where(
            Patent.pool_id == pool_id,
            Patent.number_key == resolved.key,
            Patent.country == resolved.country,
        )
    ).first():
        raise Conflict(
            Phrase("patent %(canonical)s is already in this pool", canonical=resolved.canonical)
        )
    patent = Patent(
        pool_id=pool_id,
        owner_organisation_id=owner_id,
        number=resolved.canonical,
        number_key=resolved.key,
        jurisdiction=resolved.jurisdiction,
        country=resolved.country,
        family_id=data.family_id,
        title=data.title,
        filing_date=data.filing_date,
        grant_date=data.grant_date,
        expiry_date=data.expiry_date,
        standard_sections=data.standard_sections,
        submitted_at=now,
        updated_at=now,
    )
    session.add(patent)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="patent.submitted",
        entity_type="patent",
        entity_id=patent.id,
        pool_id=pool_id,
        after=snapshot(patent),
        now=now,
    )
    return patent


def get(session: Session, *, principal: Principal, patent_id: int) -> Patent:
    """Licensees see pool patents only through the public list; contributors only their own."""
    patent = session.get(Patent, patent_id)
    if patent is None or principal.role in (Role.LICENSEE, Role.EVALUATOR):
        raise NotFound("patent not found")  # evaluators: `evaluation_access`, assigned only
    principal.require_staff_or_org(patent.owner_organisation_id, "patent")
    return patent


def move(patent: Patent, to: PatentStatus) -> None:
    if to not in PATENT_TRANSITIONS[patent.status]:
        raise IllegalTransition(
            Phrase("a %(status)s patent cannot become %(to)s", status=patent.status, to=to)
        )
    patent.status = to


def save_change(
    session: Session,
    patent: Patent,
    *,
    principal: Principal,
    action: str,
    before: dict[str, object] | None,
    now: datetime,
) -> Patent:
    patent.updated_at = now
    session.add(patent)
    session.flush()
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action=action,
        entity_type="patent",
        entity_id=patent.id,
        pool_id=patent.pool_id,
        before=before,
        after=snapshot(patent),
        now=now,
    )
    return patent


def update(
    session: Session, *, principal: Principal, patent_id: int, data: PatentUpdate, now: datetime
) -> Patent:
    """Bibliographic corrections are allowed until the evaluation decides."""
    patent = get(session, principal=principal, patent_id=patent_id)
    principal.require_role(Role.ADMIN, Role.CONTRIBUTOR)
    if patent.status not in (PatentStatus.SUBMITTED, PatentStatus.UNDER_EVALUATION):
        raise IllegalTransition(
            Phrase("a %(status)s patent can no longer be edited", status=patent.status)
        )
    before = snapshot(patent)
    for key, value in data.model_dump(exclude_unset=True).items():
        setattr(patent, key, value)
    check_date_order(patent.filing_date, patent.grant_date, patent.expiry_date)
    return save_change(
        session, patent, principal=principal, action="patent.updated", before=before, now=now
    )


def in_force_on(pool_id: int, on: date):  # type: ignore[no-untyped-def]
    """Query for the public list: inclusion intervals of the pool covering `on`."""
    return (
        select(Patent, PatentInclusion, Organisation.name)
        .join(PatentInclusion, col(PatentInclusion.patent_id) == Patent.id)
        .join(Organisation, col(Organisation.id) == Patent.owner_organisation_id)
        .where(
            Patent.pool_id == pool_id,
            col(PatentInclusion.start_on) <= on,
            or_(col(PatentInclusion.end_on).is_(None), col(PatentInclusion.end_on) > on),
        )
        .order_by(col(Patent.country), col(Patent.number))
    )


def in_force_patents(session: Session, *, pool_id: int, on: date) -> list[Patent]:
    """The pool's patents in force on `on`, once each (a patent may have several inclusion
    intervals), in country and number order: what a licensee may link a product to."""
    rows = session.exec(in_force_on(pool_id, on)).all()
    return list({patent.id: patent for patent, _, _ in rows}.values())


def public_row(row: tuple[Patent, PatentInclusion, str]) -> PublicPatent:
    patent, inclusion, owner = row
    return PublicPatent(
        number=patent.number,
        country=patent.country,
        title=patent.title,
        owner=owner,
        standard_sections=patent.standard_sections,
        in_pool_since=inclusion.start_on,
        expiry_date=patent.expiry_date,
    )


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    filters: PatentFilters,
    limit: int,
    offset: int,
) -> Page[PatentRead]:
    """Contributors list their own organisation's patents; licensees use the public list."""
    pools.get(session, pool_id=pool_id)
    if principal.role in (Role.LICENSEE, Role.EVALUATOR):
        raise NotFound("pool patents not found")
    query = select(Patent).where(Patent.pool_id == pool_id).order_by(col(Patent.id))
    if not principal.sees_everything:
        query = query.where(Patent.owner_organisation_id == principal.organisation_id)
    for field in ("status", "country", "grade", "tier", "owner_organisation_id", "family_id"):
        value = getattr(filters, field)
        if value is not None:
            query = query.where(getattr(Patent, field) == value)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(
            or_(func.lower(Patent.title).like(like), func.lower(Patent.number).like(like))
        )
    return paginate(session, query, limit=limit, offset=offset, convert=PatentRead.model_validate)


def inclusions(
    session: Session, *, principal: Principal, patent_id: int, limit: int, offset: int
) -> Page[InclusionRead]:
    """A patent's intervals, earliest first, one page counted by the database (the id breaks
    ties so that pages neither repeat nor skip an interval)."""
    patent = get(session, principal=principal, patent_id=patent_id)
    query = select(PatentInclusion).where(PatentInclusion.patent_id == patent.id)
    ordered = query.order_by(col(PatentInclusion.start_on), col(PatentInclusion.id))
    return paginate(
        session, ordered, limit=limit, offset=offset, convert=InclusionRead.model_validate
    )
