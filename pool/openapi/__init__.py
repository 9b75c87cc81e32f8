"""The OpenAPI document tells the whole truth: every operation lists every status it can
answer, errors as one `ProblemDetails` schema (`application/problem+json`).

The error responses are not written on each handler: `install` gives each documented handler
those of its kind of operation (`kinds`), keeps any a handler declares itself (the login's 401
and 429, say), then builds the document once and finishes what Litestar cannot be told
(`document`)."""

from litestar import Litestar
from litestar.routes import HTTPRoute

from pool.openapi.document import REQUEST_BODY_MEDIA_TYPE, RESPONSE_MEDIA_TYPES, finish
from pool.openapi.kinds import OWN_ACCOUNT, Kind
from pool.openapi.problem import MEDIA_TYPE, FieldProblem, ProblemDetails, problem_responses

__all__ = [
    "MEDIA_TYPE",
    "OWN_ACCOUNT",
    "REQUEST_BODY_MEDIA_TYPE",
    "RESPONSE_MEDIA_TYPES",
    "FieldProblem",
    "ProblemDetails",
    "install",
    "problem_responses",
]


def install(app: Litestar) -> None:
    """Declare every documented operation's error responses, then build the document (about
    0.4 s, once per app, before `settle_startup_objects`) and finish it."""
    operations = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema() or "OPTIONS" in handler.http_methods:
                continue
            kind = Kind.of(handler, route.path_parameters)
            own = dict(handler.responses or {})
            handler.responses = {**problem_responses(kind.error_statuses()), **own}
            operations.append((route.path_format, handler, kind))
    paths = app.openapi_schema.paths or {}
    for path, handler, kind in operations:
        for method in handler.http_methods:
            operation = getattr(paths[path], method.lower())
            finish(operation, handler, kind)
