"""Liveness and readiness, for load balancers and orchestrators (no authentication)."""

import dataclasses
from typing import Any

from litestar import Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec

from pool.admission import AdmissionGate
from pool.db import ping
from pool.loop_reads import LoopReader


@get("/health/live", sync_to_thread=False, tags=["operations"], security=[{}])
def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


NOT_READY = {
    503: ResponseSpec(
        dict[str, Any],
        description="`unavailable` (the database does not answer) or `saturated` (requests are "
        "queueing for it; `Retry-After`), with the instance's capacity",
        generate_examples=False,
    )
}


@get("/health/ready", sync_to_thread=True, tags=["operations"], security=[{}], responses=NOT_READY)
def ready(state: State) -> Response[dict[str, Any]]:
    """The database answers and requests are not queueing for it; 503 otherwise, so a
    balancer stops routing here. Never waits for a request slot (it would be saturated
    too), and its connection comes from the engine's spare ones."""
    gate: AdmissionGate = state.gate
    capacity = dataclasses.asdict(gate.status())
    reads: LoopReader = state.loop_reads
    reads_status = reads.status()  # the event loop's read connections (PostgreSQL)
    capacity["reads"] = dataclasses.asdict(reads_status) if reads_status else None
    saturated = capacity["saturated"] or bool(reads_status and reads_status.saturated)
    try:
        ping(state.engine)
    except Exception as error:  # any failure means "not ready"; the reason is reported
        return Response(
            {"status": "unavailable", "database": type(error).__name__, "capacity": capacity},
            status_code=503,
        )
    if saturated:
        return Response(
            {"status": "saturated", "database": "ok", "capacity": capacity},
            status_code=503,
            headers={"Retry-After": "1"},
        )
    return Response({"status": "ok", "database": "ok", "capacity": capacity})


HANDLERS = [live, ready]
