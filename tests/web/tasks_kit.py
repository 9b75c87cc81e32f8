"""Following a background task from a test: the task a form started, and its end, by polling
the fragment htmx polls in a bounded loop (the sleep only spaces the looks out)."""

import re
import time

from httpx import Response
from litestar.testing import TestClient

from pool.models.task import TaskStatus

TASK_URL = re.compile(r"^/tasks/(\d+)$")
STATUS = re.compile(r'data-status="(\w+)"')
DEADLINE_SECONDS = 120


def task_id_of(response: Response) -> int:
    assert response.status_code == 303, response.text[:2000]
    found = TASK_URL.match(response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def wait_for(client: TestClient, task_id: int) -> Response:
    """Poll the fragment htmx polls until the task has ended; its last answer."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        response = client.get(f"/tasks/{task_id}/progress", headers={"HX-Request": "true"})
        assert response.status_code == 200, response.text[:2000]
        status = STATUS.search(response.text)
        assert status, response.text
        if status.group(1) in (TaskStatus.SUCCEEDED, TaskStatus.FAILED):
            return response
        assert time.monotonic() < deadline, f"task {task_id} still {status.group(1)}"
        time.sleep(0.05)
