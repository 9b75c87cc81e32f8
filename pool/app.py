"""The Litestar application factory. Nothing is built at import time."""

import gc
from typing import Any

from argon2 import PasswordHasher
from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from sqlalchemy import Engine

from pool import openapi, unit_of_work
from pool.admission import AdmissionGate
from pool.bounds import BoundedRequest
from pool.clock import Clock, system_clock
from pool.controllers import API_CONTROLLERS, health
from pool.db import engine_for
from pool.dependencies import (
    provide_db,
    provide_hasher,
    provide_now,
    provide_principal,
    provide_reads,
    provide_settings,
)
from pool.logs import request_id_middleware
from pool.loop_reads import open_loop_reader
from pool.problems import EXCEPTION_HANDLERS
from pool.services import accounts
from pool.services.common import lifeline
from pool.settings import Settings
from pool.transport import transport_headers_middleware
from pool.web.portal import portal

API_PREFIX = "/api/v1"
# A worker process of `serve --workers N` whose supervisor is gone (killed with SIGKILL, say)
# shuts down gracefully, and is ended this many seconds later if it has not
# (pool.services.common.lifeline).
ORPHAN_GRACE_SECONDS = 10.0


def _openapi(docs: openapi.Documentation) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="patentpool API",
        version="1",
        description="An implementation-driven patent pool. Errors are RFC 9457 problem details.",
        openapi_router=docs.router,  # at /schema
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(
                    type="http", scheme="bearer", description="login or API token"
                ),
            }
        ),
        security=[{"bearer": []}],
    )


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, clock: Clock | None = None
) -> Litestar:
    """Build the app. Tests and the CLI pass their own engine and clock."""
    settings = settings or Settings.from_env()
    owns_engine = engine is None
    engine = engine or engine_for(settings)
    api = Router(path=API_PREFIX, route_handlers=list(API_CONTROLLERS))
    docs = openapi.Documentation("/schema")
    web = portal(settings)  # pages at /, static files at /static (see docs/web.md)

    async def close_loop_reads(app: Litestar) -> None:
        await app.state.loop_reads.close()

    def dispose_engine(app: Litestar) -> None:
        """Close the pool on shutdown, unless the caller passed the engine in and owns it."""
        if owns_engine:
            engine.dispose()

    app = Litestar(
        route_handlers=[api, *health.HANDLERS, *web.routers],
        dependencies={
            "db": Provide(provide_db),
            "now": Provide(provide_now, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
            "hasher": Provide(provide_hasher, sync_to_thread=False),
            "principal": Provide(provide_principal, sync_to_thread=False),
            "reads": Provide(provide_reads, sync_to_thread=False),
        },
        state=State(app_state(settings, engine, clock or system_clock)),
        exception_handlers=web.exception_handlers(EXCEPTION_HANDLERS),
        csrf_config=web.csrf,
        openapi_config=_openapi(docs),
        request_max_body_size=settings.max_upload_bytes,
        request_class=BoundedRequest,  # JSON bodies nested too deep are refused (pool.bounds)
        on_startup=[web.start_tasks],
        on_shutdown=[web.stop_tasks, close_loop_reads, dispose_engine],
        logging_config=None,
        debug=False,
    )
    docs.install(app)  # every operation's errors, by its kind (pool.openapi)
    openapi.complete_options(app)  # OPTIONS lists every method of a path, not the first ones
    unit_of_work.install(app, api_prefix=API_PREFIX)
    # Outermost, so that unmatched routes (404/405) get a request id, an access line and the
    # transport's headers too.
    app.asgi_handler = request_id_middleware(
        transport_headers_middleware(web.wrap(app.asgi_handler))
    )
    return app


def app_state(settings: Settings, engine: Engine, clock: Clock) -> dict[str, Any]:
    """What requests read from `app.state`: everything that depends on the settings, the
    database and the clock once the routes are built. The test suite builds one app per worker
    and gives each test its own state (its database, clock and data directory)."""
    return {
        "engine": engine,
        "settings": settings,
        "clock": clock,
        "hasher": hasher(settings),
        "gate": admission_gate(settings),
        "loop_reads": open_loop_reader(engine, settings),
    }


def hasher(settings: Settings) -> PasswordHasher:
    """The password hasher, with the dummy hash an unknown e-mail is checked against made now,
    so the first such login costs what the later ones do."""
    made = accounts.password_hasher(settings)
    accounts.dummy_hash(made)
    return made


def admission_gate(settings: Settings) -> AdmissionGate:
    """As many requests at the database at once as the engine pools connections for them."""
    return AdmissionGate(
        settings.db_slots,
        max_wait=settings.db_wait_seconds,
        max_queue=settings.db_queue_max,
        saturated_after=settings.saturated_after_seconds,
    )


def app_from_env() -> Any:
    """Entry point for an ASGI server: `uvicorn --factory pool.app:app_from_env` (give it the
    options `patentpool serve` gives uvicorn, `pool.cli.server_options`: uvicorn alone trusts
    X-Forwarded-For from 127.0.0.1 and names itself in a `Server` header).

    In a worker process of `serve --workers N` (uvicorn starts them with `multiprocessing`),
    the process stops when its supervisor is gone, rather than serving on as an orphan that
    nothing restarts or stops, holding the port (`pool.services.common.lifeline`)."""
    lifeline.watch_parent(lifeline.graceful_then_exit(ORPHAN_GRACE_SECONDS))
    app = create_app()
    settle_startup_objects()
    return app


def settle_startup_objects() -> None:
    """Move everything built at startup (the routes, their signature models, the OpenAPI
    schema, the templates: some 175,000 objects that live as long as the process)
    out of the garbage collector's sight. Otherwise every full collection walks them all while
    requests wait: that pause was the tail of a read under load (one worker, 50 connections,
    SQLite: p99 48 ms with it, 23 ms without, the same p50; docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()
