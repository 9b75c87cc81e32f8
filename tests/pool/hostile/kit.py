"""What the hostile tests share: the app's routes with their integer parameters, URLs that put
a value in every integer path parameter, and a snapshot of the whole database."""

import re
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.enums import ParamType
from litestar.params import ParameterKwarg
from litestar.routes import HTTPRoute
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

MAX_INT64 = 2**63 - 1  # the largest integer SQLite and PostgreSQL hold
TOO_BIG = MAX_INT64 + 1  # the value: OverflowError on SQLite
MAX_ID = 2**31 - 1  # ids are `integer` columns: 32 bits on PostgreSQL
INT_PARAM = re.compile(r"\{(\w+):int\}")
STR_PARAM = re.compile(r"\{(\w+):str\}")


@dataclass(frozen=True)
class IntParam:
    path: str  # the route's path template, e.g. /api/v1/pools/{pool_id:int}
    method: str
    name: str
    source: str  # "path" or "query"
    ge: float | None
    le: float | None
    handler: str


def _ints(annotation: Any, inner: list[Any]) -> bool:
    return annotation is int or int in inner


def integer_params(app: Litestar) -> list[IntParam]:
    """Every integer path or query parameter of every handler, with its declared bounds. A
    path parameter the handler does not declare is listed with no bounds."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            methods = sorted(m for m in handler.http_methods if m not in ("OPTIONS", "HEAD"))
            if not methods:
                continue
            fields = handler.parsed_fn_signature.parameters
            in_path = set(INT_PARAM.findall(route.path))
            for name in in_path - set(fields):  # parsed by the router, never validated
                found.append(IntParam(route.path, methods[0], name, "path", None, None, ""))
            for name, field in fields.items():
                inner = [t.annotation for t in field.inner_types] if field.is_union else []
                if not _ints(field.annotation, inner):
                    continue
                kwarg = field.kwarg_definition
                declared = kwarg if isinstance(kwarg, ParameterKwarg) else None
                source = "path" if name in in_path else declared.param_type if declared else "query"
                if source not in (ParamType.PATH, ParamType.QUERY):
                    continue
                found.append(
                    IntParam(
                        path=route.path,
                        method=methods[0],
                        name=(declared.name if declared else None) or name,
                        source=str(ParamType(source).value),
                        ge=declared.ge if declared else None,
                        le=declared.le if declared else None,
                        handler=str(handler),
                    )
                )
    return found


def url_for(path: str, value: object = 1) -> str:
    """The route's path with `value` in every integer parameter (and `pdf` in a string one)."""
    return STR_PARAM.sub("pdf", INT_PARAM.sub(str(value), path))


def database_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order: equal before and after a refusal."""
    state = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            state[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return state
