"""The three ways of sending a usage report, each giving the receipt or a refusal to show.

Every one calls the API's service and is all or nothing: a refused report rolls back the
request's transaction (nothing is stored) and comes back as a `Refusal`, which the report page
shows next to the form it is about: the rows with their faulty cells, or the CSV's bad lines
with their data and columns.
"""

from dataclasses import dataclass
from datetime import date, datetime

from litestar.datastructures import UploadFile
from sqlmodel import Session

from pool.auth import Principal
from pool.errors import Conflict, InvalidInput
from pool.models.reporting import NilReportCreate, ReportReceipt, UsageReportCreate
from pool.services import report_import, reports
from pool.web.controllers import licensee_report_views as lrv
from pool.web.controllers import licensee_views as lv
from pool.web.controllers.licensee import one_agreement
from pool.web.i18n import N_
from pool.web.pages import FormErrors

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
    csv: lrv.CsvFaults | None = None


def period_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def no_period(form: str, period: str, rows: list[lrv.Row] | None = None) -> Refusal:
    errors = FormErrors(fields={"period_start": [lv.CHOOSE_PERIOD]})
    return Refusal(form, errors, 422, period, rows)


def refused(db: Session, form: str, error: InvalidInput | Conflict, period: str) -> Refusal:
    return Refusal(form, lv.rolled_back(db, error), error.status_code, period)


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
        db.rollback()
        others = read.place(error.errors)
        errors = FormErrors.of(InvalidInput(error.detail, others)) if others else FormErrors()
        return Refusal("rows", errors, 422, data.period_start, read.rows)
    except Conflict as error:
        return Refusal("rows", lv.rolled_back(db, error), 409, data.period_start, read.rows)


def upload(
    db: Session, principal: Principal, agreement_id: int, data: UploadForm, now: datetime
) -> ReportReceipt | Refusal:
    """The file through `report_import.import_csv`; its faults by line and column are shown
    with the file's own cells."""
    period = period_of(data.period_start)
    if period is None:
        return no_period("upload", data.period_start)
    if data.file is None:
        return Refusal("upload", FormErrors(fields={"file": [CHOOSE_FILE]}), 422, data.period_start)
    content = data.file.file.read()
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
        refusal = refused(db, "upload", error, data.period_start)
        if isinstance(error, InvalidInput) and any(e.line for e in error.errors):
            faults = lrv.csv_faults(content, error.errors)
            return Refusal("upload", FormErrors(), 422, data.period_start, csv=faults)
        return refusal


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
        return refused(db, "nil", error, data.period_start)
