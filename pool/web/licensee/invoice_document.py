"""An invoice as the document a finance department pays from (`services.invoice_documents`):
printable HTML and a PDF download, in the licensee organisation's language whatever the
page's, as the API serves them. Another licensee's invoice is 404, like every licensee page.

The HTML is a standalone document with its CSS inline (the PDF is rendered from the same
HTML): its answer's Content-Security-Policy allows exactly that style element by its hash.
The PDF is rendered while the answer streams, after the request has given back its database
slot."""

from datetime import datetime
from typing import Any

from litestar import Controller, MediaType, Response, get
from litestar.di import NamedDependency
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.services import invoice_documents
from pool.web.licensee import views as lv
from pool.web.security import policy_for_document

PDF = "application/pdf"


class LicenseeInvoiceDocumentController(Controller):
    path = "/licensee"
    include_in_schema = False
    dependencies = lv.licensee_only()

    @get("/invoices/{invoice_id:int}/document", sync_to_thread=True)
    def document(
        self,
        invoice_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[bytes]:
        """The invoice document, to read or print (links back and to the PDF on screen)."""
        view = invoice_documents.prepare(
            db, principal=principal, invoice_id=invoice_id, as_of=now.date()
        )
        html = invoice_documents.render_html(view, portal_links="/licensee/invoices")
        return Response(
            html,
            media_type=MediaType.HTML,
            headers={"Content-Security-Policy": policy_for_document(html.decode("utf-8"))},
        )

    @get("/invoices/{invoice_id:int}/document.pdf", sync_to_thread=True)
    def pdf(
        self,
        invoice_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """The same document as PDF, downloaded under the invoice number."""
        view = invoice_documents.prepare(
            db, principal=principal, invoice_id=invoice_id, as_of=now.date()
        )
        html = invoice_documents.render_html(view)
        name = invoice_documents.filename(view, "pdf")
        return Stream(
            invoice_documents.pdf_chunks(html, view.locale),
            media_type=PDF,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
