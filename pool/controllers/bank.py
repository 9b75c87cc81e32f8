"""The pool's bank statements: upload one, see its credits, decide the ones left waiting."""

from datetime import datetime
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, QueryParameter, RawBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller
from pool.models.bank import (
    BankCreditRead,
    BankImportRead,
    CreditAssign,
    CreditDismiss,
    CreditStatus,
)
from pool.services.billing import bank
from pool.services.common.pages import Page

Status = Annotated[CreditStatus | None, QueryParameter(description="only credits in this state")]
ALREADY_IMPORTED = {
    200: ResponseSpec(
        BankImportRead,
        description="These very bytes were imported before: the earlier import, nothing "
        "recorded now (`already_imported` true).",
        generate_examples=False,
    )
}


class PoolBankStatementController(Controller):
    path = "/pools/{pool_id:int}"
    tags = ["bank statements"]

    @post(
        "/bank-statements",
        sync_to_thread=True,
        request_body_media_type="application/octet-stream",
        responses=ALREADY_IMPORTED,
    )
    def import_bank_statement(
        self,
        pool_id: PathId,
        body: RawBody,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> Response[BankImportRead]:
        """Upload the pool's bank statement, ISO 20022 camt.053 (XML) or SWIFT MT940, as the
        bank exported it (administrators). Each new credit is matched to a licensee, by the
        reference of its payment notice, an invoice number, or the payer's name and the exact
        amount owed, and recorded as a payment; the others wait (`GET .../bank-credits`). A
        file that cannot be read is refused whole (422, every faulty line) and nothing is
        recorded; the same file again records nothing (200)."""
        summary = bank.import_statement(
            db, principal=principal, pool_id=pool_id, content=bytes(body), now=now
        )
        return Response(summary, status_code=200 if summary.already_imported else 201)

    @get("/bank-credits", sync_to_thread=True)
    def list_bank_credits(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        status: Status = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[BankCreditRead]:
        """The credits of the pool's imported statements, newest first (administrators and
        auditors); a waiting one comes with suggestions of whose it may be."""
        return bank.listing(
            db, principal=principal, pool_id=pool_id, status=status, limit=limit, offset=offset
        )


class BankCreditController(Controller):
    path = "/bank-credits/{credit_id:int}"
    tags = ["bank statements"]

    @get("/", sync_to_thread=True)
    def get_bank_credit(
        self, credit_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> BankCreditRead:
        """One credit (administrators and auditors)."""
        return bank.read(db, bank.get(db, principal=principal, credit_id=credit_id))

    @post("/assign", sync_to_thread=True, status_code=200)
    def assign_bank_credit(
        self,
        credit_id: PathId,
        data: JSONBody[CreditAssign],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> BankCreditRead:
        """A waiting credit is this licensee's: it is recorded as the licensee's payment
        (administrators)."""
        credit = bank.assign(db, principal=principal, credit_id=credit_id, data=data, now=now)
        return bank.read(db, credit)

    @post("/dismiss", sync_to_thread=True, status_code=200)
    def dismiss_bank_credit(
        self,
        credit_id: PathId,
        data: JSONBody[CreditDismiss],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> BankCreditRead:
        """A waiting credit is not a licensee's money (bank interest, a refund to the pool):
        nothing is recorded; the note says why (administrators)."""
        credit = bank.dismiss(db, principal=principal, credit_id=credit_id, data=data, now=now)
        return bank.read(db, credit)


HANDLERS = [PoolBankStatementController, BankCreditController]
