"""What every all-or-nothing CSV upload shares: decoding and checking the header line.

Line numbers are those a spreadsheet shows: the header is line 1."""

from pool.errors import FieldError, InvalidInput
from pool.rendering import Phrase

OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
# what the line says, one whole sentence each, so that it reads in the page's language
SEPARATED_BY = {
    ";": FieldError("fields separated by semicolons, not commas", line=1),
    "\t": FieldError("fields separated by tabs, not commas", line=1),
    "|": FieldError("fields separated by vertical bars, not commas", line=1),
}


def decode(content: bytes) -> str:
    """UTF-8, with or without the byte-order mark spreadsheets write."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            "the file is not UTF-8 text",
            [FieldError(message=Phrase("not UTF-8 at byte %(start)s", start=error.start), line=1)],
        ) from error


def data_lines(content: bytes) -> int:
    """About how many data lines a file has, without parsing it (a quoted line break counts
    twice): enough to tell a large file and to show progress."""
    return max(content.count(b"\n") + (not content.endswith(b"\n")) - 1, 0)


def _wrong_delimiter(header: list[str]) -> None:
    if len(header) != 1:
        return
    for delimiter, name in OTHER_DELIMITERS.items():
        if delimiter in header[0]:
            raise InvalidInput(
                f"the file is separated by {name}; separate fields by commas",
                [SEPARATED_BY[delimiter]],
            )


def check_header(
    header: list[str] | None, *, required: tuple[str, ...], optional: tuple[str, ...]
) -> list[str]:
    """The column names, lower-cased; every unknown, missing or repeated column is reported."""
    if not header or not any(h.strip() for h in header):
        raise InvalidInput("the file is empty", [FieldError(message="no header line", line=1)])
    _wrong_delimiter(header)
    names = [h.strip().lower() for h in header]
    errors = [
        FieldError(message="unknown column", line=1, column=n)
        for n in names
        if n not in required + optional
    ]
    errors += [
        FieldError(message="required column missing", line=1, column=n)
        for n in required
        if n not in names
    ]
    errors += [
        FieldError(message="column given twice", line=1, column=n)
        for n in sorted({n for n in names if names.count(n) > 1})
    ]
    if errors:
        raise InvalidInput("the header is not valid", errors)
    return names
