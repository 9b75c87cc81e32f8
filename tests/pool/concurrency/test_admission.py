"""The admission gate on its own: slots in arrival order, bounded waits, a bounded queue, and
the saturation a load balancer reads from /health/ready."""

import asyncio
import threading

import pytest
from litestar.testing import TestClient

from pool.admission import AdmissionGate
from pool.errors import Overloaded
from tests.event_loops import on_a_loop_of_its_own


def gate(
    slots: int = 1, *, max_wait: float = 5.0, max_queue: int = 100, saturated_after: float = 10.0
) -> AdmissionGate:
    return AdmissionGate(
        slots, max_wait=max_wait, max_queue=max_queue, saturated_after=saturated_after
    )


def test_requests_beyond_the_slots_wait_their_turn_in_arrival_order() -> None:
    g = gate(slots=2)
    order: list[int] = []

    async def request(n: int) -> None:
        await g.enter()
        order.append(n)
        await asyncio.sleep(0.01)
        g.leave()

    async def main() -> None:
        tasks = []
        for n in range(8):
            tasks.append(asyncio.create_task(request(n)))
            await asyncio.sleep(0)  # arrive one after another
        await asyncio.gather(*tasks)

    on_a_loop_of_its_own(main)
    assert order == list(range(8))
    assert g.status().in_use == 0
    assert g.status().waiting == 0


def test_a_wait_past_its_bound_is_overloaded_and_leaves_the_line() -> None:
    g = gate(slots=1, max_wait=0.05)

    async def main() -> None:
        await g.enter()
        with pytest.raises(Overloaded) as refused:
            await g.enter()
        assert refused.value.status_code == 503
        assert refused.value.retry_after_seconds >= 1
        assert g.status().waiting == 0
        g.leave()
        await g.enter()  # the slot is free again
        g.leave()

    on_a_loop_of_its_own(main)
    assert g.status().in_use == 0


def test_a_full_queue_refuses_at_once() -> None:
    g = gate(slots=1, max_queue=1)

    async def main() -> None:
        await g.enter()
        waiting = asyncio.create_task(g.enter())
        await asyncio.sleep(0.01)
        with pytest.raises(Overloaded):
            await g.enter()
        g.leave()  # hands the slot to the one in line
        await waiting
        g.leave()

    on_a_loop_of_its_own(main)
    assert g.status().in_use == 0


def test_a_cancelled_waiter_gives_up_its_place_and_never_leaks_a_slot() -> None:
    g = gate(slots=1)

    async def main() -> None:
        await g.enter()
        waiting = asyncio.create_task(g.enter())
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        g.leave()

    on_a_loop_of_its_own(main)
    assert (g.status().in_use, g.status().waiting) == (0, 0)


def test_saturated_once_the_oldest_request_has_waited_too_long() -> None:
    g = gate(slots=1, saturated_after=0.02)

    async def main() -> None:
        await g.enter()
        waiting = asyncio.create_task(g.enter())
        await asyncio.sleep(0.005)
        assert not g.status().saturated
        await asyncio.sleep(0.05)
        status = g.status()
        assert status.saturated
        assert status.waiting == 1
        assert status.oldest_wait_seconds >= 0.02
        g.leave()
        await waiting
        g.leave()
        assert not g.status().saturated

    on_a_loop_of_its_own(main)


def test_readiness_reports_capacity_and_saturation(client: TestClient) -> None:
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    capacity = ready.json()["capacity"]
    assert capacity["slots"] == client.app.state.gate.slots
    assert capacity["saturated"] is False
    reads = capacity["reads"]  # the event loop's read connections: PostgreSQL only
    if client.app.state.engine.dialect.name == "postgresql":
        assert reads["slots"] == client.app.state.settings.db_read_connections
        assert reads["saturated"] is False
    else:
        assert reads is None
    busy = gate(slots=1, saturated_after=0.01)
    client.app.state.gate = busy
    in_line = threading.Event()
    answered = threading.Event()

    async def one_holds_one_waits() -> None:
        await busy.enter()
        waiting = asyncio.create_task(busy.enter())
        await asyncio.sleep(0.05)
        in_line.set()
        while not answered.is_set():
            await asyncio.sleep(0.01)
        busy.leave()
        await waiting
        busy.leave()

    elsewhere = threading.Thread(target=asyncio.run, args=(one_holds_one_waits(),))
    elsewhere.start()
    try:
        assert in_line.wait(5)
        saturated = client.get("/health/ready")
    finally:
        answered.set()
        elsewhere.join(5)
    assert saturated.status_code == 503
    assert saturated.json()["status"] == "saturated"
    assert saturated.json()["capacity"]["waiting"] == 1
    assert saturated.headers["retry-after"] == "1"
    assert client.get("/health/ready").status_code == 200
