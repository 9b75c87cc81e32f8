"""Background tasks: the worker threads that run a long action in its own transaction (`runner`,
re-exported here as `tasks.TaskRunner`, `tasks.get(...)`) and the progress protocol long services
report through (`progress`); which runner owns a task, its heartbeat, and when a task counts as
interrupted (`ownership`). It calls no other context; `patents`, `reports` and `distribution`
use `progress`."""

from pool.services.tasks.ownership import INTERRUPTED, UNFINISHED, recover_interrupted
from pool.services.tasks.runner import (
    BACKGROUND_TIMEOUTS,
    SQLITE_ATTEMPTS,
    UNEXPECTED,
    WORKERS,
    Action,
    Explain,
    Live,
    LiveProgress,
    TaskRunner,
    TaskState,
    failure_result,
    get,
    log,
)

__all__ = [
    "BACKGROUND_TIMEOUTS",
    "INTERRUPTED",
    "SQLITE_ATTEMPTS",
    "UNEXPECTED",
    "UNFINISHED",
    "WORKERS",
    "Action",
    "Explain",
    "Live",
    "LiveProgress",
    "TaskRunner",
    "TaskState",
    "failure_result",
    "get",
    "log",
    "recover_interrupted",
]
