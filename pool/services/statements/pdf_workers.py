"""PDF rendering in worker processes: both cores at once, and a fresh process every
`TASKS_PER_PROCESS` documents.

WeasyPrint's native libraries (Pango, HarfBuzz, fontconfig) keep memory per document that
Python never sees: about 0.25 MB a PDF, so a long-lived worker issuing 1,000 statements a
quarter would grow without bound (docs/benchmarks.md, period close). Rendering in child
processes that are replaced after a number of documents gives that memory back. The
processes are started with `spawn` (the scheduler and the web server run threads, which
`fork` must not copy) and the bytes are the same as rendering in-process."""

import atexit
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

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
