"""A usage report's form rows, laid out for the report page (a CSV's bad lines:
`pool.web.csv_faults`).

The rows form posts each column as a repeated field (one value per row, blanks included, so
the lists line up). A row left blank is skipped. What a service refuses comes back as
`lines[k].column` (the form) or as a CSV line and column (the upload); both are put next to
the values they are about, so the licensee corrects them in place.
"""

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from allocation.currency import minor_unit_exponent
from pool.errors import FieldError
from pool.models.reporting import UsageLineIn
from pool.validation import InvalidCountry, validate_country
from pool.web.i18n import N_
from pool.web.licensee import views as lv

ROW_FIELDS = (
    "product_id",
    "country_of_manufacture",
    "country_of_sale",
    "units",
    "net_sales",
    "upstream_paid_units",
    "unit_price",
)
FORM_COLUMN = {"net_sales_minor": "net_sales", "unit_price_minor": "unit_price"}
REQUIRED = N_("required")
NEGATIVE = N_("must not be negative")
NOT_AN_AMOUNT = N_("not an amount")
TOO_MANY_DECIMALS = N_("too many decimals for the currency")
# Longer numbers pass every bound of `UsageLineIn`: read as this one, the schema names the
# field's bound, and `int()` never sees thousands of digits (a ValueError, a 500).
BEYOND_EVERY_BOUND = 10**20


@dataclass
class RowsForm:
    period_start: str = ""
    product_id: list[str] | str = field(default_factory=list)
    country_of_manufacture: list[str] | str = field(default_factory=list)
    country_of_sale: list[str] | str = field(default_factory=list)
    units: list[str] | str = field(default_factory=list)
    net_sales: list[str] | str = field(default_factory=list)
    upstream_paid_units: list[str] | str = field(default_factory=list)
    unit_price: list[str] | str = field(default_factory=list)


@dataclass
class Row:
    """One row as typed, and what is wrong with each of its cells (msgids)."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def fault(self, column: str, message: str) -> None:
        self.errors.setdefault(FORM_COLUMN.get(column, column), []).append(message)


@dataclass
class ReadRows:
    rows: list[Row]
    lines: list[UsageLineIn]
    positions: list[int]  # the row of each line (blank rows are skipped)

    @property
    def faulty(self) -> bool:
        return any(row.errors for row in self.rows)

    def place(self, errors: list[FieldError]) -> list[FieldError]:
        """Put the service's `lines[k].column` faults on their rows; return the others."""
        others: list[FieldError] = []
        for error in errors:
            name = error.field or ""
            if name.startswith("lines[") and "]." in name:
                index, column = name.removeprefix("lines[").split("].", 1)
                self.rows[self.positions[int(index)]].fault(column, error.message)
            else:
                others.append(error)
        return others


def blank_rows(count: int) -> list[Row]:
    return [Row(dict.fromkeys(ROW_FIELDS, "")) for _ in range(count)]


def read_rows(form: RowsForm, currency: str) -> ReadRows:
    columns = {name: lv.as_list(getattr(form, name)) for name in ROW_FIELDS}
    count = max(len(values) for values in columns.values())
    read = ReadRows([], [], [])
    for index in range(count):
        values = {
            name: (columns[name][index] if index < len(columns[name]) else "").strip()
            for name in ROW_FIELDS
        }
        row = Row(values)
        read.rows.append(row)
        if any(values.values()):
            line = _line(row, currency)
            if line is not None:
                read.lines.append(line)
                read.positions.append(index)
    return read


def _line(row: Row, currency: str) -> UsageLineIn | None:
    """The row as the service's line schema, or None with the row's faults noted."""
    values, data = row.values, dict[str, Any]()
    for name in ("product_id", "units", "upstream_paid_units"):
        if name == "upstream_paid_units" and not values[name]:
            continue
        number = whole_number(values[name]) if values[name] else REQUIRED
        if isinstance(number, int):
            data[name] = number
        else:
            row.fault(name, number)
    for name in ("country_of_manufacture", "country_of_sale"):
        try:
            data[name] = validate_country(values[name])
        except InvalidCountry as error:
            row.fault(name, error.reason)
    for name, key in (("net_sales", "net_sales_minor"), ("unit_price", "unit_price_minor")):
        if name == "unit_price" and not values[name]:
            continue
        amount = amount_minor(values[name], currency) if values[name] else REQUIRED
        if isinstance(amount, int):
            data[key] = amount
        else:
            row.fault(name, amount)
    if row.errors:
        return None
    try:
        return UsageLineIn.model_validate(data)
    except ValidationError as error:
        for column, messages in lv.pydantic_messages(error.errors()).items():
            for message in messages:
                row.fault(column, message)
        return None


def whole_number(text: str) -> int | str:
    """A non-negative whole number, or the msgid saying why not."""
    text = text.strip().replace(",", "").replace(" ", "")
    if text.startswith("-") and text[1:].isdigit():
        return NEGATIVE
    if not (text.isascii() and text.isdigit()):
        return lv.NOT_A_NUMBER
    return _bounded_int(text)


def _bounded_int(digits: str) -> int:
    too_long = len(digits.lstrip("0")) > len(str(BEYOND_EVERY_BOUND))
    return BEYOND_EVERY_BOUND if too_long else int(digits)


def amount_minor(text: str, currency: str) -> int | str:
    """An amount typed in major units (`4,500.00`) as exact minor units, or why not."""
    text = text.strip().replace(",", "").replace(" ", "")
    exponent: int = minor_unit_exponent(currency)
    whole, _, fraction = text.partition(".")
    if text.startswith("-"):
        return NEGATIVE
    if not whole.isascii() or not (whole + fraction).isdigit() or text.endswith("."):
        return NOT_AN_AMOUNT
    if len(fraction) > exponent:
        return TOO_MANY_DECIMALS
    scale: int = 10**exponent
    return _bounded_int(whole or "0") * scale + int(fraction.ljust(exponent, "0") or "0")
