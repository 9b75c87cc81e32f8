"""A pool's yearly performance figures (the Beijing programme; administrators and auditors)."""

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.bounds import PathId
from pool.dependencies import Caller
from pool.models.figures import YearlyFigures
from pool.services import figures

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


HANDLERS: tuple[type[Controller], ...] = (FiguresController,)
