"""PDF rendering in worker processes: both cores at once, and fresh processes every
`TASKS_PER_POOL` documents.

WeasyPrint's native libraries (Pango, HarfBuzz, fontconfig) keep memory per document that
Python never sees: about 0.25 MB a PDF, so a long-lived worker issuing 1,000 statements a
quarter would grow without bound (docs/benchmarks.md, period close). Rendering in child
processes that are replaced after a number of documents gives that memory back. The whole
pool is replaced (a new executor, the old one shut down once its documents are done), not
each process by `max_tasks_per_child`: on Python 3.11 an executor that replaces its own
processes can hang for good when one exits while work is queued (CPython gh-115634), and a
statement run must never hang. The
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
from concurrent.futures import Future, ProcessPoolExecutor

from pool.services.common import lifeline
from pool.services.statements.documents import render_pdf

TASKS_PER_POOL = 200
"""Documents one pool renders before it is replaced: about 100 per process, some 25 MB each."""

_lock = threading.Lock()
_executor: list[ProcessPoolExecutor] = []
_rendered = [0]  # documents given to the current pool


def _new_pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=max(1, min(2, os.cpu_count() or 1)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=lifeline.watch_parent,
    )


def _submit(html: bytes) -> "Future[bytes]":
    """One document to the current pool; a pool that has rendered its share is retired first
    (its processes finish what they hold and exit), so a batch may span two pools."""
    with _lock:
        if _executor and _rendered[0] >= TASKS_PER_POOL:
            _executor.pop().shutdown(wait=False)
        if not _executor:
            _executor.append(_new_pool())
            _rendered[0] = 0
        _rendered[0] += 1
        return _executor[0].submit(render_pdf, html)


def render_pdfs(htmls: Sequence[bytes]) -> list[bytes]:
    """The PDFs of `htmls`, in order."""
    futures = [_submit(html) for html in htmls]
    return [future.result() for future in futures]


def shutdown() -> None:
    """Stop the worker processes (at exit, or when a test wants them gone)."""
    with _lock:
        while _executor:
            _executor.pop().shutdown(wait=True, cancel_futures=True)
        _rendered[0] = 0


atexit.register(shutdown)
