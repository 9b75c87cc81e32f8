"""One issued statement for administrators and auditors (any contributor's): its figures, the
stored HTML document to read in the page, and its documents to download. The list of issued
statements (in `runs`) links here. Always the stored bytes (`pool.web.statement_reading`)."""

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.models.distribution import DocumentFormat
from pool.services import pools, statements
from pool.web import statement_reading
from pool.web.admin import views as av
from pool.web.admin.dashboard import staff_only
from pool.web.contributor.views import statement_row
from pool.web.pages import page

BASE = "/admin/statements"


class AdminStatementController(Controller):
    path = BASE
    include_in_schema = False
    dependencies = staff_only()

    @get("/{statement_id:int}", sync_to_thread=True)
    def statement(
        self,
        request: Request[Any, Any, Any],
        statement_id: PathId,
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
    ) -> Response[str]:
        """One statement of any contributor, the stored document framed in the page."""
        found = statements.get(db, principal=staff, statement_id=statement_id)
        pool = pools.get(db, pool_id=found.pool_id)
        row = statement_row(statements.read_model(db, found), {pool.id or 0: pool.name})
        owner = av.names(db, staff, {found.contributor_organisation_id})
        return page(
            request,
            "web/contributor/statement.html.j2",
            staff,
            row=row,
            base=BASE,
            owner=owner[found.contributor_organisation_id],
        )

    @get("/{statement_id:int}/read", sync_to_thread=True)
    def read(
        self, statement_id: PathId, db: NamedDependency[Session], staff: NamedDependency[Principal]
    ) -> Response[bytes]:
        """The stored HTML statement to read in the browser."""
        statement, stored = statements.document(
            db, principal=staff, statement_id=statement_id, fmt=DocumentFormat.HTML
        )
        return statement_reading.reading(statement, stored)

    @get("/{statement_id:int}/documents/{fmt:str}", sync_to_thread=True)
    def download(
        self,
        statement_id: PathId,
        fmt: FromPath[DocumentFormat],
        db: NamedDependency[Session],
        staff: NamedDependency[Principal],
    ) -> Response[bytes]:
        """The stored bytes of one document, as the API's download serves them."""
        statement, stored = statements.document(
            db, principal=staff, statement_id=statement_id, fmt=fmt
        )
        return statement_reading.download(statement, stored)
