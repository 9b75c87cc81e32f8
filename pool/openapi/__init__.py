"""The OpenAPI document tells the whole truth: every operation lists every status it can
answer, errors as one `ProblemDetails` schema (`application/problem+json`).

The error responses are not written on each handler: `Documentation.install` gives each
documented handler those of its kind of operation (`kinds`), keeping any it declares itself
(the login's 401 and 429, say). The document is built when first asked for, as Litestar does
(it takes about 0.4 s), and finished then, once, in one place (`document`)."""

from typing import Any

from litestar import Litestar, Request, Router
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from pool.openapi.document import REQUEST_BODY_MEDIA_TYPE, RESPONSE_MEDIA_TYPES, finish
from pool.openapi.kinds import OWN_ACCOUNT, Kind
from pool.openapi.methods import complete_options
from pool.openapi.problem import MEDIA_TYPE, FieldProblem, ProblemDetails, problem_responses

__all__ = [
    "MEDIA_TYPE",
    "OWN_ACCOUNT",
    "REQUEST_BODY_MEDIA_TYPE",
    "RESPONSE_MEDIA_TYPES",
    "Documentation",
    "FieldProblem",
    "ProblemDetails",
    "complete_options",
    "problem_responses",
]


class Documentation:
    """One app's OpenAPI document: `router` serves it (give it to the `OpenAPIConfig`),
    `install` declares the errors once the app's routes exist."""

    def __init__(self, path: str) -> None:
        # A function (Litestar deep-copies a bound method's self), and a coroutine, so that it
        # runs on the event loop, not in a thread: no two requests ever finish it at once.
        async def before_request(request: Request[Any, Any, Any]) -> None:
            self._finish_once(request)

        self.router = Router(
            path, route_handlers=[], include_in_schema=False, before_request=before_request
        )
        self._operations: list[tuple[str, HTTPRouteHandler, Kind]] = []
        self._finished = False

    def install(self, app: Litestar) -> None:
        """Give every documented operation the error responses of its kind."""
        for route in app.routes:
            if not isinstance(route, HTTPRoute):
                continue
            for handler in route.route_handlers:
                if not handler.resolve_include_in_schema() or "OPTIONS" in handler.http_methods:
                    continue
                kind = Kind.of(handler, route.path_parameters)
                own = dict(handler.responses or {})
                handler.responses = {**problem_responses(kind.error_statuses()), **own}
                self._operations.append((route.path_format, handler, kind))

    def _finish_once(self, request: Request[Any, Any, Any]) -> None:
        """Before the first answer under the documentation's path: build the document and
        finish it (on the event loop, as Litestar's own handler would build it)."""
        if self._finished:
            return
        paths = request.app.openapi_schema.paths or {}
        for path, handler, kind in self._operations:
            for method in handler.http_methods:
                finish(getattr(paths[path], method.lower()), handler, kind)
        self._finished = True
