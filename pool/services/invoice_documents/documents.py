"""An invoice document as HTML (standalone: inline CSS, A4 print layout, readable on a phone)
and as PDF, rendered from that HTML by the statements' renderer in its worker processes
(`statements.pdf_workers`: WeasyPrint in recycled processes that die with their parent).

The words are the web catalogue's (`pool/locale`, gettext), in the licensee organisation's
language; money and dates in that locale's conventions. The document's dates come from the
view (`dcterms.*` meta tags, which WeasyPrint copies into the PDF), so the same view gives
the same bytes."""

from collections.abc import Iterator

from pool import rendering
from pool.services.invoice_documents.view import InvoiceDocumentView
from pool.services.statements import fonts, pdf_workers

TEMPLATE = "invoice/document.html.j2"
HTML_LANG = {"en": "en", "zh_CN": "zh-CN"}


def render_html(view: InvoiceDocumentView, *, portal_links: str | None = None) -> bytes:
    """The document; `portal_links` (the portal's invoice pages, e.g. `/licensee/invoices`)
    adds, on screen only, the way back to the invoice page and the PDF download (the portal's
    copy; the API's and the PDF have none)."""
    html = rendering.render_in(
        view.locale,
        TEMPLATE,
        view=view,
        html_lang=HTML_LANG[view.locale],
        portal_links=portal_links,
    )
    return html.encode("utf-8")


def render_pdf(html: bytes) -> bytes:
    """The HTML as PDF (about half a second of CPU in a renderer process)."""
    return pdf_workers.render_pdfs([html])[0]


def filename(view: InvoiceDocumentView, extension: str) -> str:
    """`INV-000123.pdf`: the invoice number, which is also the payment reference."""
    return f"{view.number}.{extension}"


def pdf_chunks(html: bytes, locale: str = "en") -> Iterator[bytes]:
    """The PDF as one chunk, rendered only when first asked for: a response that streams it
    renders after its request has given back its database slot (the rendering takes no
    database, and half a second of a renderer process). A Chinese document is refused at
    once (503) when no font has Chinese glyphs, before anything streams."""
    if locale != "en":
        fonts.require_cjk_font()
    return _rendered(html)


def _rendered(html: bytes) -> Iterator[bytes]:
    yield render_pdf(html)
