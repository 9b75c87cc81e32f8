"""The contributor downloads its yearly inventor remuneration report (CSV or PDF) from its
statements page: the year, the rate (the statutory 10 % unless it pays more) and the pool."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID
from pool.services import inventor_reports
from pool.web.contributor.access import contributor_only

PDF, CSV = "application/pdf", "text/csv; charset=utf-8"


class ContributorRemunerationController(Controller):
    path = "/contributor"
    include_in_schema = False
    # read once by Litestar when the app is built, never changed: a class attribute is fine
    dependencies = {"principal": Provide(contributor_only, sync_to_thread=False)}  # noqa: RUF012

    @get("/inventor-remuneration", sync_to_thread=True)
    def report(
        self,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
        rate: Annotated[Decimal, QueryParameter()] = Decimal(10),
        pool: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
        format: Annotated[Literal["csv", "pdf"], QueryParameter()] = "pdf",
    ) -> Response[bytes]:
        """The report of the contributor's own organisation, as a download."""
        found = inventor_reports.for_contributor(
            db,
            principal=principal,
            organisation_id=principal.organisation_id or 0,
            pool_id=pool,
            year=year or now.year,
            rate=inventor_reports.check_rate(rate),
        )
        if format == "csv":
            body, media = inventor_reports.render_csv(found), CSV
        else:
            body, media = inventor_reports.render_pdf(inventor_reports.render_html(found)), PDF
        name = inventor_reports.filename(found, format)
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
