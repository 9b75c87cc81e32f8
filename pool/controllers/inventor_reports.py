"""A contributor's yearly inventor remuneration report: CSV, HTML or PDF, in its language."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from litestar import Controller, MediaType, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import QueryId
from pool.dependencies import Caller
from pool.openapi import RESPONSE_MEDIA_TYPES
from pool.services import inventor_reports

PDF, CSV = "application/pdf", "text/csv; charset=utf-8"
Format = Annotated[
    Literal["csv", "html", "pdf"], QueryParameter(description="`csv` (default), `html` or `pdf`.")
]
Year = Annotated[
    int | None, QueryParameter(ge=2000, le=2100, description="The calendar year (this year).")
]
Rate = Annotated[
    Decimal,
    QueryParameter(description="Percent of royalties owed to inventors, 0 to 100 (10)."),
]


class InventorReportController(Controller):
    path = "/organisations/{organisation_id:int}/inventor-remuneration"
    tags = ["distributions"]

    @get("/", sync_to_thread=True, opt={RESPONSE_MEDIA_TYPES: [CSV, MediaType.HTML.value, PDF]})
    def inventor_remuneration(
        self,
        organisation_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        year: Year = None,
        pool_id: QueryId = None,
        rate: Rate = Decimal(10),
        format: Format = "csv",  # the name a refusal names
    ) -> Response[Any]:
        """Each of the contributor's patents with royalties in the year and each inventor's
        remuneration at `rate` percent (statutory minimum 10): the contributor its own, staff
        every contributor's."""
        found = inventor_reports.for_contributor(
            db,
            principal=principal,
            organisation_id=organisation_id,
            pool_id=pool_id,
            year=year or now.year,
            rate=inventor_reports.check_rate(rate),
        )
        name = inventor_reports.filename(found, format)
        if format == "csv":
            body, media = inventor_reports.render_csv(found), CSV
        else:
            html = inventor_reports.render_html(found)
            body, media = (html, MediaType.HTML) if format == "html" else (
                inventor_reports.render_pdf(html), PDF
            )  # fmt: skip
        disposition = "inline" if format == "html" else "attachment"
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
        )


HANDLERS: list[type[Controller]] = [InventorReportController]
