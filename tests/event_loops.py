"""Coroutines run by tests, each on an event loop of its own in its own thread.

A test never calls asyncio.run in its own thread: a test client or the browser tests'
Playwright may hold a running loop there (Playwright's for the whole worker session, once a
browser test has run first), and asyncio.run refuses to start under a running loop."""

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def on_a_loop_of_its_own(work: Callable[[], Coroutine[Any, Any, T]], timeout: float = 30) -> T:
    """asyncio.run(work()) in a thread of its own; a hang past `timeout` fails the test."""
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(asyncio.run(work()))
        except BaseException as error:  # handed to the test's thread
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"{work.__qualname__} hung"
    if errors:
        raise errors[0]
    return result[0]
