"""The licensee's invoices (due dates, deferred parts, what is paid), how to pay one, and the
account statement with the payments the pool has received.

Payments are recorded by the pool's administrators from the bank's receipt (docs/ledger.md):
a licensee's word that it paid is not cash. So what a licensee records here is a payment
notice (`services.payment_notices`): the transfer it made, which changes no balance. The
invoice page lists its notices (waiting for the pool to confirm, confirmed, or rejected with
the reason); once an administrator confirms one, the payment appears on the invoice and the
statement like any money received.
"""

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, URLEncodedBody
from sqlmodel import Session

from pool.auth import Principal
from pool.bounds import MAX_ID, PathId
from pool.errors import DomainError, NotFound
from pool.models.billing import PaymentRead
from pool.models.billing.payment_notice import NoticeStatus, PaymentNoticeCreate, PaymentNoticeRead
from pool.services import invoice_documents
from pool.services.billing import accounts_statement, invoices, payment_notices, payments
from pool.unit_of_work import FormRefusal
from pool.web import payment_forms as pf
from pool.web.licensee import views as lv
from pool.web.licensee.agreements import one_agreement, own_agreements
from pool.web.licensee.money_views import (
    PART_STATE_LABELS,
    invoice_positions,
    invoice_view,
    late_parts,
    positions,
)
from pool.web.pages import NO_ERRORS, FormErrors, page, redirect

SHOWN_LINES = 200
PoolChoice = Annotated[int | None, QueryParameter(name="pool_id", ge=1, le=MAX_ID)]


def received(db: Session, principal: Principal, pool_id: int | None) -> list[PaymentRead]:
    """The licensee's payments as the pool recorded them (the service scopes them)."""
    return payments.listing(
        db,
        principal=principal,
        pool_id=pool_id,
        licensee_organisation_id=None,
        limit=lv.LIST_LIMIT,
        offset=0,
    ).items


def numbers(db: Session, principal: Principal) -> dict[int, str]:
    """The licensee's invoice numbers by id."""
    listed = invoices.listing(
        db, principal=principal, agreement_id=None, status=None, limit=lv.LIST_LIMIT, offset=0
    )
    return {item.id: item.number for item in listed.items}


def own_notices(
    db: Session, principal: Principal, *, invoice_id: int | None = None, pool_id: int | None = None
) -> list[PaymentNoticeRead]:
    """The licensee's payment notices, newest first (the service scopes them)."""
    return list(
        reversed(
            payment_notices.listing(
                db,
                principal=principal,
                invoice_id=invoice_id,
                pool_id=pool_id,
                limit=lv.LIST_LIMIT,
                offset=0,
            ).items
        )
    )


class LicenseeBillingController(Controller):
    path = "/licensee"
    include_in_schema = False
    dependencies = lv.licensee_only()

    @get("/invoices", sync_to_thread=True)
    def invoices_list(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """Every invoice with its due date, what is paid and what is left, overdue parts, and
        which invoices have a payment waiting for the pool to confirm."""
        listed = invoices.listing(
            db, principal=principal, agreement_id=None, status=None, limit=lv.LIST_LIMIT, offset=0
        )
        found = positions(db, principal, now.date())
        by_invoice = invoice_positions(found)
        waiting = payment_notices.listing(
            db, principal=principal, status=NoticeStatus.PENDING, limit=lv.LIST_LIMIT, offset=0
        )
        return page(
            request,
            "web/licensee/invoices.html.j2",
            principal,
            invoices=[
                invoice_view(item, by_invoice[item.id])
                for item in reversed(listed.items)
                if item.id in by_invoice
            ],
            notified={n.invoice_id for n in waiting.items if n.invoice_id},
            total=listed.total,
            positions=list(found.values()),
            late=late_parts(list(found.values())),
        )

    @get("/invoices/{invoice_id:int}", sync_to_thread=True)
    def invoice(
        self,
        request: Request[Any, Any, Any],
        invoice_id: PathId,
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[str]:
        """One invoice: its lines, its dated parts, what is paid, how to pay the rest, and the
        payments the licensee has told the pool about."""
        return self._invoice(request, db, principal, now, invoice_id)

    @post("/invoices/{invoice_id:int}/payment-notices", sync_to_thread=True)
    def record_payment(
        self,
        request: Request[Any, Any, Any],
        invoice_id: PathId,
        data: URLEncodedBody[pf.NoticeForm],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
    ) -> Response[Any]:
        """Tell the pool about a transfer for this invoice; it waits for an administrator."""
        found = invoices.get(db, principal=principal, invoice_id=invoice_id)
        values = {"invoice_id": invoice_id, **vars(data)}
        try:
            notice = pf.parsed(
                PaymentNoticeCreate, values, amount=("amount_minor", data.amount, found.currency)
            )
            payment_notices.declare(db, principal=principal, data=notice, now=now)
        except DomainError as error:
            raise FormRefusal(partial(
                self._invoice, request, db, principal, now, invoice_id,
                form=data, errors=FormErrors.of(error), status=error.status_code,
            )) from error  # fmt: skip
        return redirect(f"/licensee/invoices/{invoice_id}#notices")

    def _invoice(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        principal: Principal,
        now: datetime,
        invoice_id: int,
        *,
        form: pf.NoticeForm | None = None,
        errors: FormErrors = NO_ERRORS,
        status: int = 200,
    ) -> Response[str]:
        found = invoices.get(db, principal=principal, invoice_id=invoice_id)
        today = now.date()
        standing = positions(db, principal, today)[found.pool_id]
        view = invoice_view(found, invoice_positions({found.pool_id: standing})[invoice_id])
        notices = own_notices(db, principal, invoice_id=invoice_id)
        waiting = sum(n.amount_minor for n in notices if n.status == NoticeStatus.PENDING)
        left = max(view.position.outstanding_minor - waiting, 0)  # not yet paid nor notified
        used = {n.reference for n in notices}
        return page(
            request,
            "web/licensee/invoice.html.j2",
            principal,
            status=status,
            invoice=view,
            credit_minor=standing.credit_minor,
            payee=invoice_documents.payee_of(db, pool_id=found.pool_id),
            lines=found.lines[:SHOWN_LINES],
            line_count=len(found.lines),
            state_label=PART_STATE_LABELS,
            agreement=(
                one_agreement(db, principal, found.agreement_id, now)
                if found.agreement_id is not None
                else None
            ),
            notices=[pf.notice_view(n, numbers={invoice_id: found.number}) for n in notices],
            notify=left > 0 or form is not None,
            form=form or pf.prefilled(view.number, left, view.currency, used, today),
            errors=errors,
        )

    @get("/account", sync_to_thread=True)
    def account(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Session],
        principal: NamedDependency[Principal],
        now: NamedDependency[datetime],
        pool_id: PoolChoice = None,
    ) -> Response[str]:
        """The account statement of one pool (the first, or the one chosen): every entry with
        a running balance, what is due, deferred and held as credit, and payments received."""
        names: dict[int, str] = {}
        for item in own_agreements(db, principal, now):
            names.setdefault(item.pool_id, item.pool_name)
        if pool_id is not None and pool_id not in names:
            raise NotFound("account not found")
        chosen = pool_id or next(iter(names), None)
        standing = chosen and positions(db, principal, now.date()).get(chosen)
        statement = chosen and accounts_statement.statement(
            db,
            principal=principal,
            organisation_id=principal.organisation_id or 0,
            pool_id=chosen,
            start=None,
            end=None,
            as_of=now.date(),
        )
        return page(
            request,
            "web/licensee/account.html.j2",
            principal,
            pools=names,
            chosen=chosen,
            statement=statement or None,
            position=standing or None,
            state_label=PART_STATE_LABELS,
            payments=received(db, principal, chosen) if chosen else [],
            notices=[
                pf.notice_view(n, numbers=numbers(db, principal))
                for n in (own_notices(db, principal, pool_id=chosen) if chosen else [])
            ],
            kind_label=lv.ENTRY_KIND_LABELS,
        )
