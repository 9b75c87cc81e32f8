"""Invoice documents: each invoice as HTML and PDF in the licensee organisation's language, one
a finance department can pay from: the lines and how they were computed, the parts with their
contractual due dates and state, what is paid, late interest so far, the amount to pay today,
the payment reference (the invoice number, which bank import matches on), the pool's payee
and the buyer's fapiao details. `view` prepares it (scoped as the invoice is), `documents`
renders it. It calls `billing` (the invoice and its position), `pools` (the payee),
`accounts` (the fapiao details) and `statements` (the PDF renderer they share)."""

from pool.services.invoice_documents.documents import (
    filename,
    pdf_chunks,
    render_html,
    render_pdf,
)
from pool.services.invoice_documents.view import InvoiceDocumentView, PayeeView, payee_of, prepare

__all__ = [
    "InvoiceDocumentView",
    "PayeeView",
    "filename",
    "payee_of",
    "pdf_chunks",
    "prepare",
    "render_html",
    "render_pdf",
]
