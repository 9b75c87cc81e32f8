"""`?format=csv`: the filtered list, every page, as a CSV file Excel opens correctly (UTF-8
with a byte order mark, so Chinese names read as written); amounts in major units next to
their currency; named after the list and the day."""

from collections.abc import Iterable, Sequence
from csv import writer
from datetime import date
from decimal import Decimal
from io import StringIO

from litestar import Response

from allocation.currency import minor_unit_exponent

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A text a spreadsheet would run as a formula is quoted (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            Decimal(value)
        except ArithmeticError:
            return "'" + value
    return value


def major_units(amount_minor: int | None, currency: str) -> str:
    """`123456` CNY -> `1234.56` (no grouping: a spreadsheet reads it as a number)."""
    if amount_minor is None:
        return ""
    exponent = minor_unit_exponent(currency)
    return str(Decimal(amount_minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent)))


def csv_response(
    name: str, today: date, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response[bytes]:
    """A download `<name>-<YYYY-MM-DD>.csv` of `header` then `rows`."""
    out = StringIO()
    out.write(BOM)
    table = writer(out, lineterminator="\r\n")
    table.writerow(header)
    table.writerows([_cell(cell) for cell in row] for row in rows)
    filename = f"{name}-{today.isoformat()}.csv"
    return Response(
        out.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
