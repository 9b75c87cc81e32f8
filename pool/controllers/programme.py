"""What the Beijing programme asks of the pool's operator: the register of the pool's patent
deals beyond its own licence (transfers, licences, capital contributions, pledges; the money
received under them) and the yearly performance figures that count every deal type."""

from datetime import datetime
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller
from pool.models.deal import DealConsent, DealCreate, DealEnd, DealKind, DealRead, ReceiptCreate
from pool.models.figures import YearlyFigures
from pool.openapi import RESPONSE_MEDIA_TYPES
from pool.services import figures
from pool.services.common.pages import Page
from pool.services.deals import register
from pool.services.figures import export

CSV = "text/csv; charset=utf-8"

Year = Annotated[
    int,
    QueryParameter(
        ge=figures.FIRST_YEAR, le=figures.LAST_YEAR, description="calendar year, not in the future"
    ),
]


class FiguresController(Controller):
    path = "/pools/{pool_id:int}/figures"
    tags = ["reporting"]

    @get("/", sync_to_thread=True)
    def yearly_figures(
        self,
        pool_id: PathId,
        year: Year,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> YearlyFigures:
        """Deals, contracted and received money, distributions, growth against the year
        before and review flags for one year (docs/figures.md); others get 404."""
        return figures.yearly(db, principal=principal, pool_id=pool_id, year=year, now=now)

    @get("/table.csv", sync_to_thread=True, media_type=CSV, opt={RESPONSE_MEDIA_TYPES: [CSV]})
    def figures_table(
        self,
        pool_id: PathId,
        year: Year,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> Response[bytes]:
        """The same figures as the CSV table an operator files: every deal type, by supplier
        and licensee size, money in major units, growth against each target (staff)."""
        found = figures.yearly(db, principal=principal, pool_id=pool_id, year=year, now=now)
        name = f"figures-pool{pool_id}-{year}.csv"
        return Response(
            export.render_csv(found),
            media_type=CSV,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


class PoolDealController(Controller):
    path = "/pools/{pool_id:int}/deals"
    tags = ["deals"]

    @post("/", sync_to_thread=True)
    def record(
        self,
        pool_id: PathId,
        data: JSONBody[DealCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> DealRead:
        """Record a deal (the administrator, or the contributor owning the patents; audited).
        A transfer ends its patents' inclusion from `effective_on`; a pledge in force without
        the pledgee's consent refuses a transfer (409, naming the pledge)."""
        deal = register.record(db, principal=principal, pool_id=pool_id, data=data, now=now)
        return register.read_many(db, [deal])[0]

    @get("/", sync_to_thread=True)
    def listing(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        kind: FromQuery[DealKind | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[DealRead]:
        """The pool's deals, newest first: all of them for staff, its own for a contributor."""
        return register.listing(
            db, principal=principal, pool_id=pool_id, kind=kind, limit=limit, offset=offset
        )


class DealController(Controller):
    path = "/deals/{deal_id:int}"
    tags = ["deals"]

    @get("/", sync_to_thread=True)
    def get_deal(
        self, deal_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> DealRead:
        """One deal with its patents and receipts (staff, or the patents' owner)."""
        return register.read_many(db, [register.get(db, principal=principal, deal_id=deal_id)])[0]

    @post("/end", sync_to_thread=True, status_code=200)
    def end(
        self,
        deal_id: PathId,
        data: JSONBody[DealEnd],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> DealRead:
        """The deal ends on a day: a pledge released (its block lifts from that day), a licence
        ended, a transfer undone (audited)."""
        deal = register.end(db, principal=principal, deal_id=deal_id, data=data, now=now)
        return register.read_many(db, [deal])[0]

    @post("/consent", sync_to_thread=True, status_code=200)
    def consent(
        self,
        deal_id: PathId,
        data: JSONBody[DealConsent],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> DealRead:
        """The pledgee consents to licensing or transferring the pledged patents from a day
        (pledges only; audited)."""
        deal = register.consent(db, principal=principal, deal_id=deal_id, data=data, now=now)
        return register.read_many(db, [deal])[0]

    @post("/receipts", sync_to_thread=True, status_code=200)
    def receipt(
        self,
        deal_id: PathId,
        data: JSONBody[ReceiptCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> DealRead:
        """Money actually received under the deal (audited); the same reference again is a
        safe retry."""
        register.add_receipt(db, principal=principal, deal_id=deal_id, data=data, now=now)
        return register.read_many(db, [register.get(db, principal=principal, deal_id=deal_id)])[0]


HANDLERS: tuple[type[Controller], ...] = (FiguresController, PoolDealController, DealController)
