"""Reading payment notices: staff see every notice, a licensee its own; anyone else's id is
not found."""

from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import NotFound
from pool.models.billing.payment_notice import (
    NoticeStatus,
    PaymentNotice,
    PaymentNoticeRead,
)
from pool.models.user import Role
from pool.services.common.pages import Page, paginate


def get(session: Session, *, principal: Principal, notice_id: int) -> PaymentNotice:
    """Staff see every notice, a licensee its own; anyone else's id is not found."""
    notice = session.get(PaymentNotice, notice_id)
    if notice is None:
        raise NotFound("payment notice not found")
    principal.require_staff_or_org(notice.licensee_organisation_id, "payment notice")
    return notice


def read(notice: PaymentNotice) -> PaymentNoticeRead:
    return PaymentNoticeRead.model_validate(notice.model_dump())


def listing(
    session: Session,
    *,
    principal: Principal,
    pool_id: int | None = None,
    status: NoticeStatus | None = None,
    invoice_id: int | None = None,
    limit: int,
    offset: int,
) -> Page[PaymentNoticeRead]:
    """Oldest first (the order an administrator works through them)."""
    query = select(PaymentNotice).order_by(col(PaymentNotice.id))
    if not principal.sees_everything:
        if principal.role != Role.LICENSEE:
            raise NotFound("not found")
        query = query.where(PaymentNotice.licensee_organisation_id == principal.organisation_id)
    if pool_id is not None:
        query = query.where(PaymentNotice.pool_id == pool_id)
    if status is not None:
        query = query.where(PaymentNotice.status == status)
    if invoice_id is not None:
        query = query.where(PaymentNotice.invoice_id == invoice_id)
    return paginate(session, query, limit=limit, offset=offset, convert=read)
