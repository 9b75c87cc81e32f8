"""The contributor's evaluation fees (`/contributor/evaluation-fees`): each patent whose
evaluation the pool charged for, what is paid and what is left, how to pay one (the payee's
bank details and the invoice number as the transfer's reference), and the invoice document as
HTML and PDF in the organisation's language.

Contributors only (`contributor_only`); the billing service scopes every invoice to the
contributor's organisation, so another's fee, or any licensee's invoice, is not found (404).
The pool's administrators record the payment from the bank's receipt, as for licensees."""

from datetime import datetime
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.response import Stream
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import PathId
from pool.services import invoice_documents
from pool.services.evaluation_fees import reading
from pool.web.contributor.access import PER_PAGE, contributor_only
from pool.web.licensee.money_views import PART_STATE_LABELS
from pool.web.lists import ListSpec, read_list
from pool.web.pages import page
from pool.web.security import policy_for_document

BASE = "/contributor/evaluation-fees"
PDF = "application/pdf"
LIST = ListSpec(filters=(), sorts=(), default_sort="", per_page=PER_PAGE)  # pages, newest first


class ContributorFeesController(Controller):
    path = BASE
    include_in_schema = False
    # read once by Litestar when the app is built, never changed: a class attribute is fine
    dependencies = {"principal": Provide(contributor_only, sync_to_thread=False)}  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def fee_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Every evaluation fee billed to the contributor, newest first, with what is left."""
        lst = read_list(request, LIST)
        per_page = LIST.per_page
        fees = reading.fees_of(
            db,
            principal=principal,
            as_of=now.date(),
            limit=per_page,
            offset=(lst.query.page - 1) * per_page,
        )
        return page(
            request,
            "web/contributor/fees.html.j2",
            principal,
            lst=lst,
            fees=fees,
            state_label=PART_STATE_LABELS,
        )

    @get("/{invoice_id:int}", sync_to_thread=True)
    def fee(
        self,
        request: Request[Any, Any, Any],
        invoice_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """One fee: its patent, parts, what is paid, and how to pay what is left."""
        row = reading.fee(db, principal=principal, invoice_id=invoice_id, as_of=now.date())
        return page(
            request,
            "web/contributor/fee.html.j2",
            principal,
            fee=row,
            state_label=PART_STATE_LABELS,
            payee=invoice_documents.payee_of(db, pool_id=row.invoice.pool_id),
        )

    @get("/{invoice_id:int}/document", sync_to_thread=True)
    def document(
        self,
        invoice_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[bytes]:
        """The fee's invoice document, to read or print (links back and to the PDF)."""
        view = invoice_documents.prepare(
            db, principal=principal, invoice_id=invoice_id, as_of=now.date()
        )
        html = invoice_documents.render_html(view, portal_links=BASE)
        return Response(
            html,
            media_type=MediaType.HTML,
            headers={"Content-Security-Policy": policy_for_document(html.decode("utf-8"))},
        )

    @get("/{invoice_id:int}/document.pdf", sync_to_thread=True)
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
        return Stream(
            invoice_documents.pdf_chunks(html, view.locale),
            media_type=PDF,
            headers={
                "Content-Disposition": (
                    f'attachment; filename="{invoice_documents.filename(view, "pdf")}"'
                )
            },
        )
