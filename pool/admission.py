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


@dataclass(frozen=True)
class GateStatus:
    slots: int
    in_use: int
    waiting: int
    oldest_wait_seconds: float
    saturated: bool


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
        self._waiters: deque[tuple[float, asyncio.Future[None]]] = deque()
        self._lock = threading.Lock()

    async def enter(self) -> None:
        """Take a slot, waiting in line if none is free; Overloaded past the limits."""
        with self._lock:
            if self._in_use < self.slots and not self._waiters:
                self._in_use += 1
                return
            if len(self._waiters) >= self.max_queue:
                raise Overloaded("the service is at capacity; try again shortly")
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            entry = (time.monotonic(), future)
            self._waiters.append(entry)
        try:
            await asyncio.wait_for(asyncio.shield(future), self.max_wait)
        except TimeoutError:
            with self._lock:
                if entry in self._waiters:  # still in line: leave it
                    self._waiters.remove(entry)
                    raise Overloaded(
                        "the database is busy; no capacity within "
                        f"{self.max_wait:g} s, try again shortly"
                    ) from None
            # the slot was handed over just as the wait ran out: keep it
        except BaseException:
            with self._lock:
                if entry in self._waiters:
                    self._waiters.remove(entry)
                    raise
            self.leave()  # handed over, but this request is gone (cancelled): pass it on
            raise

    def leave(self) -> None:
        """Give the slot back, to the first request in line if there is one."""
        with self._lock:
            while self._waiters:
                _, future = self._waiters.popleft()
                if _hand_over(future):
                    return  # the slot passes on; in_use stays the same
            self._in_use -= 1

    def status(self) -> GateStatus:
        with self._lock:
            oldest = time.monotonic() - self._waiters[0][0] if self._waiters else 0.0
            return GateStatus(
                slots=self.slots,
                in_use=self._in_use,
                waiting=len(self._waiters),
                oldest_wait_seconds=round(oldest, 3),
                saturated=oldest > self.saturated_after,
            )


def _hand_over(future: asyncio.Future[None]) -> bool:
    """Wake a waiter on its own loop; False if it is already gone."""
    if future.done():
        return False
    loop = future.get_loop()
    if loop.is_closed():
        return False

    def wake() -> None:
        if not future.done():
            future.set_result(None)

    loop.call_soon_threadsafe(wake)
    return True
