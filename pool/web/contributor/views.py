"""What the contributor pages show, shaped for their templates: labels for patent states,
the patent form read into the service's schema, CSV problems by line and column, statement
rows and the royalty chart's points (periods as their last day, so templates do no dates
arithmetic)."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlencode

from pydantic import ValidationError

from pool.errors import DomainError, FieldError, InvalidInput
from pool.models.distribution import DocumentFormat, StatementRead
from pool.models.patent import Grade, PatentCreate, PatentFilters, PatentStatus
from pool.models.pool import PoolRead
from pool.web import charts, schema_messages
from pool.web.i18n import N_
from pool.web.pages import FormErrors

PATENT_STATUS_LABELS = {
    PatentStatus.SUBMITTED: N_("Submitted"),
    PatentStatus.UNDER_EVALUATION: N_("Under evaluation"),
    PatentStatus.ACCEPTED: N_("Accepted"),
    PatentStatus.REJECTED: N_("Rejected"),
    PatentStatus.EXPIRED: N_("Expired"),
    PatentStatus.LAPSED: N_("Lapsed"),
    PatentStatus.INVALIDATED: N_("Invalidated"),
    PatentStatus.WITHDRAWN: N_("Withdrawn"),
    PatentStatus.TRANSFERRED: N_("Transferred"),
}
GRADES = [grade.value for grade in Grade]
FORMATS = (DocumentFormat.HTML, DocumentFormat.PDF, DocumentFormat.CSV)
FORM_FIELDS = (
    "pool_id",
    "number",
    "country",
    "family_id",
    "title",
    "filing_date",
    "grant_date",
    "expiry_date",
    "standard_sections",
    "file",
)
# Messages of the patent services and the CSV reader that these pages show (translated when
# listed here; messages with values inside are shown as the service wrote them).
SERVICE_MESSAGES = (
    N_("Field required"),
    N_("unknown column"),
    N_("required column missing"),
    N_("column given twice"),
    N_("no header line"),
    N_("no data lines"),
    N_("contributors import their own patents"),
    N_("contributors submit their own patents"),
    N_("the owner is not a current member of this pool"),
    N_("must not be before filing_date"),
    N_("must be after the filing and grant dates"),
    N_("this pool is closed to new patents"),
    N_("patent not found"),
    N_("statement not found"),
)
CHOOSE_A_POOL = N_("Choose one of your pools.")
CHOOSE_A_FILE = N_("Choose a CSV file to upload.")

E = TypeVar("E", bound=StrEnum)


def choice(value: str | None, options: type[E], name: str) -> E | None:
    """A filter from a GET form: empty means "any"; an unknown value is refused (422)."""
    if not value:
        return None
    try:
        return options(value)
    except ValueError:
        raise InvalidInput.field(name, "not one of the choices") from None


def filter_query(pool_id: int | None, filters: PatentFilters) -> str:
    """The list's filters as a query string, for the pager's links."""
    values = {
        "pool": pool_id,
        "status": filters.status,
        "grade": filters.grade,
        "country": filters.country,
        "q": filters.q,
    }
    return urlencode({name: str(value) for name, value in values.items() if value})


def sections(text: str) -> list[str]:
    """Standard sections as typed: separated by semicolons, as in the CSV."""
    return [part.strip() for part in text.split(";") if part.strip()]


def patent_create(values: dict[str, str]) -> PatentCreate:
    """The form's text as the API's schema; what does not parse names its field."""
    data: dict[str, object] = {k: v.strip() for k, v in values.items() if v and v.strip()}
    data["standard_sections"] = sections(values.get("standard_sections", ""))
    try:
        return PatentCreate.model_validate(data)
    except ValidationError as error:
        raise schema_messages.invalid_input("the patent is not valid", error) from error


def form_errors(error: DomainError) -> FormErrors:
    """As `FormErrors.of`, with faults of fields the form does not show (the owner: always
    the contributor itself) moved to the summary, so no message is lost."""
    found = FormErrors.of(error)
    shown = {name: faults for name, faults in found.fields.items() if name in FORM_FIELDS}
    hidden = [m for name, faults in found.fields.items() if name not in shown for m in faults]
    return FormErrors(fields=shown, general=[*found.general, *hidden])


@dataclass(frozen=True)
class Problem:
    """One fault of an uploaded CSV: the line a spreadsheet shows (the header is 1)."""

    line: int | None
    column: str | None
    message: str


def problems(error: InvalidInput) -> list[Problem]:
    faults = error.errors or [FieldError(message=error.detail)]
    return [Problem(f.line, f.column or f.field, f.message) for f in faults]


@dataclass(frozen=True)
class StatementRow:
    id: int
    pool_name: str
    serial: str
    period_start: date
    period_last_day: date
    currency: str
    gross_minor: int
    adjustments_minor: int
    withholding_minor: int
    net_payable_minor: int
    issued_on: date
    formats: list[str]  # those stored, in the order html, pdf, csv
    documents: dict[str, tuple[str, int]]  # format -> (SHA-256, size in bytes)


def statement_row(item: StatementRead, pool_names: dict[int, str]) -> StatementRow:
    stored = {d.format: d for d in item.documents}
    return StatementRow(
        id=item.id,
        pool_name=pool_names.get(item.pool_id, str(item.pool_id)),
        serial=item.serial,
        period_start=item.period_start,
        period_last_day=item.period_end - timedelta(days=1),
        currency=item.currency,
        gross_minor=item.gross_minor,
        adjustments_minor=item.adjustments_minor,
        withholding_minor=item.withholding_minor,
        net_payable_minor=item.net_payable_minor,
        issued_on=item.issued_at.date(),
        formats=[fmt.value for fmt in FORMATS if fmt in stored],
        documents={fmt.value: (d.sha256, d.size_bytes) for fmt, d in stored.items()},
    )


@dataclass(frozen=True)
class PoolChart:
    pool_id: int
    pool_name: str
    chart: charts.BarChart


def royalty_chart(pool: PoolRead, newest_first: list[StatementRead]) -> PoolChart:
    """Net payable per statement period of one pool, oldest period on the left."""
    points = [
        charts.Point(s.period_start, s.period_end - timedelta(days=1), s.net_payable_minor)
        for s in reversed(newest_first)
    ]
    return PoolChart(pool.id, pool.name, charts.bar_chart(points, pool.currency))
