"""Usage reports (JSON and CSV) and the invoices issued from them."""

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, HeaderParameter, JSONBody, RawBody
from pydantic import BaseModel
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller
from pool.models.billing import InvoiceDetail, InvoiceKind, InvoiceRead, InvoiceStatus
from pool.models.reporting import (
    NilReportCreate,
    ReportReceipt,
    ReportStatus,
    UsageReportCorrection,
    UsageReportCreate,
    UsageReportDetail,
    UsageReportRead,
)
from pool.services import reports
from pool.services.billing import invoices
from pool.services.common.pages import Page
from pool.services.reports import csv_import as report_import
from pool.services.reports import idempotency

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description="retry safely: the same key and request replay the first response",
    ),
]


def _once(
    db: Session,
    principal: Principal,
    now: datetime,
    key: str | None,
    request: tuple[str, bytes | BaseModel],
    submit: Callable[[], ReportReceipt],
) -> Response[ReportReceipt]:
    """Run a submission at most once per Idempotency-Key; replays answer like the first.
    `request` is what makes two requests the same: the path (and query) and the body."""
    path, body = request
    content = body.model_dump_json().encode() if isinstance(body, BaseModel) else body
    status, stored = idempotency.run(
        db,
        principal=principal,
        key=key,
        request_sha256=idempotency.fingerprint("POST", path, content),
        status_code=201,
        action=lambda: submit().model_dump(mode="json"),
        now=now,
    )
    return Response(ReportReceipt.model_validate(stored), status_code=status)


class AgreementReportController(Controller):
    path = "/agreements/{agreement_id:int}/reports"
    tags = ["usage reports"]

    @post("/", sync_to_thread=True)
    def submit_report(
        self,
        agreement_id: PathId,
        data: JSONBody[UsageReportCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ReportReceipt]:
        """Report a period's usage; the invoice is issued at once. All or nothing."""
        run = partial(reports.submit, db, principal=principal, agreement_id=agreement_id)
        request = (f"/agreements/{agreement_id}/reports", data)
        return _once(db, principal, now, idempotency_key, request, partial(run, data=data, now=now))

    @post("/nil", sync_to_thread=True)
    def submit_nil_report(
        self,
        agreement_id: PathId,
        data: JSONBody[NilReportCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ReportReceipt]:
        """Nothing made or sold in the period: still a report, and it issues no invoice."""
        run = partial(reports.submit, db, principal=principal, agreement_id=agreement_id)
        request = (f"/agreements/{agreement_id}/reports/nil", data)
        return _once(db, principal, now, idempotency_key, request, partial(run, data=data, now=now))

    @post("/import", sync_to_thread=True, request_body_media_type="text/csv")
    def import_report(
        self,
        agreement_id: PathId,
        body: RawBody,
        period_start: FromQuery[date],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        currency: FromQuery[str | None] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ReportReceipt]:
        """Upload a period's report as CSV (UTF-8, header first); every bad line is listed."""
        run = partial(report_import.import_csv, db, principal=principal, now=now)
        run = partial(run, agreement_id=agreement_id, period_start=period_start, currency=currency)
        request = (f"/agreements/{agreement_id}/reports/import?{period_start}&{currency}", body)
        return _once(db, principal, now, idempotency_key, request, partial(run, content=body))


class ReportController(Controller):
    path = "/reports"
    tags = ["usage reports"]

    @get("/", sync_to_thread=True)
    def list_reports(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        agreement_id: QueryId = None,
        status: FromQuery[ReportStatus | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[UsageReportRead]:
        """Staff see every report; a licensee its own; contributors none."""
        return reports.listing(
            db,
            principal=principal,
            agreement_id=agreement_id,
            status=status,
            limit=limit,
            offset=offset,
        )

    @get("/{report_id:int}", sync_to_thread=True)
    def get_report(
        self,
        report_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> UsageReportDetail:
        """One report with its lines and the invoice issued from it."""
        return reports.get(db, principal=principal, report_id=report_id)

    @post("/{report_id:int}/correction", sync_to_thread=True)
    def correct_report(
        self,
        report_id: PathId,
        data: JSONBody[UsageReportCorrection],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ReportReceipt]:
        """Replace the period's report; its invoice is cancelled and a new one issued."""
        run = partial(reports.correct, db, principal=principal, report_id=report_id, now=now)
        request = (f"/reports/{report_id}/correction", data)
        return _once(db, principal, now, idempotency_key, request, partial(run, data=data))


class InvoiceController(Controller):
    path = "/invoices"
    tags = ["invoices"]

    @get("/", sync_to_thread=True)
    def list_invoices(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        agreement_id: QueryId = None,
        status: FromQuery[InvoiceStatus | None] = None,
        kind: FromQuery[InvoiceKind | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[InvoiceRead]:
        """Staff see every invoice; a licensee its own organisation's; a contributor the
        evaluation fees its organisation is billed."""
        return invoices.listing(
            db,
            principal=principal,
            agreement_id=agreement_id,
            status=status,
            kind=kind,
            limit=limit,
            offset=offset,
        )

    @get("/{invoice_id:int}", sync_to_thread=True)
    def get_invoice(
        self,
        invoice_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> InvoiceDetail:
        """One invoice with its lines and when its parts fall due."""
        return invoices.get(db, principal=principal, invoice_id=invoice_id)


HANDLERS: list[type[Controller]] = [AgreementReportController, ReportController, InvoiceController]
