"""PDF rendering in worker processes: both cores at once, and a fresh process every
`TASKS_PER_PROCESS` documents.

WeasyPrint's native libraries (Pango, HarfBuzz, fontconfig) keep memory per document that
Python never sees: about 0.25 MB a PDF, so a long-lived worker issuing 1,000 statements a
quarter would grow without bound (docs/benchmarks.md, period close). Rendering in child
processes that are replaced after a number of documents gives that memory back. The
processes are started with `spawn` (the scheduler and the web server run threads, which
`fork` must not copy) and the bytes are the same as rendering in-process.

The renderers never outlive the process that started them (a worker, `run-job`, `serve`, a
test run): each one watches its parent from its first moment (`lifeline.watch_parent` as the
pool's `initializer`, pool/services/common/lifeline.py) and exits as soon as the parent is
gone, whether the parent exited, or was killed with SIGKILL in the middle of a batch (the
parent's `atexit` shutdown only covers a clean exit). The watch reads end-of-file on a pipe the
parent holds, not `PR_SET_PDEATHSIG`, which fires when the *thread* that started the child
ends: the executor starts replacement processes from whichever thread submits, or from its
manager thread."""

import atexit
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from pool.services.common import lifeline
from pool.services.statements.documents import render_pdf

TASKS_PER_PROCESS = 100
_lock = threading.Lock()
_executor: list[ProcessPoolExecutor] = []


def _pool() -> ProcessPoolExecutor:
    with _lock:
        if not _executor:
            _executor.append(
                ProcessPoolExecutor(
                    max_workers=max(1, min(2, os.cpu_count() or 1)),
                    mp_context=multiprocessing.get_context("spawn"),
                    max_tasks_per_child=TASKS_PER_PROCESS,
                    initializer=lifeline.watch_parent,
                )
            )
            atexit.register(shutdown)
        return _executor[0]


def render_pdfs(htmls: Sequence[bytes]) -> list[bytes]:
    """The PDFs of `htmls`, in order."""
    if not htmls:
        return []
    return list(_pool().map(render_pdf, htmls))


def shutdown() -> None:
    """Stop the worker processes (at exit, or when a test wants them gone)."""
    with _lock:
        while _executor:
            _executor.pop().shutdown(wait=True, cancel_futures=True)
