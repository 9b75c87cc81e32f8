"""A statement's per-patent lines (the run's lines split over the contributor's patents,
pool.services.distribution.patent_lines): for the API (a page) and the portal, scoped like
the statement (its contributor, administrators and auditors; anyone else 404), and for the
documents."""

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.distribution import RunPatentLine, RunPatentLineRead
from pool.models.patent import Patent
from pool.services.common.pages import Page, paginate
from pool.services.statements.reading import get


def page_for_statement(
    session: Session, *, principal: Principal, statement_id: int, limit: int, offset: int
) -> Page[RunPatentLineRead]:
    """One page of the statement's patent lines, by usage period, country and patent id."""
    statement = get(session, principal=principal, statement_id=statement_id)
    query = _query(statement.run_id, [statement.contributor_organisation_id])
    return paginate(session, query, limit=limit, offset=offset, convert=_read)


def for_statement(
    session: Session, *, principal: Principal, statement_id: int
) -> list[RunPatentLineRead]:
    """All of the statement's patent lines (the portal's statement page)."""
    statement = get(session, principal=principal, statement_id=statement_id)
    found = for_run(session, run_id=statement.run_id, orgs=[statement.contributor_organisation_id])
    return found.get(statement.contributor_organisation_id, [])


def for_run(
    session: Session, *, run_id: int, orgs: list[int]
) -> dict[int, list[RunPatentLineRead]]:
    """The run's patent lines of each contributor in `orgs` (one query for a batch)."""
    out: dict[int, list[RunPatentLineRead]] = defaultdict(list)
    for row in session.exec(_query(run_id, orgs)).all():
        line = _read(row)
        out[row[0].contributor_organisation_id].append(line)
    return dict(out)


def _query(run_id: int, orgs: list[int]) -> Any:
    return (
        select(RunPatentLine, Patent.number, Patent.title)
        .join(Patent, col(Patent.id) == RunPatentLine.patent_id)
        .where(
            RunPatentLine.run_id == run_id,
            col(RunPatentLine.contributor_organisation_id).in_(orgs),
        )
        .order_by(
            col(RunPatentLine.contributor_organisation_id),
            col(RunPatentLine.usage_start),
            col(RunPatentLine.usage_end),
            col(RunPatentLine.country),
            col(RunPatentLine.patent_id),
        )
    )


def _read(row: Any) -> RunPatentLineRead:
    line, number, title = row
    return RunPatentLineRead(**line.model_dump(), patent_number=number, title=title)
