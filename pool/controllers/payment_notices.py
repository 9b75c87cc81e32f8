"""Payment notices: a licensee says it has paid; an administrator confirms or rejects it."""

from datetime import datetime

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, JSONBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller
from pool.models.billing.payment_notice import (
    NoticeConfirm,
    NoticeReject,
    NoticeStatus,
    PaymentNoticeCreate,
    PaymentNoticeRead,
)
from pool.services.billing import payment_notices
from pool.services.common.pages import Page

REPLAYED = {  # the 201's twin, documented too
    200: ResponseSpec(
        PaymentNoticeRead,
        description="The same notice again: the first one, nothing changed.",
        generate_examples=False,
    )
}


class PaymentNoticeController(Controller):
    path = "/payment-notices"
    tags = ["payments"]

    @post("/", sync_to_thread=True, responses=REPLAYED)
    def declare(
        self,
        data: JSONBody[PaymentNoticeCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> Response[PaymentNoticeRead]:
        """A licensee tells the pool it has paid (changes no balance). The same reference and
        details again return the first notice with 200; other details are a 409."""
        notice, created = payment_notices.declare(db, principal=principal, data=data, now=now)
        return Response(payment_notices.read(notice), status_code=201 if created else 200)

    @get("/", sync_to_thread=True)
    def list_notices(
        self,
        db: NamedDependency[Session],
        principal: Caller,
        pool_id: QueryId = None,
        status: FromQuery[NoticeStatus | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[PaymentNoticeRead]:
        """Staff see every notice; a licensee its own, oldest first."""
        return payment_notices.listing(
            db, principal=principal, pool_id=pool_id, status=status, limit=limit, offset=offset
        )

    @get("/{notice_id:int}", sync_to_thread=True)
    def get_notice(
        self,
        notice_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> PaymentNoticeRead:
        """One notice, its status and (once decided) the payment or the reason."""
        return payment_notices.read(
            payment_notices.get(db, principal=principal, notice_id=notice_id)
        )

    @post("/{notice_id:int}/confirm", sync_to_thread=True, status_code=200)
    def confirm(
        self,
        notice_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
        data: JSONBody[NoticeConfirm | None] = None,
    ) -> PaymentNoticeRead:
        """The money arrived (administrators): records the payment with the notice's
        reference and the amount and date received (default: as the notice says)."""
        notice = payment_notices.confirm(
            db, principal=principal, notice_id=notice_id, data=data or NoticeConfirm(), now=now
        )
        return payment_notices.read(notice)

    @post("/{notice_id:int}/reject", sync_to_thread=True, status_code=200)
    def reject(
        self,
        notice_id: PathId,
        data: JSONBody[NoticeReject],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PaymentNoticeRead:
        """No such money arrived (administrators): the licensee reads the reason."""
        notice = payment_notices.reject(
            db, principal=principal, notice_id=notice_id, data=data, now=now
        )
        return payment_notices.read(notice)


HANDLERS: list[type[Controller]] = [PaymentNoticeController]
