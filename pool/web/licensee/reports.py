"""Usage reports: a form of rows, a CSV upload, a nil report in one click; the list and one
report with the invoice issued from it.

All three submissions go to the API's services (`reports.submit`, `reports.csv_import.import_csv`)
and are all or nothing: a refused report re-renders the page with every fault next to the
data it is about, and the request's transaction is rolled back, so nothing is stored.
"""

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import MultipartBody, QueryParameter, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.models.reporting import (
    ReportStatus,
)
from pool.services import pools, reports
from pool.services.billing import invoices
from pool.services.licensing import products
from pool.settings import Settings
from pool.unit_of_work import OWN_COMMIT_FIRST, FormRefusal
from pool.web.account import tasks as web_tasks
from pool.web.licensee import report_views as lrv
from pool.web.licensee import submissions as submit
from pool.web.licensee import views as lv
from pool.web.licensee.agreements import one_agreement, own_agreements, stay_on
from pool.web.pages import NO_ERRORS, page, redirect

Rows = Annotated[int, QueryParameter(name="rows", ge=1, le=100)]
Done = Annotated[str, QueryParameter(name="done", max_length=20)]
DEFAULT_ROWS = 3
SHOWN_LINES = 200  # a report's or an invoice's lines shown on its page


def report_page(
    request: Request[Any, Any, Any],
    db: Session,
    principal: Principal,
    agreement_id: int,
    now: datetime,
    *,
    settings: Settings,
    rows: int = DEFAULT_ROWS,
    refusal: submit.Refusal | None = None,
) -> Response[str]:
    """The report page of one agreement: its periods without a report, the nil button for
    each, the CSV upload and the rows form (re-shown with their faults after a refusal)."""
    agreement = one_agreement(db, principal, agreement_id, now)
    periods = pending(db, principal, agreement, now)
    chosen = (refusal.period if refusal else "") or str(lv.default_period(periods) or "")
    return page(
        request,
        "web/licensee/report_form.html.j2",
        principal,
        status=refusal.status if refusal else 200,
        headers=stay_on(f"/licensee/agreements/{agreement_id}/reports/new") if refusal else None,
        agreement=agreement,
        periods=periods,
        chosen=chosen,
        products=products.listing(
            db, principal=principal, agreement_id=agreement_id, limit=lv.LIST_LIMIT, offset=0
        ).items,
        columns=lrv.ROW_FIELDS,
        rows=(refusal.rows if refusal else None) or lrv.blank_rows(rows),
        more_rows=min(rows + DEFAULT_ROWS, 100),
        failed=refusal.form if refusal else "",
        errors=refusal.errors if refusal else NO_ERRORS,
        csv=refusal.csv if refusal else None,
        max_upload_bytes=settings.max_upload_bytes,
    )


def pending(
    db: Session, principal: Principal, agreement: lv.AgreementView, now: datetime
) -> list[lv.Period]:
    """The agreement's periods still waiting for a report (none unless it is active)."""
    if not agreement.active:
        return []
    current = reports.listing(
        db,
        principal=principal,
        agreement_id=agreement.id,
        status=ReportStatus.ACCEPTED,
        limit=lv.LIST_LIMIT,
        offset=0,
    ).items
    cadence = pools.get(db, pool_id=agreement.pool_id).reporting_cadence
    reported = {report.period_start for report in current}
    return lv.periods_to_report(cadence, agreement, now.date(), reported)


def _answer(
    request: Request[Any, Any, Any],
    db: Session,
    principal: Principal,
    agreement_id: int,
    now: datetime,
    settings: Settings,
    outcome: Any,
) -> Response[Any]:
    """A refused submission re-shows the report page with its faults, once what it wrote is
    rolled back; an accepted one goes to the stored report."""
    if isinstance(outcome, submit.Refusal):
        raise FormRefusal(partial(
            report_page, request, db, principal, agreement_id, now,
            settings=settings, refusal=outcome,
        ))  # fmt: skip
    if isinstance(outcome, submit.Started):
        return web_tasks.started(outcome.task_id)
    return _done(outcome.id)


def _done(receipt_id: int) -> Response[Any]:
    return redirect(f"/licensee/reports/{receipt_id}?done=submitted")


class LicenseeReportController(Controller):
    path = "/licensee"
    include_in_schema = False
    dependencies = lv.licensee_only()

    @get("/agreements/{agreement_id:int}/reports/new", sync_to_thread=True)
    def report_form(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
        rows: Rows = DEFAULT_ROWS,
    ) -> Response[str]:
        """Report a period: upload a CSV, type the lines, or report nothing made or sold."""
        return report_page(request, db, principal, agreement_id, now, settings=settings, rows=rows)

    @post("/agreements/{agreement_id:int}/reports", sync_to_thread=True)
    def submit_rows(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        data: URLEncodedBody[lrv.RowsForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        """The report typed as rows; every fault is shown on its row and nothing is saved."""
        outcome = submit.rows(db, principal, agreement_id, data, now)
        return _answer(request, db, principal, agreement_id, now, settings, outcome)

    @post(
        "/agreements/{agreement_id:int}/reports/upload", sync_to_thread=True, opt=OWN_COMMIT_FIRST
    )
    def upload(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        data: MultipartBody[submit.UploadForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        """A CSV file: every bad line is shown with its data, and nothing is saved. A large
        file is checked by a background task, whose page shows its progress."""
        outcome = submit.upload(db, principal, agreement_id, data, now, web_tasks.runner(request))
        return _answer(request, db, principal, agreement_id, now, settings, outcome)

    @post("/agreements/{agreement_id:int}/reports/nil", sync_to_thread=True)
    def nil_report(
        self,
        request: Request[Any, Any, Any],
        agreement_id: PathId,
        data: URLEncodedBody[submit.NilForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        """Nothing made or sold in the period: one click, no invoice."""
        outcome = submit.nil(db, principal, agreement_id, data, now)
        return _answer(request, db, principal, agreement_id, now, settings, outcome)

    @get("/reports", sync_to_thread=True)
    def reports_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """Every report of the licensee, and the periods still waiting for one."""
        mine = own_agreements(db, principal, now)
        listed = reports.listing(
            db, principal=principal, agreement_id=None, status=None, limit=lv.LIST_LIMIT, offset=0
        )
        return page(
            request,
            "web/licensee/reports.html.j2",
            principal,
            agreements={item.id: item for item in mine},
            waiting=[(item, pending(db, principal, item, now)) for item in mine if item.active],
            reports=[lv.report(item) for item in listed.items],
            total=listed.total,
            invoice_of=live_invoices(db, principal),
        )

    @get("/reports/{report_id:int}", sync_to_thread=True)
    def report(
        self,
        request: Request[Any, Any, Any],
        report_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        done: Done = "",
    ) -> Response[str]:
        """One report, its lines, and the invoice issued from it."""
        found = reports.get(db, principal=principal, report_id=report_id)
        agreement = one_agreement(db, principal, found.agreement_id, now)
        names = products.listing(
            db, principal=principal, agreement_id=found.agreement_id, limit=lv.LIST_LIMIT, offset=0
        ).items
        invoice = found.invoice_id and invoices.get(
            db, principal=principal, invoice_id=found.invoice_id
        )
        return page(
            request,
            "web/licensee/report.html.j2",
            principal,
            report=lv.report(found),
            lines=found.lines[:SHOWN_LINES],
            agreement=agreement,
            product_names={item.id: f"{item.name} {item.model}" for item in names},
            invoice=invoice or None,
            done=done,
        )


def live_invoices(db: Session, principal: Principal) -> dict[int, tuple[int, str]]:
    """Report id -> (invoice id, number) of the invoice that stands for it."""
    listed = invoices.listing(
        db, principal=principal, agreement_id=None, status=None, limit=lv.LIST_LIMIT, offset=0
    ).items
    return {
        item.report_id: (item.id, item.number)
        for item in listed
        if item.report_id is not None and item.status != "cancelled"
    }
