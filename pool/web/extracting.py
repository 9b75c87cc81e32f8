"""What `pybabel extract` reads in Python (babel.cfg names `extract` for pool/ and scheduler/):
the gettext calls and `N_` marks as usual, and the messages code raises to people.

A page shows a service's error translated when the catalogue has it (`| translate` on the
message of `pool.errors`' domain errors and their field errors), so every such message written
as literal text is a msgid: `DomainError("...")` and its subclasses, `InvalidInput.field(field,
"...")`, `FieldError("...")` or `FieldError(message="...")`, and the msgid of a message with
values, `rendering.Phrase("... %(name)s ...", name=...)` (translated, then filled in). Text
built at run time (an f-string) cannot be looked up and is shown as written; field names and
other identifiers are not messages. tests/web/test_i18n.py fails while any of them has no
Chinese translation.
"""

import ast
from collections.abc import Iterator
from typing import IO, Any

from babel.messages.extract import extract_python

import pool.errors

# the exceptions whose message a page shows (pool.problems maps the same ones for the API)
RAISED = frozenset(
    name
    for name, value in vars(pool.errors).items()
    if isinstance(value, type) and issubclass(value, pool.errors.DomainError)
) | {"FieldError", "KeyNotHeld"}

Extracted = tuple[Any, ...]  # (line, function, message or messages, comments)


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[Extracted]:
    """babel's Python extraction, then each raised message written as a literal."""
    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, message in raised_messages(source):
        yield line, "", message, []


def raised_messages(source: str) -> Iterator[tuple[int, str]]:
    """(line, message) of each literal message given to an exception in `RAISED`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and (arguments := _message_arguments(node)):
            for argument in arguments:
                text = argument.value if isinstance(argument, ast.Constant) else None
                if isinstance(text, str) and " " in text.strip():  # a sentence, not a code
                    yield node.lineno, text


def _message_arguments(call: ast.Call) -> list[ast.expr]:
    function = call.func
    keywords = [k.value for k in call.keywords if k.arg in ("detail", "message")]
    if isinstance(function, ast.Name) and function.id == "Phrase":  # a message with values
        return call.args[:1]
    if isinstance(function, ast.Name) and function.id in RAISED:
        return call.args[:1] + keywords
    if (
        isinstance(function, ast.Attribute)
        and function.attr == "field"
        and isinstance(function.value, ast.Name)
        and function.value.id in RAISED
    ):
        return call.args[1:2] + keywords
    if isinstance(function, ast.Attribute) and function.attr in RAISED:  # errors.NotFound(...)
        return call.args[:1] + keywords
    return []
