"""The three ways of sending a usage report, each giving the receipt or a refusal to show.

Every one calls the API's service and is all or nothing: a refused report rolls back the
request's transaction (nothing is stored) and comes back as a `Refusal`, which the report page
shows next to the form it is about: the rows with their faulty cells, or the CSV's bad lines
with their data and columns.

A CSV file of more than `BACKGROUND_LINES` data lines is imported by a background task
instead (`Started`): the page follows its progress, and shows the same table of bad lines if
it is refused. Smaller files stay in the request, so the page answers in one step.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from litestar.datastructures import UploadFile
from sqlmodel import Session

from pool.auth import Principal
from pool.errors import Conflict, DomainError, InvalidInput
from pool.models.reporting import NilReportCreate, ReportReceipt, UsageReportCreate
from pool.services import reports, tasks
from pool.services.common import csv_upload
from pool.services.reports import csv_import as report_import
from pool.services.tasks.progress import Progress
from pool.web.csv_faults import CsvFaults, csv_faults, csv_records
from pool.web.i18n import N_
from pool.web.licensee import report_views as lrv
from pool.web.licensee import views as lv
from pool.web.licensee.agreements import one_agreement
from pool.web.pages import FormErrors

BACKGROUND_LINES = 2_000  # data lines above which an upload runs as a background task
NO_LINES = N_("Enter at least one line, or send a nil report if nothing was made or sold.")
CHOOSE_FILE = N_("choose a CSV file")


@dataclass
class UploadForm:
    period_start: str = ""
    file: UploadFile | None = None


@dataclass
class NilForm:
    period_start: str = ""


@dataclass(frozen=True)
class Refusal:
    """What the report page shows after a refused submission, and on which form."""

    form: str  # "rows", "upload" or "nil"
    errors: FormErrors
    status: int
    period: str = ""
    rows: list[lrv.Row] | None = None
    csv: CsvFaults | None = None


@dataclass(frozen=True)
class Started:
    """A large upload handed to a background task: the page to follow it on."""

    task_id: int


def period_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def no_period(form: str, period: str, rows: list[lrv.Row] | None = None) -> Refusal:
    errors = FormErrors(fields={"period_start": [lv.CHOOSE_PERIOD]})
    return Refusal(form, errors, 422, period, rows)


def refused(form: str, error: InvalidInput | Conflict, period: str) -> Refusal:
    return Refusal(form, FormErrors.of(error), error.status_code, period)


def rows(
    db: Session, principal: Principal, agreement_id: int, data: lrv.RowsForm, now: datetime
) -> ReportReceipt | Refusal:
    """The typed rows (amounts in major units) through `reports.submit`; the service's
    faults go back on their rows and cells."""
    agreement = one_agreement(db, principal, agreement_id, now)
    read = lrv.read_rows(data, agreement.currency)
    period = period_of(data.period_start)
    if period is None:
        return no_period("rows", data.period_start, read.rows)
    if read.faulty or not read.lines:
        errors = FormErrors() if read.faulty else FormErrors.message(NO_LINES)
        return Refusal("rows", errors, 422, data.period_start, read.rows)
    body = UsageReportCreate(period_start=period, lines=read.lines)
    try:
        return reports.submit(
            db, principal=principal, agreement_id=agreement_id, data=body, now=now
        )
    except InvalidInput as error:
        others = read.place(error.errors)
        errors = FormErrors.of(InvalidInput(error.detail, others)) if others else FormErrors()
        return Refusal("rows", errors, 422, data.period_start, read.rows)
    except Conflict as error:
        return Refusal("rows", FormErrors.of(error), 409, data.period_start, read.rows)


def upload(
    db: Session,
    principal: Principal,
    agreement_id: int,
    data: UploadForm,
    now: datetime,
    runner: tasks.TaskRunner,
) -> ReportReceipt | Refusal | Started:
    """The file through `reports.csv_import.import_csv`; its faults by line and column are shown
    with the file's own cells. A large file goes to a background task."""
    period = period_of(data.period_start)
    if period is None:
        return no_period("upload", data.period_start)
    if data.file is None:
        return Refusal("upload", FormErrors(fields={"file": [CHOOSE_FILE]}), 422, data.period_start)
    content = data.file.file.read()
    if csv_upload.data_lines(content) > BACKGROUND_LINES:
        one_agreement(db, principal, agreement_id, now)  # another's agreement: 404, no task
        return Started(
            runner.start(
                kind="report_import",
                principal=principal,
                action=_import(principal, agreement_id, period, content, now),
                organisation_id=principal.organisation_id,
                inputs={"back": f"/licensee/agreements/{agreement_id}/reports/new"},
                explain=partial(_bad_lines, content),
            )
        )
    try:
        return report_import.import_csv(
            db,
            principal=principal,
            agreement_id=agreement_id,
            period_start=period,
            currency=None,
            content=content,
            now=now,
        )
    except (InvalidInput, Conflict) as error:
        refusal = refused("upload", error, data.period_start)
        if isinstance(error, InvalidInput) and any(e.line for e in error.errors):
            faults = csv_faults(content, error.errors)
            return Refusal("upload", FormErrors(), 422, data.period_start, csv=faults)
        return refusal


def _import(
    principal: Principal, agreement_id: int, period: date, content: bytes, now: datetime
) -> tasks.Action:
    """The import a background task runs: the same service, in the task's transaction."""

    def run(session: Session, progress: Progress) -> dict[str, Any]:
        receipt = report_import.import_csv(
            session,
            principal=principal,
            agreement_id=agreement_id,
            period_start=period,
            currency=None,
            content=content,
            now=now,
            progress=progress,
        )
        return {"report_id": receipt.id, "href": f"/licensee/reports/{receipt.id}?done=submitted"}

    return run


def _bad_lines(content: bytes, error: DomainError) -> dict[str, Any]:
    """What a task's page needs to show a refused file's bad lines with their cells."""
    if isinstance(error, InvalidInput) and any(e.line for e in error.errors):
        return {"csv": csv_records(content, error.errors)}
    return {}


def nil(
    db: Session, principal: Principal, agreement_id: int, data: NilForm, now: datetime
) -> ReportReceipt | Refusal:
    """Nothing made or sold in the period (`NilReportCreate`): no invoice is issued."""
    period = period_of(data.period_start)
    if period is None:
        return no_period("nil", data.period_start)
    body = NilReportCreate(period_start=period)
    try:
        return reports.submit(
            db, principal=principal, agreement_id=agreement_id, data=body, now=now
        )
    except (InvalidInput, Conflict) as error:
        return refused("nil", error, data.period_start)
