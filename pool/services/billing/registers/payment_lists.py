"""Every payment received, for administrators (issue 17): searched by reference or licensee
name, narrowed by licensee, pool, the days received and whether the money is all allocated
to invoices or some is kept as credit; sorted by day received or amount; a page at a time or
whole (CSV).

What a payment settled is the sum of its allocation rows (a cancelled invoice's negative rows
give money back as credit), read in the same select as the payment, so the credit filter and
the page agree."""

from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.models.billing import Payment, PaymentAllocation
from pool.models.organisation import Organisation
from pool.models.pool import Pool
from pool.services.common.listing import ListQuery, run
from pool.services.common.pages import Page

KINDS = ("allocated", "credit")  # all of it settled invoices / some of it is credit
SORTS: dict[str, list[Any]] = {
    "date": [col(Payment.received_on)],
    "amount": [col(Payment.amount_minor)],
}
DEFAULT_SORT = "-date"


class PaymentRow(BaseModel):
    """A payment, its licensee and pool, what it settled and what is left as credit."""

    id: int
    pool_id: int
    pool: str
    licensee_organisation_id: int
    licensee: str
    reference: str
    currency: str
    amount_minor: int
    received_on: date
    allocated_minor: int
    credit_left_minor: int


def _allocated() -> Any:
    return (
        select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0))
        .where(PaymentAllocation.payment_id == Payment.id)
        .scalar_subquery()
    )


def _row(payment: Payment, licensee: str, pool: str, allocated: int) -> PaymentRow:
    return PaymentRow(
        **payment.model_dump(include=set(PaymentRow.model_fields)),
        licensee=licensee,
        pool=pool,
        allocated_minor=allocated,
        credit_left_minor=payment.amount_minor - allocated,
    )


def admin_listing(session: Session, *, principal: Principal, spec: ListQuery) -> Page[PaymentRow]:
    """Every pool's payments for staff (filters: `licensee`, `pool`, `from` and `to`, days
    received, both included, and `kind`: `allocated` or `credit`)."""
    principal.require_staff()
    allocated = _allocated()
    query = (
        select(Payment, Organisation.name, Pool.name, allocated)
        .join(Organisation, col(Organisation.id) == Payment.licensee_organisation_id)
        .join(Pool, col(Pool.id) == Payment.pool_id)
    )
    for name, column in (("licensee", Payment.licensee_organisation_id),
                         ("pool", Payment.pool_id)):  # fmt: skip
        if value := spec.filter(name):
            query = query.where(column == int(value))
    if start := spec.filter("from"):
        query = query.where(col(Payment.received_on) >= date.fromisoformat(start))
    if end := spec.filter("to"):
        query = query.where(col(Payment.received_on) <= date.fromisoformat(end))
    kind = spec.filter("kind")
    if kind == "credit":
        query = query.where(col(Payment.amount_minor) > allocated)
    elif kind == "allocated":
        query = query.where(col(Payment.amount_minor) <= allocated)
    # a select of several columns is a `Select` to SQLModel's types; `run` reads it the same
    return run(
        session, query, spec,  # type: ignore[arg-type]
        search=[Payment.reference, Organisation.name], sorts=SORTS, default=DEFAULT_SORT,
        tie_break=col(Payment.id), convert=lambda row: _row(row[0], row[1], row[2], row[3]),
    )  # fmt: skip
