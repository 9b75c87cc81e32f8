"""Child processes never outlive their parent: a process started with `multiprocessing` (the
PDF renderers of `pool.services.statements.pdf_workers`, the worker processes of
`patentpool serve --workers N`) watches its parent and ends when the parent is gone, whether
the parent exited cleanly, crashed, or was killed with SIGKILL.

How it notices: `multiprocessing`'s `spawn` start method hands every child the read end of a
pipe whose write end only the parent holds (`multiprocessing.parent_process().sentinel`; the
write end is close-on-exec and passed to no other process). When the parent dies, for any
reason, the kernel closes that end and the child's read end reports end-of-file at once. A
daemon thread in the child waits for that; it also compares `os.getppid()` with the parent's
pid once a second, a backstop for the unlikely case that some other process came to hold the
write end (the child is re-parented the moment its parent dies).

Why not `prctl(PR_SET_PDEATHSIG)`: Linux sends that signal when the *thread* that forked the
child exits, not the process. `ProcessPoolExecutor` starts its processes (a new pool every
`TASKS_PER_POOL` documents) from whichever thread calls `submit`, or from its manager thread,
so a renderer started from a job's or a request's short-lived thread would be killed while its
parent lives on. A pipe belongs to the process, not to a thread. Nor is the parent's `atexit`
enough on its own: it never runs on SIGKILL, on a signal without a handler, or on `os._exit`.

What the child does then is the caller's choice: a PDF renderer just exits (it holds nothing
worth saving); a served worker shuts down gracefully first (`graceful_then_exit`)."""

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import wait

log = logging.getLogger("patentpool.lifeline")

POLL_SECONDS = 1.0  # how often the getppid() backstop looks
ORPHANED_EXIT = 70  # the exit status of a child whose parent went away (EX_SOFTWARE)
_started: list[threading.Thread] = []
_lock = threading.Lock()


def exit_now() -> None:
    """End this process at once: nothing here is worth a clean shutdown."""
    os._exit(ORPHANED_EXIT)


def graceful_then_exit(grace_seconds: float) -> Callable[[], None]:
    """SIGTERM to this process (a server stops taking requests and finishes the ones in hand),
    then `exit_now` if it is still alive `grace_seconds` later."""

    def stop() -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace_seconds)
        exit_now()

    return stop


def watch_parent(on_parent_gone: Callable[[], None] = exit_now) -> bool:
    """If a `multiprocessing` parent started this process, watch it from a daemon thread and
    call `on_parent_gone` once it is gone. Once per process; True if a watch runs."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.pid is None:
        return False
    with _lock:
        if _started:
            return True
        thread = threading.Thread(
            target=_watch,
            args=(parent.sentinel, parent.pid, on_parent_gone),
            name="patentpool-lifeline",
            daemon=True,
        )
        thread.start()
        _started.append(thread)
    return True


def _watch(sentinel: int, parent_pid: int, on_parent_gone: Callable[[], None]) -> None:
    while not wait([sentinel], timeout=POLL_SECONDS) and os.getppid() == parent_pid:
        pass
    log.warning("parent process %s is gone; process %s stops", parent_pid, os.getpid())
    on_parent_gone()
