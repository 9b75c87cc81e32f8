"""Everything the app factory adds for the web portal, in one place."""

import logging
from dataclasses import dataclass
from pathlib import Path

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp, ExceptionHandlersMap
from sqlalchemy.exc import SQLAlchemyError

from pool.dependencies import provide_viewer, provide_web_principal
from pool.services import tasks
from pool.settings import Settings
from pool.web import errors, security
from pool.web.handlers import HANDLERS

log = logging.getLogger("patentpool.tasks")
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@dataclass(frozen=True)
class Portal:
    routers: list[Router]
    csrf: CSRFConfig

    def exception_handlers(self, api: ExceptionHandlersMap) -> ExceptionHandlersMap:
        """The API's handlers, answering web paths with HTML pages."""
        return errors.exception_handlers(api, self.csrf.secret)

    @staticmethod
    def wrap(app: ASGIApp) -> ASGIApp:
        return security.secure_headers_middleware(app)

    @staticmethod
    def start_tasks(app: Litestar) -> None:
        """On startup: tasks a restart interrupted are failed; the worker pool starts
        (`app.state.tasks`, see docs/web.md, "Background tasks")."""
        try:
            tasks.recover_interrupted(app.state.engine, now=app.state.clock())
        except SQLAlchemyError:  # no database yet: the service still starts (see /health)
            log.exception("could not mark interrupted background tasks")
        app.state.tasks = tasks.TaskRunner(app.state.engine, app.state.clock)

    @staticmethod
    def stop_tasks(app: Litestar) -> None:
        """On shutdown, before the engine goes: wait for the running tasks."""
        runner: tasks.TaskRunner | None = app.state.get("tasks")
        if runner is not None:
            runner.shutdown()


def portal(settings: Settings) -> Portal:
    """Pages at `/` (the caller comes from the session cookie, never a bearer token) and the
    packaged static files at `/static`."""
    pages = Router(
        path="/",
        route_handlers=list(HANDLERS),
        dependencies={
            "viewer": Provide(provide_viewer),
            "principal": Provide(provide_web_principal, sync_to_thread=False),
        },
        include_in_schema=False,
    )
    static = create_static_files_router(
        path="/static",
        directories=[STATIC_DIR],
        cache_control=CacheControlHeader(max_age=3600),
        include_in_schema=False,
    )
    return Portal(routers=[pages, static], csrf=security.csrf_config(settings))
