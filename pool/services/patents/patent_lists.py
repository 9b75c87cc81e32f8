"""The administrator's list of patents (issue 17), the onboarding queue included: searched by
number, title or owner, narrowed by status (`waiting`: submitted or under evaluation), pool,
standard section and owner, sorted, a page at a time or whole (CSV)."""

from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.organisation import Organisation
from pool.models.patent import Patent, PatentRead, PatentStatus
from pool.models.pool import Pool
from pool.services.common.listing import ListQuery, holds_text, run
from pool.services.common.pages import Page

WAITING = "waiting"
WAITING_STATES = (PatentStatus.SUBMITTED, PatentStatus.UNDER_EVALUATION)
SORTS: dict[str, list[Any]] = {
    "submitted": [col(Patent.submitted_at)],
    "number": [col(Patent.number)],
    "title": [func.lower(Patent.title)],
    "owner": [func.lower(Organisation.name)],
    "status": [col(Patent.status)],
    "expiry": [col(Patent.expiry_date)],
}
DEFAULT_SORT = "submitted"  # the queue: oldest first


class PatentRow(BaseModel):
    """A patent with the names a list shows."""

    patent: PatentRead
    owner: str
    pool: str


def admin_listing(session: Session, *, principal: Principal, spec: ListQuery) -> Page[PatentRow]:
    """Every pool's patents for staff (filters: `status`, `pool`, `section`, `owner`)."""
    principal.require_staff()
    query = (
        select(Patent, Organisation.name, Pool.name)
        .join(Organisation, col(Organisation.id) == Patent.owner_organisation_id)
        .join(Pool, col(Pool.id) == Patent.pool_id)
    )
    status = spec.filter("status")
    if status == WAITING:
        query = query.where(col(Patent.status).in_(WAITING_STATES))
    elif status:
        query = query.where(Patent.status == status)
    if pool := spec.filter("pool"):
        query = query.where(Patent.pool_id == int(pool))
    if owner := spec.filter("owner"):
        query = query.where(Patent.owner_organisation_id == int(owner))
    if section := spec.filter("section"):
        query = query.where(holds_text(Patent.standard_sections, section))
    # a select of several columns is a `Select` to SQLModel's types; `run` reads it the same
    return run(
        session, query, spec,  # type: ignore[arg-type]
        search=[Patent.number, Patent.number_key, Patent.title, Organisation.name],
        sorts=SORTS, default=DEFAULT_SORT, tie_break=col(Patent.id),
        convert=lambda row: PatentRow(
            patent=PatentRead.model_validate(row[0]), owner=row[1], pool=row[2]
        ),
    )  # fmt: skip


def owners(session: Session, *, principal: Principal) -> list[tuple[int, str]]:
    """The organisations that own a patent in any pool, by name (the owner filter's choices)."""
    principal.require_staff()
    rows = session.exec(
        select(Organisation.id, Organisation.name)
        .where(col(Organisation.id).in_(select(Patent.owner_organisation_id).distinct()))
        .order_by(func.lower(Organisation.name), col(Organisation.id))
    ).all()
    return [(org_id or 0, name) for org_id, name in rows]


class InForceCounts(BaseModel):
    """A pool's accepted patents counted by grade and by country (grade "" when none)."""

    total: int
    by_grade: dict[str, int]
    by_country: dict[str, int]


def in_force_counts(session: Session, *, principal: Principal, pool_id: int) -> InForceCounts:
    """Counted in the database (two GROUP BYs): the dashboard read every accepted patent,
    15,000 at ten times the demo, to count them."""
    principal.require_staff()
    accepted = (Patent.pool_id == pool_id, Patent.status == PatentStatus.ACCEPTED)
    grades = session.exec(
        select(Patent.grade, func.count()).where(*accepted).group_by(col(Patent.grade))
    ).all()
    countries = session.exec(
        select(Patent.country, func.count()).where(*accepted).group_by(col(Patent.country))
    ).all()
    by_grade = {grade or "": int(n) for grade, n in grades}
    return InForceCounts(
        total=sum(by_grade.values()),
        by_grade=by_grade,
        by_country={country: int(n) for country, n in countries},
    )
