"""Patent onboarding, evaluation and the intervals in which a patent counts for the pool."""

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from pool.auth import Principal
from pool.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from pool.models.membership import Membership
from pool.models.organisation import Organisation
from pool.models.patent import (
    END_STATES,
    PATENT_TRANSITIONS,
    Patent,
    PatentAccept,
    PatentCreate,
    PatentEnd,
    PatentFilters,
    PatentInclusion,
    PatentRead,
    PatentReject,
    PatentStatus,
    PatentUpdate,
    PublicPatent,
)
from pool.models.pool import AllocationMethod, Pool, PoolStatus
from pool.models.user import Role
from pool.services import audit, pools
from pool.services.pages import Page, paginate
from pool.services.patent_rules import check_date_order, resolve_number
from pool.services.snapshot import snapshot


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
        raise Conflict(f"patent {resolved.canonical} is already in this pool")
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
    if patent is None or principal.role == Role.LICENSEE:
        raise NotFound("patent not found")
    principal.require_staff_or_org(patent.owner_organisation_id, "patent")
    return patent


def _move(patent: Patent, to: PatentStatus) -> None:
    if to not in PATENT_TRANSITIONS[patent.status]:
        raise IllegalTransition(f"a {patent.status} patent cannot become {to}")
    patent.status = to


def _save(
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
        raise IllegalTransition(f"a {patent.status} patent can no longer be edited")
    before = snapshot(patent)
    for key, value in data.model_dump(exclude_unset=True).items():
        setattr(patent, key, value)
    check_date_order(patent.filing_date, patent.grant_date, patent.expiry_date)
    return _save(
        session, patent, principal=principal, action="patent.updated", before=before, now=now
    )


def start_evaluation(
    session: Session, *, principal: Principal, patent_id: int, now: datetime
) -> Patent:
    patent = get(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    before = snapshot(patent)
    _move(patent, PatentStatus.UNDER_EVALUATION)
    patent.evaluator_user_id = principal.user_id
    return _save(
        session,
        patent,
        principal=principal,
        action="patent.evaluation_started",
        before=before,
        now=now,
    )


def _check_grading(pool: Pool, data: PatentAccept) -> None:
    if pool.allocation_method == AllocationMethod.GRADE_WEIGHTED and data.grade is None:
        raise InvalidInput.field("grade", "this pool weights patents by grade: give one")
    if pool.allocation_method == AllocationMethod.TIERED and data.tier is None:
        raise InvalidInput.field("tier", "this pool splits money by tier: give one")


def accept(
    session: Session, *, principal: Principal, patent_id: int, data: PatentAccept, now: datetime
) -> Patent:
    """Accepting admits the patent on `admitted_on`; it counts from the later of grant and
    admission until its expiry (or an earlier end recorded later)."""
    patent = get(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    _check_grading(pools.get(session, pool_id=patent.pool_id), data)
    if patent.grant_date is None:
        raise InvalidInput.field("grant_date", "only granted patents can be admitted")
    start = max(patent.grant_date, data.admitted_on)
    if patent.expiry_date is not None and patent.expiry_date <= start:
        raise InvalidInput.field("admitted_on", "the patent expires before it would be admitted")
    before = snapshot(patent)
    _move(patent, PatentStatus.ACCEPTED)
    patent.essential, patent.grade, patent.tier = True, data.grade, data.tier
    patent.evaluation_notes, patent.evaluated_on = data.notes, now.date()
    patent.evaluator_user_id, patent.admitted_on = principal.user_id, data.admitted_on
    session.add(
        PatentInclusion(
            patent_id=patent.id or 0,
            pool_id=patent.pool_id,
            country=patent.country,
            start_on=start,
            end_on=patent.expiry_date,
        )
    )
    return _save(
        session, patent, principal=principal, action="patent.accepted", before=before, now=now
    )


def reject(
    session: Session, *, principal: Principal, patent_id: int, data: PatentReject, now: datetime
) -> Patent:
    patent = get(session, principal=principal, patent_id=patent_id)
    principal.require_admin()
    before = snapshot(patent)
    _move(patent, PatentStatus.REJECTED)
    patent.essential, patent.evaluation_notes = data.essential, data.reason
    patent.evaluated_on, patent.evaluator_user_id = now.date(), principal.user_id
    return _save(
        session, patent, principal=principal, action="patent.rejected", before=before, now=now
    )


def end(
    session: Session, *, principal: Principal, patent_id: int, data: PatentEnd, now: datetime
) -> Patent:
    """Expiry, lapse, invalidation or withdrawal, dated; the inclusion interval ends with it.
    Owners may withdraw their own patents; every other end is the administrator's."""
    patent = get(session, principal=principal, patent_id=patent_id)
    if not (
        principal.role == Role.ADMIN
        or (principal.role == Role.CONTRIBUTOR and data.status == PatentStatus.WITHDRAWN)
    ):
        raise Forbidden("only the administrator records expiry, lapse or invalidation")
    if data.status not in END_STATES:
        raise InvalidInput.field("status", f"one of {', '.join(sorted(END_STATES))}")
    if patent.admitted_on is not None and data.on < patent.admitted_on:
        raise InvalidInput.field("on", "must not be before the patent was admitted")
    before = snapshot(patent)
    _move(patent, data.status)
    patent.ended_on = data.on
    if data.reason:
        patent.evaluation_notes = (
            (patent.evaluation_notes or "") + f"\n{data.status}: {data.reason}"
        ).strip()
    close_inclusions(session, patent_id=patent.id or 0, on=data.on)
    return _save(
        session, patent, principal=principal, action=f"patent.{data.status}", before=before, now=now
    )


def close_inclusions(session: Session, *, patent_id: int, on: date) -> None:
    for inclusion in session.exec(
        select(PatentInclusion).where(PatentInclusion.patent_id == patent_id)
    ):
        if inclusion.end_on is None or inclusion.end_on > on:
            inclusion.end_on = max(on, inclusion.start_on)
            session.add(inclusion)


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
    if principal.role == Role.LICENSEE:
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


def inclusions(session: Session, *, principal: Principal, patent_id: int) -> list[PatentInclusion]:
    patent = get(session, principal=principal, patent_id=patent_id)
    query = select(PatentInclusion).where(PatentInclusion.patent_id == patent.id)
    return list(session.exec(query.order_by(col(PatentInclusion.start_on))).all())
