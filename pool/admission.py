"""How many requests may use the database at once, and what the others do meanwhile.

A request that touches the database takes one *slot* before its first query and gives it back
after its commit. There are as many slots as pooled connections, so a request that holds a
slot always finds a connection at once, and the threads that run handlers never sit blocked
waiting for one (which is how 50 readers once starved the few threads that would have given
connections back). Requests without a slot wait here, on the event loop, in arrival order,
holding no thread and no connection: up to `max_wait` seconds and `max_queue` requests deep;
past either they are answered 503 with Retry-After instead of hanging.

`saturated` is what `/health/ready` reports to a load balancer: the oldest waiting request
has waited longer than `saturated_after` seconds."""

import asyncio
import threading
import time
from collections import deque
from dataclasses import dataclass

from pool.errors import Overloaded
from pool.rendering import Phrase


@dataclass(frozen=True)
class GateStatus:
    slots: int
    in_use: int
    waiting: int
    oldest_wait_seconds: float
    saturated: bool


class _Waiter:
    """A request in line: woken with a slot (`handed`), or told the wait ran out (`expired`)."""

    __slots__ = ("future", "since", "state")

    def __init__(self, future: "asyncio.Future[None]") -> None:
        self.future = future
        self.since = time.monotonic()
        self.state = "waiting"


class AdmissionGate:
    """A FIFO counting gate that any event loop may use (tests run several); its own state
    is guarded by a lock, waiters are woken on their own loop."""

    def __init__(
        self, slots: int, *, max_wait: float, max_queue: int, saturated_after: float
    ) -> None:
        if slots < 1:
            raise ValueError("an admission gate needs at least one slot")
        self.slots = slots
        self.max_wait = max_wait
        self.max_queue = max_queue
        self.saturated_after = saturated_after
        self._in_use = 0
        self._waiters: deque[_Waiter] = deque()
        self._lock = threading.Lock()

    async def enter(self) -> None:
        """Take a slot, waiting in line if none is free; Overloaded past the limits.

        A wait costs one future and one timer: it is on the path of every read that queues
        for a connection (pool.loop_reads), many thousand times a second under load."""
        with self._lock:
            if self._in_use < self.slots and not self._waiters:
                self._in_use += 1
                return
            if len(self._waiters) >= self.max_queue:
                raise Overloaded("the service is at capacity; try again shortly")
            loop = asyncio.get_running_loop()
            waiter = _Waiter(loop.create_future())
            self._waiters.append(waiter)
        timer = loop.call_later(self.max_wait, self._expire, waiter)
        try:
            await waiter.future
        except BaseException:
            with self._lock:
                state = waiter.state
                if state == "waiting":  # cancelled in line: leave it
                    self._waiters.remove(waiter)
            if state == "handed":  # handed a slot, but this request is gone: pass it on
                self.leave()
            raise
        finally:
            timer.cancel()

    def _expire(self, waiter: _Waiter) -> None:
        with self._lock:
            if waiter.state != "waiting":
                return  # handed a slot just in time: keep it
            waiter.state = "expired"
            self._waiters.remove(waiter)
        if not waiter.future.done():
            waiter.future.set_exception(
                Overloaded(
                    Phrase(
                        "the database is busy; no capacity within %(seconds)s s, try again shortly",
                        seconds=f"{self.max_wait:g}",
                    )
                )
            )

    def leave(self) -> None:
        """Give the slot back, to the first request in line if there is one."""
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if _hand_over(waiter.future):
                    waiter.state = "handed"
                    return  # the slot passes on; in_use stays the same
                waiter.state = "gone"
            self._in_use -= 1

    def status(self) -> GateStatus:
        with self._lock:
            oldest = time.monotonic() - self._waiters[0].since if self._waiters else 0.0
            return GateStatus(
                slots=self.slots,
                in_use=self._in_use,
                waiting=len(self._waiters),
                oldest_wait_seconds=round(oldest, 3),
                saturated=oldest > self.saturated_after,
            )


def _hand_over(future: asyncio.Future[None]) -> bool:
    """Wake a waiter on its own loop; False if it is already gone. On the caller's own loop
    (the service: one loop per process) at once; from another thread through that loop's
    wake-up pipe (tests run servers on loops of their own)."""
    if future.done():
        return False
    loop = future.get_loop()
    if loop.is_closed():
        return False
    if _running_loop() is loop:
        future.set_result(None)
        return True

    def wake() -> None:
        if not future.done():
            future.set_result(None)

    loop.call_soon_threadsafe(wake)
    return True


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # a worker thread (a handler's slot handed back when it finished)
        return None
