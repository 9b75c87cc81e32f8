"""period_close.py's timed phases: the Q3 close (compute, approve, HTML+CSV statements) and the
PDF pass, each phase timed with the process's peak RSS; and the digest of the run's output."""

import hashlib
import os
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any, TypeVar

from period_close_scenario import ACTOR, BATCH, CLOSE_NOW, PERIOD_START
from sqlalchemy import Engine
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from pool.db import session_scope
from pool.models.distribution import (
    DistributionRun,
    DocumentFormat,
    RunContributor,
    RunLine,
    Statement,
    StatementDocument,
)
from pool.models.pool import Pool
from pool.services import distribution, statements
from pool.services.distribution import runs as distribution_runs
from pool.services.statements import documents as statement_documents

T = TypeVar("T")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _issue_html_csv(engine: Engine, run_id: int) -> int:
    """`scheduler.jobs._issue_run` with `with_pdf=False`: batches of 25, each read and
    rendered outside the write transaction, then stored in its own transaction."""
    issued = 0
    while True:
        with Session(engine) as s:
            run = s.get(DistributionRun, run_id)
            if run is None:
                return issued
            batch = statements.pending(s, run)[:BATCH]
            rendered = (
                statements.render(
                    s, run=run, contributor_ids=batch, issued_on=CLOSE_NOW.date(), with_pdf=False
                )
                if batch
                else []
            )
        if not rendered:
            return issued
        with session_scope(engine) as s:
            issued += len(statements.store(s, run=run, rendered=rendered, now=CLOSE_NOW))


def _digest(engine: Engine, run_id: int) -> tuple[str, dict[str, int]]:
    """SHA-256 over the run's lines, contributor totals and statement documents."""
    h = hashlib.sha256()
    with Session(engine) as s:
        run = s.get(DistributionRun, run_id)
        assert run is not None
        for line in s.execute(
            select_rows(
                col(RunLine.contributor_organisation_id),
                col(RunLine.usage_start),
                col(RunLine.country),
                col(RunLine.amount_minor),
                col(RunLine.cumulative_minor),
                col(RunLine.bucket_distributable_cumulative_minor),
            )
            .where(col(RunLine.run_id) == run_id)
            .order_by(col(RunLine.contributor_organisation_id), col(RunLine.country))
        ):
            h.update(repr(tuple(line)).encode())
        for c in s.exec(
            select(RunContributor)
            .where(RunContributor.run_id == run_id)
            .order_by(col(RunContributor.contributor_organisation_id))
        ):
            h.update(repr((c.gross_minor, c.withholding_minor, c.net_payable_minor)).encode())
        for serial, fmt, sha in s.exec(
            select(Statement.serial, StatementDocument.format, StatementDocument.sha256)
            .join(Statement, col(Statement.id) == StatementDocument.statement_id)
            .where(Statement.run_id == run_id)
            .order_by(col(Statement.serial), col(StatementDocument.format))
        ):
            h.update(f"{serial}/{fmt}/{sha}".encode())
        figures = {
            "received": run.received_minor,
            "fee": run.admin_fee_minor,
            "net": run.net_payable_minor,
            "lines": len(s.exec(select(RunLine.id).where(RunLine.run_id == run_id)).all()),
        }
    return h.hexdigest(), figures


def _phase(out: dict[str, Any], name: str, work: Callable[[], T]) -> T:
    """Time `work`; note the process's peak RSS after it (and the traced peak during it,
    under `--tracemalloc`)."""
    if tracemalloc.is_tracing():
        tracemalloc.reset_peak()
    started = time.perf_counter()
    result = work()
    out[f"{name}_s"] = time.perf_counter() - started
    out[f"rss_{name}_mb"] = max_rss_mb()
    if tracemalloc.is_tracing():
        out[f"traced_{name}_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


def close(engine: Engine) -> dict[str, Any]:
    with Session(engine) as s:
        pool_id = s.exec(select(Pool.id)).one() or 0
    out: dict[str, Any] = {"rss_start_mb": max_rss_mb(), "load_before": _load()}

    def compute() -> int:
        with session_scope(engine) as s:
            run = distribution.compute(
                s, pool_id=pool_id, period_start=PERIOD_START, actor=ACTOR, now=CLOSE_NOW
            )
            return run.id or 0

    def approve() -> None:
        with session_scope(engine) as s:
            run = s.get(DistributionRun, run_id)
            assert run is not None
            distribution_runs.approve(s, run=run, actor=ACTOR, now=CLOSE_NOW)

    run_id = _phase(out, "compute", compute)
    _phase(out, "approve", approve)
    out["statements"] = _phase(out, "html_csv", lambda: _issue_html_csv(engine, run_id))
    out["load_after"] = _load()
    out["digest"], out["figures"] = _digest(engine, run_id)
    out["run_id"] = run_id
    return out


def pdf_pass(engine: Engine, sample: int) -> dict[str, Any]:
    """Render each stored HTML statement to PDF (outside any transaction) and store it, in
    batches of 25; all statements, or `sample` spread evenly over them."""
    with Session(engine) as s:
        ids = list(
            s.exec(
                select(StatementDocument.id)
                .where(StatementDocument.format == DocumentFormat.HTML)
                .order_by(col(StatementDocument.statement_id))
            ).all()
        )
    chosen = ids if not sample or sample >= len(ids) else ids[:: max(1, len(ids) // sample)]
    chosen = chosen[: sample or len(chosen)]
    statement_documents.render_pdf(b"<html><body>warm-up</body></html>")  # imports, fonts
    out: dict[str, Any] = {"rss_start_mb": max_rss_mb(), "load_before": _load()}
    _phase(out, "pdf", lambda: _render_pdfs(engine, chosen))
    out.update(
        {
            "pdfs": len(chosen),
            "statements": len(ids),
            "pdf_all_s": out["pdf_s"] * len(ids) / max(1, len(chosen)),
            "load_after": _load(),
        }
    )
    return out


def _render_pdfs(engine: Engine, document_ids: list[int | None]) -> None:
    for at in range(0, len(document_ids), BATCH):
        with Session(engine) as s:
            docs = s.exec(
                select(StatementDocument).where(
                    col(StatementDocument.id).in_(document_ids[at : at + BATCH])
                )
            ).all()
            sources = [(d.statement_id, d.content) for d in docs]
        pdfs = [(sid, statement_documents.render_pdf(html)) for sid, html in sources]
        with session_scope(engine) as s:
            for sid, pdf in pdfs:
                statement = s.get(Statement, sid)
                assert statement is not None
                statements.store_document(s, statement, DocumentFormat.PDF, pdf, CLOSE_NOW)
