"""Background tasks: the worker threads that run a long action in its own transaction (`runner`,
re-exported here as `tasks.TaskRunner`, `tasks.get(...)`) and the progress protocol long services
report through (`progress`). It calls no other context; `patents`, `reports` and `distribution`
use `progress`."""

from pool.services.tasks.runner import (
    BACKGROUND_TIMEOUTS,
    INTERRUPTED,
    SQLITE_ATTEMPTS,
    UNEXPECTED,
    UNFINISHED,
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
    recover_interrupted,
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
