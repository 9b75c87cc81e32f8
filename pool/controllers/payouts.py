"""Payouts: contributors' bank details, payout batches (pain.001 files) and their settlement,
and each statement's payout."""

from dataclasses import asdict
from datetime import datetime

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset
from pool.dependencies import Caller
from pool.models.payout import (
    BankDetailsRead,
    BankDetailsWrite,
    HeldContributor,
    PayoutBatchCreate,
    PayoutBatchRead,
    PayoutLineRead,
    PayoutPaid,
    PayoutReturned,
    PayoutSent,
    StatementPayoutRead,
)
from pool.openapi import RESPONSE_MEDIA_TYPES
from pool.services import statements
from pool.services.common.pages import Page
from pool.services.payouts import bank_details, batches, pain001, payout_of, settling


class BankDetailsController(Controller):
    path = "/organisations"
    tags = ["payouts"]

    @get("/{organisation_id:int}/bank-details", sync_to_thread=True)
    def get_bank_details(
        self, organisation_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> BankDetailsRead | None:
        """Where the contributor is paid (null until it has given it): the contributor itself
        and staff read it."""
        found = bank_details.find(db, principal=principal, organisation_id=organisation_id)
        return None if found is None else BankDetailsRead.model_validate(found)

    @put("/{organisation_id:int}/bank-details", sync_to_thread=True)
    def put_bank_details(
        self,
        organisation_id: PathId,
        data: JSONBody[BankDetailsWrite],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> BankDetailsRead:
        """Set the bank details (the contributor itself; audited)."""
        found = bank_details.put(
            db, principal=principal, organisation_id=organisation_id, data=data, now=now
        )
        return BankDetailsRead.model_validate(found)


class PoolPayoutController(Controller):
    path = "/pools/{pool_id:int}"
    tags = ["payouts"]

    @get("/payout-batches", sync_to_thread=True)
    def list_batches(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[PayoutBatchRead]:
        """The pool's payout batches, newest first (staff)."""
        return batches.listing(db, principal=principal, pool_id=pool_id, limit=limit, offset=offset)

    @post("/payout-batches", sync_to_thread=True)
    def create_batch(
        self,
        pool_id: PathId,
        data: JSONBody[PayoutBatchCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PayoutBatchRead:
        """Pay every contributor its open net payable (administrators; audited); those
        without bank details are held and listed."""
        batch = batches.create(
            db, principal=principal, pool_id=pool_id, execution_date=data.execution_date, now=now
        )
        return batches.read(db, batch)

    @get("/payouts-held", sync_to_thread=True)
    def held(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[HeldContributor]:
        """Contributors owed money who gave no bank details (staff)."""
        return batches.held(db, principal=principal, pool_id=pool_id, limit=limit, offset=offset)


class PayoutBatchController(Controller):
    path = "/payout-batches"
    tags = ["payouts"]

    @get("/{batch_id:int}", sync_to_thread=True)
    def get_batch(
        self, batch_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> PayoutBatchRead:
        """The batch with its lines and the contributors held now (staff)."""
        return batches.read(db, batches.get(db, principal=principal, batch_id=batch_id))

    @get(
        "/{batch_id:int}/pain001",
        sync_to_thread=True,
        media_type=pain001.MEDIA_TYPE,
        opt={RESPONSE_MEDIA_TYPES: [pain001.MEDIA_TYPE]},
    )
    def download(
        self, batch_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> Response[bytes]:
        """The ISO 20022 pain.001.001.09 credit-transfer file for the bank (staff)."""
        batch = batches.get(db, principal=principal, batch_id=batch_id)
        content = pain001.build(db, batch, batches.lines_of(db, batch_id))
        return Response(
            content,
            media_type=pain001.MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{batch.message_id}.xml"'},
        )

    @post("/{batch_id:int}/sent", sync_to_thread=True, status_code=200)
    def mark_sent(
        self,
        batch_id: PathId,
        data: JSONBody[PayoutSent],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PayoutBatchRead:
        """The file went to the bank (administrators; idempotent; audited)."""
        batch = settling.mark_sent(
            db, principal=principal, batch_id=batch_id, sent_on=data.sent_on, now=now
        )
        return batches.read(db, batch)


class PayoutLineController(Controller):
    path = "/payout-lines"
    tags = ["payouts"]

    @post("/{line_id:int}/paid", sync_to_thread=True, status_code=200)
    def paid(
        self,
        line_id: PathId,
        data: JSONBody[PayoutPaid],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PayoutLineRead:
        """The bank paid it: net payable moves to cash (administrators; idempotent)."""
        line = settling.record_paid(
            db, principal=principal, line_id=line_id, paid_on=data.paid_on,
            bank_reference=data.bank_reference, now=now,
        )  # fmt: skip
        return batches.line_read(db, line)

    @post("/{line_id:int}/returned", sync_to_thread=True, status_code=200)
    def returned(
        self,
        line_id: PathId,
        data: JSONBody[PayoutReturned],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PayoutLineRead:
        """The payment came back: payable again, in the next batch (administrators)."""
        line = settling.record_returned(
            db, principal=principal, line_id=line_id, returned_on=data.returned_on,
            reason=data.reason, now=now,
        )  # fmt: skip
        return batches.line_read(db, line)


class StatementPayoutController(Controller):
    path = "/statements"
    tags = ["payouts"]

    @get("/{statement_id:int}/payout", sync_to_thread=True)
    def payout(
        self, statement_id: PathId, db: NamedDependency[Session], principal: Caller
    ) -> StatementPayoutRead:
        """Paid on, the bank's reference, or not yet paid (the contributor its own; staff)."""
        statements.get(db, principal=principal, statement_id=statement_id)
        return StatementPayoutRead(**asdict(payout_of(db, statement_id)))


HANDLERS = (
    BankDetailsController,
    PoolPayoutController,
    PayoutBatchController,
    PayoutLineController,
    StatementPayoutController,
)
