"""The PDF renderers: a batch longer than one pool's share is rendered by successive pools,
in order, and the retired pool's processes exit (pool/services/statements/pdf_workers.py)."""

import time

import pytest

from pool.services.statements import pdf_workers
from pool.services.statements.documents import render_pdf

# processes and PDFs, no database: checked once, in the SQLite run
pytestmark = pytest.mark.database_free


def page(n: int) -> bytes:
    return f"<html><body><h1>Document {n}</h1></body></html>".encode()


@pytest.mark.timeout(120)
def test_a_long_batch_spans_fresh_pools_and_keeps_its_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf_workers.shutdown()
    monkeypatch.setattr(pdf_workers, "TASKS_PER_POOL", 2)
    try:
        first = pdf_workers.render_pdfs([page(0)])
        pool_of_the_first = pdf_workers._executor[0]
        processes = list(pool_of_the_first._processes.values())  # type: ignore[attr-defined]
        pdfs = pdf_workers.render_pdfs([page(n) for n in range(1, 6)])
        assert pdf_workers._executor[0] is not pool_of_the_first
        assert [*first, *pdfs] == [render_pdf(page(n)) for n in range(6)]
        deadline = time.monotonic() + 30
        while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(p.is_alive() for p in processes), "a retired pool's renderer lives on"
    finally:
        pdf_workers.shutdown()


def test_an_empty_batch_starts_no_process() -> None:
    pdf_workers.shutdown()
    assert pdf_workers.render_pdfs([]) == []
    assert pdf_workers._executor == []
