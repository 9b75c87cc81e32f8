"""An invoice as a document a finance department pays from: HTML or PDF, in the licensee
organisation's language (docs/invoices.md)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from litestar import Controller, MediaType, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlmodel import Session

from pool.bounds import PathId
from pool.dependencies import Caller
from pool.openapi import RESPONSE_MEDIA_TYPES
from pool.services import invoice_documents

PDF = "application/pdf"
Format = Annotated[Literal["html", "pdf"], QueryParameter(description="`html` (default) or `pdf`.")]


class InvoiceDocumentController(Controller):
    path = "/invoices"
    tags = ["invoices"]

    @get(
        "/{invoice_id:int}/document",
        sync_to_thread=True,
        opt={RESPONSE_MEDIA_TYPES: [MediaType.HTML.value, PDF]},
    )
    def invoice_document(
        self,
        invoice_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        format: Format = "html",  # the name a refusal names
    ) -> Response[Any]:
        """The invoice with the amount to pay today and the payment reference, the payee's
        bank details and the buyer's fapiao details (the licensee its own, staff every one)."""
        view = invoice_documents.prepare(
            db, principal=principal, invoice_id=invoice_id, as_of=now.date()
        )
        html = invoice_documents.render_html(view)
        name = invoice_documents.filename(view, format)
        if format == "html":
            disposition = f'inline; filename="{name}"'
            return Response(
                html, media_type=MediaType.HTML, headers={"Content-Disposition": disposition}
            )
        return Stream(
            invoice_documents.pdf_chunks(html, view.locale),
            media_type=PDF,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


HANDLERS: list[type[Controller]] = [InvoiceDocumentController]
