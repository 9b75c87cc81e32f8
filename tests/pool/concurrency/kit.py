"""Real concurrency: the app under uvicorn, a burst of real HTTP requests from real threads,
and a hard deadline, so a deadlock fails the test instead of hanging the suite."""

import asyncio
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

import httpx
from litestar import Litestar
from sqlalchemy import Engine

from pool.app import create_app
from pool.settings import Settings
from tests.conftest import FakeClock
from tests.live_server import serving

DEADLINE_SECONDS = 60  # far beyond a correct run; only a hang gets near it

Call = Callable[[httpx.Client], httpx.Response]


def _few_threads(app: Litestar, threads: int) -> None:
    """Litestar runs sync handlers (and once ran generator dependencies' cleanup) on the
    event loop's default executor: shrink it, so a pile-up that needs more threads than
    there are shows at a handful of requests."""

    def shrink() -> None:
        pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="few")
        asyncio.get_running_loop().set_default_executor(pool)

    app.on_startup.append(shrink)


@contextmanager
def live_app(
    settings: Settings,
    engine: Engine,
    clock: FakeClock,
    *,
    threads: int | None = None,
    **limits: Any,
) -> Iterator[str]:
    """The app with `limits` (Settings fields such as db_slots) on a free port."""
    app = create_app(settings=dataclasses.replace(settings, **limits), engine=engine, clock=clock)
    if threads is not None:
        _few_threads(app, threads)
    with serving(app) as url:
        yield url


def burst(url: str, calls: Sequence[Call]) -> list[httpx.Response]:
    """Send every call at once, one thread each; all must be answered before the deadline."""
    with (
        httpx.Client(base_url=url, timeout=DEADLINE_SECONDS) as client,
        ThreadPoolExecutor(max_workers=len(calls)) as threads,
    ):
        futures = [threads.submit(call, client) for call in calls]
        _, pending = wait(futures, timeout=DEADLINE_SECONDS)
        if pending:
            raise AssertionError(
                f"{len(pending)} of {len(calls)} requests unanswered after "
                f"{DEADLINE_SECONDS} s: the service hangs"
            )
        return [f.result() for f in futures]


def statuses(responses: Sequence[httpx.Response]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for r in responses:
        counts[r.status_code] = counts.get(r.status_code, 0) + 1
    return counts


def get_as(path: str, headers: dict[str, str]) -> Call:
    """A GET of `path` with the caller's headers, as a call for `burst`."""
    return lambda client: client.get(path, headers=headers)


def assert_told_to_retry(responses: Sequence[httpx.Response]) -> None:
    """Some answered, the rest refused with 503, `Retry-After` and a problem document: an
    overload is answered, never hung or failed."""
    counts = statuses(responses)
    assert set(counts) <= {200, 503}, counts
    assert counts.get(200, 0) >= 1
    for refused in (r for r in responses if r.status_code == 503):
        assert refused.headers["retry-after"] == "1"
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["status"] == 503
