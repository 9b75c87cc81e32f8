"""What `pybabel extract` reads in Python (babel.cfg names `extract` for pool/ and scheduler/):
the gettext calls and `N_` marks as usual, and the messages code raises to people.

A page shows a service's error translated when the catalogue has it (`| translate` on the
message of `pool.errors`' domain errors and their field errors), so every such message written
as literal text is a msgid: `DomainError("...")` and its subclasses, `InvalidInput.field(field,
"...")`, `FieldError("...")` or `FieldError(message="...")`, and the msgid of a message with
values, `rendering.Phrase("... %(name)s ...", name=...)` (translated, then filled in), also
when the literal is a module's constant given by name. Text built at run time (an f-string,
`+`, `%`, `.format`) cannot be looked up and would be shown as written: `built_messages` finds
it, and tests/web/test_i18n.py fails on any. Field names and other identifiers are not
messages. tests/web/test_i18n.py fails while any of them has no
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
    """(line, message) of each literal message given to an exception in `RAISED`, written
    where it is raised or as a module's constant (`NOT_FOUND = "deal not found"`)."""
    tree = ast.parse(source)
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (arguments := _message_arguments(node)):
            for argument in arguments:
                text = argument.value if isinstance(argument, ast.Constant) else None
                if isinstance(argument, ast.Name):
                    text = constants.get(argument.id)
                if isinstance(text, str) and " " in text.strip():  # a sentence, not a code
                    yield node.lineno, text


def built_messages(source: str) -> Iterator[tuple[int, str]]:
    """(line, code) of each message given to an exception in `RAISED` that is built at run
    time (an f-string, `+`, `%` or `.format`/`.join` on text): extraction cannot see it, so a
    page would show it untranslated. Values go into a `Phrase` instead."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for argument in _message_arguments(node):
                if _built(argument) and not _summary(node, argument):
                    yield node.lineno, ast.unparse(argument)


def _summary(call: ast.Call, argument: ast.expr) -> bool:
    """`InvalidInput(detail, faults)`'s detail sums up its listed faults for the API; a page
    shows the faults, each a message of its own."""
    function = call.func
    name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
    faults = call.args[1] if name == "InvalidInput" and len(call.args) > 1 else None
    empty = isinstance(faults, ast.List) and not faults.elts
    return faults is not None and argument is call.args[0] and not empty


def _built(node: ast.expr) -> bool:
    if isinstance(node, ast.IfExp):
        return _built(node.body) or _built(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join")
    return isinstance(node, ast.JoinedStr | ast.BinOp)


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
