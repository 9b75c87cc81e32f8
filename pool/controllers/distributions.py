"""Distribution runs (administrators approve, auditors read) and contributors' statements."""

from datetime import date, datetime

from litestar import Controller, MediaType, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from pydantic import BaseModel
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller, Reads
from pool.models.distribution import (
    DistributionRunDetail,
    DistributionRunRead,
    DocumentFormat,
    RunPatentLineRead,
    RunStatus,
    StatementRead,
)
from pool.models.integers import Day
from pool.openapi import RESPONSE_MEDIA_TYPES
from pool.services import audit, statements
from pool.services.common.pages import Page
from pool.services.distribution import runs as distribution_runs
from pool.services.statements import patents as statement_patents
from pool.settings import Settings

# A statement's documents, as the download answers them (the OpenAPI document lists each).
DOCUMENT_TYPES = {
    RESPONSE_MEDIA_TYPES: [t.split(";")[0] for t in statements.CONTENT_TYPES.values()]
}

# A statement read in a browser: its inline <style> may apply; nothing else loads or runs.
READING_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


class PeriodClose(BaseModel):
    """The statement period to close: the first day of a period of the pool's cadence."""

    period_start: Day


class PoolDistributionController(Controller):
    path = "/pools/{pool_id:int}/distribution-runs"
    tags = ["distributions"]

    @post("/", sync_to_thread=True, status_code=200)
    def close_period(
        self,
        pool_id: PathId,
        data: JSONBody[PeriodClose],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> DistributionRunDetail:
        """Compute the draft run of an ended period, or recompute its draft (administrators)."""
        run = distribution_runs.compute_for(
            db, principal=principal, pool_id=pool_id, period_start=data.period_start, now=now
        )
        return distribution_runs.detail(db, run)

    @get("/", sync_to_thread=True)
    def list_runs(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        status: FromQuery[RunStatus | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[DistributionRunRead]:
        """The pool's runs, newest period first (administrators and auditors)."""
        return distribution_runs.listing(
            db, principal=principal, pool_id=pool_id, status=status, limit=limit, offset=offset
        )


class DistributionRunController(Controller):
    path = "/distribution-runs/{run_id:int}"
    tags = ["distributions"]

    @get("/", sync_to_thread=True)
    def get_run(
        self,
        run_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> DistributionRunDetail:
        """A run with its usage periods and contributors' totals (administrators, auditors)."""
        return distribution_runs.detail(
            db, distribution_runs.get(db, principal=principal, run_id=run_id)
        )

    @post("/recompute", sync_to_thread=True, status_code=200)
    def recompute(
        self,
        run_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> DistributionRunDetail:
        """Recompute a draft from the ledger as it is now; an approved run is refused (409)."""
        run = distribution_runs.recompute_for(db, principal=principal, run_id=run_id, now=now)
        return distribution_runs.detail(db, run)

    @post("/approve", sync_to_thread=True, status_code=200)
    def approve(
        self,
        run_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> DistributionRunDetail:
        """Approve a draft: it becomes immutable and is posted to the ledger."""
        run = distribution_runs.approve_for(db, principal=principal, run_id=run_id, now=now)
        return distribution_runs.detail(db, run)

    @post("/statements", sync_to_thread=True, status_code=200)
    def issue_statements(
        self,
        run_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        settings: NamedDependency[Settings],
    ) -> list[StatementRead]:
        """Issue the approved run's pending statements now; those issued before are kept."""
        made = statements.issue_all_for(
            db, principal=principal, run_id=run_id, now=now, audit_keys=audit.keyring(settings)
        )
        return [statements.read_model(db, s) for s in made]


class StatementController(Controller):
    path = "/statements"
    tags = ["statements"]

    @get("/", sync_to_thread=True)
    def list_statements(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        pool_id: QueryId = None,
        period_start: FromQuery[date | None] = None,
        serial: FromQuery[str | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[StatementRead]:
        """A contributor's own statements; administrators and auditors see all."""
        return statements.listing(
            db,
            principal=principal,
            pool_id=pool_id,
            period_start=period_start,
            serial=serial,
            limit=limit,
            offset=offset,
        )

    @get("/{statement_id:int}")
    async def get_statement(
        self,
        statement_id: PathId,
        reads: Reads,
    ) -> StatementRead:
        """One statement and its documents' digests."""
        # what contributors' portals and tools fetch most: read on the event loop, no thread
        return await reads(statements.one(statement_id=statement_id))

    @get("/{statement_id:int}/patent-lines", sync_to_thread=True)
    def patent_lines(
        self,
        statement_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[RunPatentLineRead]:
        """The statement's lines split over the contributor's patents: each patent's number,
        title, grade, tier, days in force, weight and exact part (docs/distribution.md)."""
        return statement_patents.page_for_statement(
            db, principal=principal, statement_id=statement_id, limit=limit, offset=offset
        )

    @get("/{statement_id:int}/read", sync_to_thread=True, media_type=MediaType.HTML)
    def read(
        self, statement_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> Response[bytes]:
        """The stored HTML statement to read in a browser: the bytes of `documents/html`,
        inline (the document's own CSS may apply, nothing may run)."""
        statement, stored = statements.document(
            db, principal=principal, statement_id=statement_id, fmt=DocumentFormat.HTML
        )
        return Response(
            stored.content,
            media_type=MediaType.HTML,
            headers={
                "ETag": f'"{stored.sha256}"',
                "X-Content-SHA256": stored.sha256,
                "Content-Disposition": f'inline; filename="{statement.serial}.html"',
                "Content-Security-Policy": READING_POLICY,
            },
        )

    @get("/{statement_id:int}/documents/{fmt:str}", sync_to_thread=True, opt=DOCUMENT_TYPES)
    def download(
        self,
        statement_id: PathId,
        fmt: FromPath[DocumentFormat],
        db: NamedDependency[Session],
        principal: Caller,
    ) -> Response[bytes]:
        """The stored bytes (html, csv or pdf), the same on every download; the SHA-256 is in
        the ETag and in `X-Content-SHA256`."""
        statement, stored = statements.document(
            db, principal=principal, statement_id=statement_id, fmt=fmt
        )
        return Response(
            stored.content,
            media_type=stored.content_type.split(";")[0],  # Litestar adds the text charset
            headers={
                "ETag": f'"{stored.sha256}"',
                "X-Content-SHA256": stored.sha256,
                "Content-Disposition": f'attachment; filename="{statement.serial}.{stored.format}"',
            },
        )


HANDLERS = (
    PoolDistributionController,
    DistributionRunController,
    StatementController,
)
