"""The licence contract of one of the licensee's agreements, as the document the API serves
(`agreements.document`), in the page's language, and the agreement's usage report CSV template
(`reports.csv_columns`: friendly columns, one line per registered product by filing code).
Another organisation's agreement is 404."""

from datetime import datetime
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.services.accounts import organisations
from pool.services.licensing import agreements, products
from pool.services.reports import csv_columns
from pool.web.licensee import views as lv
from pool.web.locale import request_locale, tag


class LicenseeContractController(Controller):
    path = "/licensee"
    include_in_schema = False
    dependencies = lv.licensee_only()

    @get("/agreements/{agreement_id:int}/contract", sync_to_thread=True)
    def contract(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """The contract document (Chinese or English, as the page), printable as it is."""
        lang = "zh-CN" if tag(request_locale(request)) == "zh-CN" else "en"
        html = agreements.document(
            db, principal=principal, agreement_id=agreement_id, lang=lang, now=now
        )
        return Response(html, media_type=MediaType.HTML)

    @get("/agreements/{agreement_id:int}/reports/template.csv", sync_to_thread=True)
    def report_template(
        self,
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
    ) -> Response[str]:
        """The CSV to fill in for a report: amounts in major units, products by filing code."""
        found = products.listing(
            db, principal=principal, agreement_id=agreement_id, limit=1000, offset=0
        ).items
        org = organisations.get(
            db, principal=principal, organisation_id=principal.organisation_id or 0
        )
        name = f"report-template-agreement-{agreement_id}.csv"
        return Response(
            csv_columns.template([p.filing_code for p in found], org.country),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
