"""Turn pydantic validation errors into domain errors that name the JSON path at fault."""

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contracts.errors import ContractsError, Problem

M = TypeVar("M", bound=BaseModel)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(location: Sequence[str | int]) -> str:
    """Format a location as a JSON path: ``("lines", 2, "units")`` -> ``$.lines[2].units``."""
    parts = ["$"]
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            parts.append(f".{part}")
        else:
            parts.append(f"[{part!r}]")
    return "".join(parts)


def _problem(error: Any) -> Problem:
    location = tuple(error["loc"]) + tuple(error.get("ctx", {}).get("subpath", ()))
    return json_path(location), str(error["msg"])


def domain_error(exc: ValidationError, error: type[ContractsError]) -> ContractsError:
    """Convert every pydantic error into one domain error listing all problems."""
    problems = tuple(_problem(item) for item in exc.errors())
    path, message = problems[0]
    return error(path, message, problems=problems)


def load(model: type[M], data: object, error: type[ContractsError]) -> M:
    """Validate `data` (a JSON text, bytes, or Python mapping) as `model`.

    Raises `error` (a `ContractsError` subclass) carrying the path of every bad field.
    """
    try:
        if isinstance(data, str | bytes):
            return model.model_validate_json(data)
        return model.model_validate(data)
    except ValidationError as exc:
        raise domain_error(exc, error) from exc
