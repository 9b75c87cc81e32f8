"""A licensee's position in one pool at a date: every invoice with its parts' states, the
credit the pool holds, late interest, and good standing. The one place these are computed;
the invoices page, the account page, the API, the reminders and the dashboard read it."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from pool.models.billing import Invoice, Payment, PaymentAllocation
from pool.models.pool import Pool
from pool.services import pools
from pool.services.billing import standing
from pool.services.billing.position.parts import InvoicePosition, PartState, invoice_positions


@dataclass(frozen=True)
class Position:
    pool_id: int
    pool_name: str
    licensee_organisation_id: int
    currency: str
    as_of: date
    invoices: tuple[InvoicePosition, ...]  # oldest first; cancelled ones included
    credit_minor: int  # money received and not (yet) settling any invoice
    standing: standing.Standing

    def _sum(self, name: str) -> int:
        return sum(int(getattr(i, name)) for i in self.invoices)

    @property
    def overdue_minor(self) -> int:
        return self._sum("overdue_minor")

    @property
    def due_now_minor(self) -> int:
        return self._sum("due_now_minor")

    @property
    def not_yet_due_minor(self) -> int:
        return self._sum("not_yet_due_minor")

    @property
    def outstanding_minor(self) -> int:
        return self._sum("outstanding_minor")

    @property
    def interest_minor(self) -> int:
        return self._sum("interest_minor")

    @property
    def to_pay_today_minor(self) -> int:
        """What settles everything due on the date, interest included, less credit held."""
        return max(self.due_now_minor + self.interest_minor - self.credit_minor, 0)

    @property
    def balance_minor(self) -> int:
        """Owed, due or not, less credit: what the ledger's balance says on the same date."""
        return self.outstanding_minor - self.credit_minor

    def invoice(self, invoice_id: int) -> InvoicePosition | None:
        return next((i for i in self.invoices if i.invoice.id == invoice_id), None)


def credit_on(session: Session, *, pool_id: int, licensee_organisation_id: int, on: date) -> int:
    """Payments received by `on` less what of them had settled invoices by `on`."""
    received = session.exec(
        select(func.coalesce(func.sum(Payment.amount_minor), 0)).where(
            Payment.pool_id == pool_id,
            Payment.licensee_organisation_id == licensee_organisation_id,
            col(Payment.received_on) <= on,
        )
    ).one()
    settled = session.exec(
        select(func.coalesce(func.sum(PaymentAllocation.amount_minor), 0))
        .join(Payment, col(Payment.id) == PaymentAllocation.payment_id)
        .where(
            Payment.pool_id == pool_id,
            Payment.licensee_organisation_id == licensee_organisation_id,
            col(PaymentAllocation.allocated_on) <= on,
        )
    ).one()
    return int(received) - int(settled)


def licensee_position(
    session: Session,
    *,
    pool_id: int,
    licensee_organisation_id: int,
    as_of: date,
    pool: Pool | None = None,
) -> Position:
    """The position at the end of `as_of`: invoices issued by then, payments received and
    settled by then, and good standing over everything elapsed by then."""
    pool = pool or pools.get(session, pool_id=pool_id)
    invoices = session.exec(
        select(Invoice)
        .where(
            Invoice.pool_id == pool_id,
            Invoice.licensee_organisation_id == licensee_organisation_id,
            col(Invoice.issued_on) <= as_of,
        )
        .order_by(col(Invoice.issued_on), col(Invoice.id))
    ).all()
    positions = tuple(invoice_positions(session, invoices, as_of=as_of))
    reasons = [*_late_reasons(positions, pool.currency)]
    reasons += standing.missing_reports(
        session,
        pool=pool,
        licensee_organisation_id=licensee_organisation_id,
        start=date.min,
        end=as_of,
        as_of=as_of,
    )
    return Position(
        pool_id=pool_id,
        pool_name=pool.name,
        licensee_organisation_id=licensee_organisation_id,
        currency=pool.currency,
        as_of=as_of,
        invoices=positions,
        credit_minor=credit_on(
            session, pool_id=pool_id, licensee_organisation_id=licensee_organisation_id, on=as_of
        ),
        standing=standing.Standing(good=not reasons, reasons=reasons),
    )


def _late_reasons(positions: tuple[InvoicePosition, ...], currency: str) -> list[standing.Reason]:
    """Each overdue part, as `standing.good_standing` names it (partly paid: underpaid)."""
    late = [
        (part.due_on or date.max, item.invoice.id or 0, item, part)
        for item in positions
        for part in item.parts
        if part.state is PartState.OVERDUE
    ]
    return [
        standing.Reason(
            standing.UNDERPAID if part.paid_minor else standing.OVERDUE,
            currency,
            invoice_id=item.invoice.id,
            invoice_number=item.invoice.number,
            outstanding_minor=part.outstanding_minor,
            due_on=part.due_on,
        )
        for _, _, item, part in sorted(late, key=lambda x: (x[0], x[1]))
    ]
