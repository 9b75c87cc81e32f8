"""Organisations: contributors, licensees and the administrator's own."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from litestar import Controller, MediaType, Response, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller
from pool.models.organisation import (
    FapiaoRead,
    FapiaoWrite,
    OrganisationCreate,
    OrganisationRead,
    OrganisationUpdate,
)
from pool.openapi import RESPONSE_MEDIA_TYPES
from pool.services import inventor_reports
from pool.services.accounts import fapiao, organisations
from pool.services.audit.trail import Actor
from pool.services.common.pages import Page
from pool.services.statements import certificates


class OrganisationController(Controller):
    path = "/organisations"
    tags = ["organisations"]

    @get("/", sync_to_thread=True)
    def list_organisations(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        kind: FromQuery[str | None] = None,
        country: FromQuery[str | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[OrganisationRead]:
        """Staff list all organisations; everyone else sees only their own."""
        return organisations.listing(
            db, principal=principal, kind=kind, country=country, limit=limit, offset=offset
        )

    @post("/", sync_to_thread=True)
    def create_organisation(
        self,
        data: JSONBody[OrganisationCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> OrganisationRead:
        """Register an organisation (administrators only)."""
        principal.require_admin()
        org = organisations.create(db, data=data, actor=Actor.of(principal), now=now)
        return OrganisationRead.model_validate(org)

    @get("/{organisation_id:int}", sync_to_thread=True)
    def get_organisation(
        self,
        organisation_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> OrganisationRead:
        """One organisation: your own, or any if you are staff."""
        org = organisations.get(db, principal=principal, organisation_id=organisation_id)
        return OrganisationRead.model_validate(org)

    @patch("/{organisation_id:int}", sync_to_thread=True)
    def update_organisation(
        self,
        organisation_id: PathId,
        data: JSONBody[OrganisationUpdate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> OrganisationRead:
        """Change an organisation's profile, tax profile included (administrators only)."""
        org = organisations.update(
            db, principal=principal, organisation_id=organisation_id, data=data, now=now
        )
        return OrganisationRead.model_validate(org)

    @get("/{organisation_id:int}/fapiao", sync_to_thread=True)
    def get_fapiao(
        self,
        organisation_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> FapiaoRead | None:
        """What the licensee's fapiao is issued to (null until it has given it): the licensee
        itself and staff read it."""
        found = fapiao.find(db, principal=principal, organisation_id=organisation_id)
        return None if found is None else FapiaoRead.model_validate(found)

    @put("/{organisation_id:int}/fapiao", sync_to_thread=True)
    def put_fapiao(
        self,
        organisation_id: PathId,
        data: JSONBody[FapiaoWrite],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> FapiaoRead:
        """Set the fapiao request data (the licensee itself; audited)."""
        found = fapiao.put(
            db, principal=principal, organisation_id=organisation_id, data=data, now=now
        )
        return FapiaoRead.model_validate(found)


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


class WithholdingCertificateController(Controller):
    path = "/organisations/{organisation_id:int}/withholding-certificate"
    tags = ["distributions"]

    @get("/", sync_to_thread=True, media_type=PDF)
    def withholding_certificate(
        self,
        organisation_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        pool_id: QueryId = None,
        year: Year = None,
    ) -> Response[bytes]:
        """The year's withholding-tax certificate (PDF, Chinese and English) of a contributor
        with tax withheld: each statement's royalties due, tax withheld and net paid (the
        contributor its own, staff every one; 404 when nothing was withheld)."""
        found = certificates.certificate(
            db,
            principal=principal,
            organisation_id=organisation_id,
            pool_id=pool_id,
            year=year or now.year,
            today=now.date(),
        )
        name = f"withholding-certificate-{found.year}-pool-{found.pool_id}.pdf"
        return Response(
            certificates.render(found),
            media_type=PDF,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
