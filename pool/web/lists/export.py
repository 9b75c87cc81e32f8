"""`?format=csv`: the filtered list, every page, as a CSV file Excel opens correctly (UTF-8
with a byte order mark, so Chinese names read as written); amounts in major units next to
their currency; named after the list and the day. Streamed: the rows are written a batch at a
time as they come (a service's `Export` reads them from the database a batch at a time), so
neither memory nor the first byte grows with the list."""

from collections.abc import Iterable, Iterator, Sequence
from csv import writer
from datetime import date
from decimal import Decimal
from io import StringIO

from litestar.response import Stream

from allocation.currency import minor_unit_exponent

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500


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


def _chunks(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    out = StringIO()
    table = writer(out, lineterminator="\r\n")
    out.write(BOM)
    table.writerow(header)
    for n, row in enumerate(rows, start=1):
        table.writerow([_cell(cell) for cell in row])
        if n % ROWS_PER_CHUNK == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def csv_response(
    name: str, today: date, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Stream:
    """A download `<name>-<YYYY-MM-DD>.csv` of `header` then `rows`, streamed as `rows`
    come (iterated in a worker thread: a service's `Export` reads the database there)."""
    filename = f"{name}-{today.isoformat()}.csv"
    return Stream(
        _chunks(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
