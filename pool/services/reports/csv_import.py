"""Usage reports by CSV upload: all or nothing, every bad line and column reported.

Built for 100,000-line files: each field is checked with plain string and int operations
(country codes are validated once per distinct spelling), lines become plain dicts, and they
are written with one multi-row INSERT. No per-line pydantic model or ORM object is made here.
"""

import csv
import hashlib
import io
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from pool.auth import Principal
from pool.errors import FieldError, InvalidInput
from pool.models.integers import MAX_ID, MAX_MINOR, MAX_UNITS
from pool.models.reporting import ReportReceipt
from pool.services import reports
from pool.services.common import csv_upload
from pool.services.reports import checks as report_checks
from pool.services.reports import csv_columns
from pool.services.tasks.progress import CHARGING, CHECKING_LINES, Progress, every, no_progress
from pool.validation import InvalidCountry, validate_country

REQUIRED_COLUMNS = (
    "product_id",
    "country_of_manufacture",
    "country_of_sale",
    "units",
    "net_sales_minor",
)
OPTIONAL_COLUMNS = ("upstream_paid_units", "unit_price_minor")
COUNTRY_COLUMNS = ("country_of_manufacture", "country_of_sale")
LIMITS = {
    "product_id": MAX_ID,  # the types of `UsageLineIn`, which a JSON line is checked against
    "units": MAX_UNITS,
    "net_sales_minor": MAX_MINOR,
    "upstream_paid_units": MAX_UNITS,
    "unit_price_minor": MAX_MINOR,
}
FAST_DIGITS = 15  # numbers this short are converted inline; `_whole_number` checks the rest
MAX_ERRORS = 1000
PROGRESS_EVERY = 500  # lines checked between two progress reports


def _whole_number(text: str, limit: int) -> int | str:
    """The number, or why it is not one (a message for the line's error)."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        if len(text.lstrip("0")) > len(str(limit)):  # and `int()` refuses 4,300 digits
            return f"at most {limit}"
        value = int(text)
        return value if value <= limit else f"at most {limit}"
    if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
        return "must not be negative"
    return "required" if not text else f"{text[:20]!r} is not a whole number"


class _Countries(dict[str, str | InvalidCountry]):
    """validate_country once per distinct spelling: a large file repeats a few codes."""

    def __missing__(self, raw: str) -> str | InvalidCountry:
        try:
            value: str | InvalidCountry = validate_country(raw)
        except InvalidCountry as error:
            value = error
        self[raw] = value
        return value


def _parse_fields(
    names: list[str], values: list[str], countries: _Countries
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """One line's fields; the common case (a plain non-negative integer) stays inline."""
    row: dict[str, Any] = {"upstream_paid_units": 0, "unit_price_minor": None}
    faults: list[tuple[str, str]] = []
    for name, text in zip(names, values, strict=True):
        if name in COUNTRY_COLUMNS:
            code = countries[text]
            if isinstance(code, str):
                row[name] = code
            else:
                faults.append((name, code.reason))
        elif (
            len(text) <= FAST_DIGITS
            and text.isdigit()
            and text.isascii()
            and int(text) <= LIMITS[name]
        ):
            row[name] = int(text)
        elif name in OPTIONAL_COLUMNS and not text.strip():
            continue
        else:
            number = _whole_number(text, LIMITS[name])
            if isinstance(number, str):
                faults.append((name, number))
            else:
                row[name] = number
    return row, faults


def parse(
    content: bytes, target: report_checks.Target, progress: Progress = no_progress
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Line numbers are those a spreadsheet shows: the header is line 1."""
    reader = csv.reader(io.StringIO(csv_upload.decode(content), newline=""))
    total, report = csv_upload.data_lines(content), every(PROGRESS_EVERY, progress)
    header, columns = csv_columns.read_header(next(reader, None))
    names = csv_upload.check_header(header, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    exponent, currency = target.terms.minor_unit_exponent, target.terms.currency
    rows: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    countries = _Countries()
    totals: dict[str, int] = {}
    for line, values in enumerate(reader, start=2):
        report(CHECKING_LINES, line - 1, total)
        if len(values) != len(names):
            if any(v.strip() for v in values):
                message = f"expected {len(names)} fields, found {len(values)}"
                errors.append(FieldError(message=message, line=line))
            continue
        friendly: list[tuple[str, str]] = []
        if columns.friendly:
            values, friendly = csv_columns.convert(
                values, columns, target.codes, exponent, currency
            )
        row, faults = _parse_fields(names, values, countries)
        if not faults and not friendly:
            row["line_no"] = len(rows) + 1
            faults = report_checks.check_line(row, target)
            faults += report_checks.add_to_totals(totals, row)
        faults = friendly + [(columns.spelled.get(c, c), m) for c, m in faults]
        errors.extend(FieldError(message=m, line=line, column=c) for c, m in faults)
        rows.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    return rows, errors


def import_csv(
    session: Session,
    *,
    principal: Principal,
    agreement_id: int,
    period_start: date,
    currency: str | None,
    content: bytes,
    now: datetime,
    progress: Progress = no_progress,
) -> ReportReceipt:
    """Validate every line first; store and invoice only when the whole file is clean.
    `progress` hears of the lines checked, then of the charging."""
    found = report_checks.target(
        session,
        principal=principal,
        agreement_id=agreement_id,
        period_start=period_start,
        today=now.date(),
    )
    report_checks.check_currency(currency, found)
    rows, errors = parse(content, found, progress)
    if errors:
        errors.sort(key=lambda e: (e.line or 0, e.column or ""))
        raise InvalidInput(
            f"{len(errors)} problem(s) found; nothing was stored", errors[:MAX_ERRORS]
        )
    if not rows:
        raise InvalidInput(
            "the file has no lines; send a nil report if nothing was made or sold",
            [FieldError(message="no data lines", line=2)],
        )
    digest = hashlib.sha256(content).hexdigest()
    progress(CHARGING, len(rows), len(rows))
    return reports.accept(
        session, principal=principal, target=found, rows=rows, content_sha256=digest, now=now
    )
