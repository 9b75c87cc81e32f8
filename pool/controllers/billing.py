"""Payments, the ledger and licensees' account statements."""

from datetime import date, datetime
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, JSONBody, QueryParameter
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller
from pool.models.billing import (
    AccountStatement,
    InvoiceRead,
    OverdueRead,
    PaymentCreate,
    PaymentRead,
    PositionRead,
    TrialBalance,
    WriteOffCreate,
    WriteOffRead,
)
from pool.services.billing import accounts_statement, fees, payments, position
from pool.services.common.pages import Page, page_of

From = Annotated[date | None, QueryParameter(name="from", description="first day (inclusive)")]
To = Annotated[date | None, QueryParameter(name="to", description="last day (exclusive)")]
REPLAYED = {  # the 201's twin, documented too
    200: ResponseSpec(
        PaymentRead,
        description="The same reference and amount again: the first payment, nothing changed.",
        generate_examples=False,
    )
}


class PoolPaymentController(Controller):
    path = "/pools/{pool_id:int}/payments"
    tags = ["payments"]

    @post("/", sync_to_thread=True, responses=REPLAYED)
    def record_payment(
        self,
        pool_id: PathId,
        data: JSONBody[PaymentCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> Response[PaymentRead]:
        """Record a bank receipt (administrators). The same reference again returns the first
        payment with 200 and changes nothing; with another amount it is a 409."""
        payment, created = payments.record(
            db, principal=principal, pool_id=pool_id, data=data, now=now
        )
        return Response(payments.read(db, payment), status_code=201 if created else 200)


class PaymentController(Controller):
    path = "/payments"
    tags = ["payments"]

    @get("/", sync_to_thread=True)
    def list_payments(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        pool_id: QueryId = None,
        licensee_organisation_id: QueryId = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[PaymentRead]:
        """Staff see every payment; a licensee its own."""
        return payments.listing(
            db,
            principal=principal,
            pool_id=pool_id,
            licensee_organisation_id=licensee_organisation_id,
            limit=limit,
            offset=offset,
        )

    @get("/{payment_id:int}", sync_to_thread=True)
    def get_payment(
        self,
        payment_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> PaymentRead:
        """One payment and how it settled invoices."""
        return payments.read(db, payments.get(db, principal=principal, payment_id=payment_id))


class InvoiceCollectionController(Controller):
    path = "/invoices"
    tags = ["payments"]

    @get("/overdue", sync_to_thread=True)
    def list_overdue(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        pool_id: QueryId = None,
        as_of: FromQuery[date | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[OverdueRead]:
        """Invoice parts past due and unpaid on `as_of` (default today), with late interest,
        oldest due first."""
        day = as_of or now.date()
        found = position.overdue_for(db, principal=principal, pool_id=pool_id, as_of=day)
        return page_of(found, limit=limit, offset=offset)

    @post("/{invoice_id:int}/write-off", sync_to_thread=True, status_code=200)
    def write_off(
        self,
        invoice_id: PathId,
        data: JSONBody[WriteOffCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> WriteOffRead:
        """Write off what is still owed on an invoice (administrators)."""
        return payments.write_off(
            db, principal=principal, invoice_id=invoice_id, data=data, now=now
        )


class AccountController(Controller):
    path = "/licensees/{organisation_id:int}/account"
    tags = ["payments"]

    @get("/", sync_to_thread=True)
    def account_statement(
        self,
        organisation_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        pool_id: QueryId = None,
        start: From = None,
        end: To = None,
    ) -> AccountStatement:
        """A licensee's account: opening balance, every entry with a running balance, closing
        balances, deferred parts with their due dates and good standing."""
        return accounts_statement.statement(
            db,
            principal=principal,
            organisation_id=organisation_id,
            pool_id=pool_id,
            start=start,
            end=end,
            as_of=now.date(),
        )


class PositionController(Controller):
    path = "/licensees/{organisation_id:int}/position"
    tags = ["payments"]

    @get("/", sync_to_thread=True)
    def position(
        self,
        organisation_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        pool_id: QueryId = None,
        as_of: FromQuery[date | None] = None,
    ) -> PositionRead:
        """A licensee's position at the end of `as_of` (default today): each invoice part not
        yet due, due, overdue (days, late interest), paid or written off; credit held; the
        amount to pay today; good standing with its reasons. The pages show the same."""
        return position.position_for(
            db,
            principal=principal,
            organisation_id=organisation_id,
            pool_id=pool_id,
            as_of=as_of or now.date(),
        )


class LedgerController(Controller):
    path = "/pools/{pool_id:int}/ledger"
    tags = ["payments"]

    @get("/trial-balance", sync_to_thread=True)
    def trial_balance(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> TrialBalance:
        """Balance per account (staff); the total is zero because every entry balances."""
        return accounts_statement.trial_balance(db, principal=principal, pool_id=pool_id)


class FixedFeeController(Controller):
    path = "/pools/{pool_id:int}/fixed-fees"
    tags = ["payments"]

    @post("/issue", sync_to_thread=True, status_code=200)
    def issue_fixed_fees(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        as_of: FromQuery[date | None] = None,
    ) -> list[InvoiceRead]:
        """Invoice every entry and annual fee dated on or before `as_of` (default today) that
        has no invoice yet (administrators); returns the new ones, none on a second run."""
        day = as_of or now.date()
        return fees.issue_for(db, principal=principal, pool_id=pool_id, as_of=day, now=now)


HANDLERS: list[type[Controller]] = [
    PoolPaymentController,
    PaymentController,
    InvoiceCollectionController,
    AccountController,
    PositionController,
    LedgerController,
    FixedFeeController,
]
