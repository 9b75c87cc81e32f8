"""A contributor's statements: the list with its royalties per period as a chart, one
statement with its documents' digests, and the documents' stored bytes to download.

Contributors only (`contributor_only`, as for its patent pages); the statement service
scopes every read to the contributor's organisation, so another's statement is not found.
"""

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.models.distribution import DocumentFormat, StatementRead
from pool.services import payouts, pools, statements
from pool.services.common.pages import Page
from pool.services.statements import patents as statement_patents
from pool.services.statements import statement_lists
from pool.web import statement_reading
from pool.web.admin.registers import statements as registers
from pool.web.contributor import views
from pool.web.contributor.access import PER_PAGE, contributor_only, my_pools
from pool.web.lists import Filter, ListSpec, read_list
from pool.web.pages import page

BASE = "/contributor/statements"  # the statement page's links
CHART_PERIODS = 12  # the latest statement periods of each pool in the chart


LIST = ListSpec(  # issue 17: a long list narrows by pool and period, pages keep them
    filters=(Filter("pool", "id"), Filter("period", "day")),
    sorts=("period",),
    default_sort="-period",
    per_page=PER_PAGE,
)


def _statements(
    db: Session,
    principal: Principal,
    pool_id: int | None,
    limit: int,
    offset: int,
    period: date | None = None,
) -> Page[StatementRead]:
    """The contributor's statements (the service scopes them), newest period first."""
    return statements.listing(
        db,
        principal=principal,
        pool_id=pool_id,
        period_start=period,
        serial=None,
        limit=limit,
        offset=offset,
    )


class ContributorStatementsController(Controller):
    path = "/contributor"
    include_in_schema = False
    # read once by Litestar when the app is built, never changed: a class attribute is fine
    dependencies = {"principal": Provide(contributor_only, sync_to_thread=False)}  # noqa: RUF012

    @get("/statements", sync_to_thread=True)
    def statement_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The contributor's statements, newest period first (`pool`, `period`, `page`,
        `format=csv`), and its royalties per period."""
        lst = read_list(request, LIST)
        if lst.csv:
            shown = replace(lst.query, q="")  # the page has no search: the rows it lists
            own = statement_lists.listing(db, principal=principal, spec=shown)
            return registers.csv_of(own.items, now)
        mine = my_pools(db, principal)
        names = {pool.id: pool.name for pool in mine}
        offset = (lst.query.page - 1) * PER_PAGE
        pool_id, period = lst.query.filter("pool"), lst.query.filter("period")
        found = _statements(
            db, principal, int(pool_id) if pool_id else None, PER_PAGE, offset,
            date.fromisoformat(period) if period else None,
        )  # fmt: skip
        periods = statement_lists.periods(db, principal=principal)
        charts = []
        for pool in mine:
            latest = _statements(db, principal, pool.id, CHART_PERIODS, 0).items
            if latest:
                charts.append(views.royalty_chart(pool, latest))
        return page(
            request,
            "web/contributor/statements.html.j2",
            principal,
            rows=[views.statement_row(item, names) for item in found.items],
            total=found.total,
            charts=charts,
            lst=lst,
            pool_choices=sorted(names.items(), key=lambda item: item[1]),
            periods=[(p.isoformat(), p.isoformat()) for p in periods],
            year_now=now.year,
        )

    @get("/statements/{statement_id:int}", sync_to_thread=True)
    def statement(
        self,
        request: Request[Any, Any, Any],
        statement_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[str]:
        """One statement: its figures and its documents with their SHA-256 digests."""
        found = statements.get(db, principal=principal, statement_id=statement_id)
        pool = pools.get(db, pool_id=found.pool_id)
        row = views.statement_row(statements.read_model(db, found), {pool.id or 0: pool.name})
        lines = statement_patents.for_statement(db, principal=principal, statement_id=statement_id)
        return page(
            request,
            "web/contributor/statement.html.j2",
            principal,
            row=row,
            base=BASE,
            owner=None,
            patent_lines=lines,
            payout=payouts.payout_of(db, found.id or 0),
        )

    @get("/statements/{statement_id:int}/read", sync_to_thread=True)
    def read(
        self,
        statement_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        """The stored HTML statement to read in the browser (the statement's page frames it)."""
        statement, stored = statements.document(
            db, principal=principal, statement_id=statement_id, fmt=DocumentFormat.HTML
        )
        return statement_reading.reading(statement, stored)

    @get("/statements/{statement_id:int}/documents/{fmt:str}", sync_to_thread=True)
    def download(
        self,
        statement_id: PathId,
        fmt: FromPath[DocumentFormat],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        """The stored bytes, exactly as the API's download serves them (same scoping)."""
        statement, stored = statements.document(
            db, principal=principal, statement_id=statement_id, fmt=fmt
        )
        return statement_reading.download(statement, stored)
