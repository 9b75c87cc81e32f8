"""Liveness and readiness, for load balancers and orchestrators (no authentication)."""

from typing import Any

from litestar import Response, get
from litestar.datastructures import State
from sqlalchemy import text


@get("/health/live", sync_to_thread=False, tags=["operations"], security=[{}])
def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@get("/health/ready", sync_to_thread=True, tags=["operations"], security=[{}])
def ready(state: State) -> Response[dict[str, Any]]:
    """The database answers; 503 otherwise, so a balancer stops routing here."""
    try:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not ready"; the reason is reported
        return Response(
            {"status": "unavailable", "database": type(error).__name__}, status_code=503
        )
    return Response({"status": "ok", "database": "ok"})


HANDLERS = [live, ready]
