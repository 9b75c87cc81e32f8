"""Correcting a submitted usage report: the report form prefilled with the report's lines for
the same period; what is sent goes through `reports.correct`, exactly as the API's
`POST /reports/{id}/correction`: the old report is kept as superseded, its invoice cancelled
and replaced, and later periods of the year already charged are charged again. A refused
correction re-shows the rows with their faults, and nothing is stored."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from sqlmodel import Session

from allocation.currency import minor_unit_exponent
from pool.auth import Principal
from pool.bounds import PathId
from pool.errors import Conflict, InvalidInput
from pool.models.reporting import UsageReportCorrection, UsageReportDetail
from pool.services import reports
from pool.services.licensing import products
from pool.unit_of_work import FormRefusal
from pool.web.licensee import report_views as lrv
from pool.web.licensee import views as lv
from pool.web.licensee.agreements import one_agreement
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

EXTRA_ROWS = 2  # blank rows after the report's own, for lines to add
MAX_ROWS = 200  # rows the form shows (a larger report is corrected by the API or a CSV)


@dataclass(frozen=True)
class Shown:
    rows: list[lrv.Row]
    errors: FormErrors = NO_ERRORS
    status: int = 200


def _major(amount_minor: int | None, currency: str) -> str:
    """Minor units as typed on the form (`4500.00`), exactly."""
    if amount_minor is None:
        return ""
    exponent = minor_unit_exponent(currency)
    return f"{Decimal(amount_minor).scaleb(-exponent):.{exponent}f}"


def prefilled(found: UsageReportDetail, currency: str) -> list[lrv.Row]:
    """The report's lines as form rows, and a few blank ones."""
    rows = [
        lrv.Row(
            {
                "product_id": str(item.product_id),
                "country_of_manufacture": item.country_of_manufacture,
                "country_of_sale": item.country_of_sale,
                "units": str(item.units),
                "net_sales": _major(item.net_sales_minor, currency),
                "upstream_paid_units": str(item.upstream_paid_units or ""),
                "unit_price": _major(item.unit_price_minor, currency),
            }
        )
        for item in found.lines[:MAX_ROWS]
    ]
    return rows + lrv.blank_rows(EXTRA_ROWS)


class LicenseeCorrectionController(Controller):
    path = "/licensee"
    include_in_schema = False
    dependencies = lv.licensee_only()

    def _form(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        principal: Principal,
        found: UsageReportDetail,
        now: datetime,
        shown: Shown | None = None,
    ) -> Response[str]:
        agreement = one_agreement(db, principal, found.agreement_id, now)
        listed = products.listing(
            db, principal=principal, agreement_id=found.agreement_id, limit=lv.LIST_LIMIT, offset=0
        ).items
        return page(
            request,
            "web/licensee/correction_form.html.j2",
            principal,
            status=shown.status if shown else 200,
            report=lv.report(found),
            agreement=agreement,
            products=listed,
            columns=lrv.ROW_FIELDS,
            rows=shown.rows if shown else prefilled(found, agreement.currency),
            errors=shown.errors if shown else NO_ERRORS,
            too_long=len(found.lines) > MAX_ROWS,
        )

    @get("/reports/{report_id:int}/correction", sync_to_thread=True)
    def correction_form(
        self,
        request: Request[Any, Any, Any],
        report_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """The report's lines, ready to correct."""
        found = reports.get(db, principal=principal, report_id=report_id)
        return self._form(request, db, principal, found, now)

    @post("/reports/{report_id:int}/correction", sync_to_thread=True)
    def correct(
        self,
        request: Request[Any, Any, Any],
        report_id: PathId,
        data: URLEncodedBody[lrv.RowsForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Replace the report with the rows sent (none: a nil report)."""
        found = reports.get(db, principal=principal, report_id=report_id)
        agreement = one_agreement(db, principal, found.agreement_id, now)
        read = lrv.read_rows(data, agreement.currency)
        if read.faulty:
            return self._form(request, db, principal, found, now, Shown(read.rows, status=422))
        try:
            receipt = reports.correct(
                db,
                principal=principal,
                report_id=report_id,
                data=UsageReportCorrection(lines=read.lines),
                now=now,
            )
        except (InvalidInput, Conflict) as error:
            faults = error.errors if isinstance(error, InvalidInput) else []
            others = [fault.message for fault in read.place(faults)]
            placed = len(others) < len(faults)
            errors = FormErrors(general=others or ([] if placed else [error.detail]))
            shown = Shown(read.rows, errors, error.status_code)
            raise FormRefusal(
                partial(self._form, request, db, principal, found, now, shown)
            ) from error
        return redirect(f"/licensee/reports/{receipt.id}?done=corrected")
