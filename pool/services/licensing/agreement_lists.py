"""The administrator's list of licence agreements (issue 17): searched by licensee name,
filing number or agreement number, narrowed by state, pool and overdue filing, sorted by
licensee, start date or state, a page at a time or whole (CSV)."""

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

import contracts
from pool.auth import Principal
from pool.models.licensing import AgreementRead, LicenceAgreement
from pool.models.organisation import Organisation
from pool.models.pool import Pool
from pool.services.common.listing import ListQuery, is_id, run
from pool.services.common.pages import Page
from pool.services.licensing.agreements import FILING_MONTHS, to_read

SORTS: dict[str, list[Any]] = {
    "licensee": [func.lower(Organisation.name)],
    "start": [col(LicenceAgreement.start_on)],
    "state": [col(LicenceAgreement.state)],
    "signed": [col(LicenceAgreement.signed_on)],
}
DEFAULT_SORT = "licensee"


class AgreementRow(BaseModel):
    """An agreement with the names a list shows."""

    agreement: AgreementRead
    licensee: str
    pool: str


def last_overdue_signature(today: date) -> date:
    """The latest signature day whose filing is overdue `today` (`filing_overdue`'s rule:
    today is after the day three calendar months on, month ends clamped). The rule is
    monotone in the signature day, so every earlier day is overdue too."""
    day = contracts.add_months(today, -FILING_MONTHS) + timedelta(days=4)
    while not today > contracts.add_months(day, FILING_MONTHS):
        day -= timedelta(days=1)
    return day


def admin_listing(
    session: Session, *, principal: Principal, spec: ListQuery, now: datetime
) -> Page[AgreementRow]:
    """Every pool's agreements for staff (filters: `state`, `pool`, `year` signed,
    `overdue_filing=yes`, as the dashboard counts deals signed and overdue filings)."""
    principal.require_staff()
    query = (
        select(LicenceAgreement, Organisation.name, Pool.name)
        .join(Organisation, col(Organisation.id) == LicenceAgreement.licensee_organisation_id)
        .join(Pool, col(Pool.id) == LicenceAgreement.pool_id)
    )
    if state := spec.filter("state"):
        query = query.where(LicenceAgreement.state == state)
    if pool := spec.filter("pool"):
        query = query.where(LicenceAgreement.pool_id == int(pool))
    if year := spec.filter("year"):  # as the yearly figures count deals signed: no drafts
        start = date(int(year), 1, 1)
        query = query.where(
            LicenceAgreement.state != contracts.AgreementState.DRAFT,
            col(LicenceAgreement.signed_on) >= start,
            col(LicenceAgreement.signed_on) < start.replace(year=start.year + 1),
        )
    if spec.filter("overdue_filing") == "yes":
        query = query.where(
            LicenceAgreement.state == contracts.AgreementState.ACTIVE,
            col(LicenceAgreement.filing_number).is_(None),
            col(LicenceAgreement.signed_on) <= last_overdue_signature(now.date()),
        )
    number = spec.q.strip().removeprefix("#")
    exact = [col(LicenceAgreement.id) == int(number)] if is_id(number) else []
    # a select of several columns is a `Select` to SQLModel's types; `run` reads it the same
    return run(
        session, query, spec,  # type: ignore[arg-type]
        search=[Organisation.name, LicenceAgreement.filing_number], also=exact,
        sorts=SORTS, default=DEFAULT_SORT, tie_break=col(LicenceAgreement.id),
        convert=lambda row: AgreementRow(
            agreement=to_read(row[0], now), licensee=row[1], pool=row[2]
        ),
    )  # fmt: skip
