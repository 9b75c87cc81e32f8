"""`OPTIONS` answers the methods a path has, all of them.

Litestar 2 builds a path's OPTIONS answer when the path's first handlers are registered, and
keeps it when later ones join the path: `/api/v1/agreements` said `OPTIONS, POST` though it
has GET too (litestar-org/litestar#4169, fixed in Litestar 3). 405 answers were right, as the
router knows every method (`pool.problems` sorts them the same way)."""

from collections.abc import Callable

from litestar import Litestar, Response
from litestar.enums import MediaType
from litestar.routes import HTTPRoute
from litestar.types import Scope


def complete_options(app: Litestar) -> None:
    """Give every path's own OPTIONS handler (Litestar's) the methods of the whole path."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"} and _litestars(handler.fn):
                # Litestar calls `_fn` (unit_of_work replaces it the same way), and calls a
                # sync one like its own (sync_to_thread=False) directly, typed async or not
                handler._fn = _answer(", ".join(sorted(route.methods)))  # type: ignore[assignment]


def _litestars(fn: object) -> bool:
    return getattr(fn, "__qualname__", "").startswith("HTTPRoute.create_options_handler")


def _answer(allow: str) -> Callable[[Scope], Response[None]]:
    def options_handler(scope: Scope) -> Response[None]:
        return Response(None, status_code=204, headers={"Allow": allow}, media_type=MediaType.TEXT)

    return options_handler
