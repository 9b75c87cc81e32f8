"""A refused CSV upload's bad lines, laid out for a page: each bad line shown with the file's
own cells (the bad ones marked) under the file's header, and the service's faults next to it.

The usage report page shows them for an upload refused in the request, and a background
task's page for one refused by the task (which keeps the records in its JSON result); both
render `templates/web/licensee/_csv_faults.html.j2`.
"""

import csv
import io
from dataclasses import dataclass
from typing import Any

from pool.errors import FieldError
from pool.rendering import kept_message

SHOWN_LINES = 100  # bad CSV lines shown with their data; the count says how many more


@dataclass(frozen=True)
class Cell:
    text: str
    bad: bool


@dataclass(frozen=True)
class BadLine:
    line: int
    cells: list[Cell]
    faults: list[tuple[str, str]]  # (column, message); column "" for the whole line


@dataclass(frozen=True)
class CsvFaults:
    header: list[str]
    lines: list[BadLine]
    count: int  # every fault the service listed
    more_lines: int  # bad lines not shown here


def csv_faults(content: bytes, errors: list[FieldError]) -> CsvFaults:
    """The service's faults by line, each bad line shown with the file's own cells (the bad
    ones marked) under the file's header. Line numbers are the service's: header = 1."""
    return faults_from(csv_records(content, errors), [error.as_dict() for error in errors])


def csv_records(content: bytes, errors: list[FieldError]) -> dict[str, list[str]]:
    """The header and the cells of the bad lines shown, by line number (as text, so that a
    background task can keep them in its JSON result)."""
    shown = sorted({error.line for error in errors if error.line is not None})[:SHOWN_LINES]
    return {str(number): cells for number, cells in _records(content, set(shown)).items()}


def faults_from(records: dict[str, list[str]], errors: list[dict[str, Any]]) -> CsvFaults:
    """`csv_faults` from the kept records and the faults as `FieldError.as_dict()` gave them."""
    by_line: dict[int, list[dict[str, Any]]] = {}
    for error in errors:
        if error.get("line") is not None:
            by_line.setdefault(int(error["line"]), []).append(error)
    shown = sorted(by_line)[:SHOWN_LINES]
    header = records.get("1", [])
    names = [name.strip().lower() for name in header]
    lines = []
    for number in shown:
        cells = records.get(str(number), [])
        bad = {error.get("column") for error in by_line[number] if error.get("column")}
        lines.append(
            BadLine(
                line=number,
                cells=[
                    Cell(text, index < len(names) and names[index] in bad)
                    for index, text in enumerate(cells)
                ],
                faults=[
                    (error.get("column") or "", kept_message(error)) for error in by_line[number]
                ],
            )
        )
    return CsvFaults(header, lines, len(errors), len(by_line) - len(shown))


def _records(content: bytes, wanted: set[int]) -> dict[int, list[str]]:
    """The header and the wanted records, numbered as `reports.csv_import.parse` numbers them."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    last = max(wanted | {1})
    found: dict[int, list[str]] = {}
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number == 1 or number in wanted:
                found[number] = values
            if number >= last:
                break
    except csv.Error:
        pass  # shown as far as it reads; the faults are listed anyway
    return found
