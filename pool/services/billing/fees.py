"""Fixed fees (entry fee, annual fee) invoiced on their dates.

`contracts.fixed_fees` says which fee falls on which date; this module issues one invoice of
kind `fixed_fee` per fee whose date has come, for every active agreement of a pool. It is run
by a daily job and by administrators; running it again (or on two workers at once) issues
nothing twice: `uq_invoice_fixed_fee` allows one invoice per (agreement, fee, date), and a
lost race rolls the whole run back for a clean retry.
"""

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session, col, select

from contracts import (
    Accrual,
    DueItem,
    FixedFee,
    PaymentTerms,
    add_months,
    fixed_fees,
    payment_schedule,
)
from pool.auth import Principal
from pool.errors import InvalidInput
from pool.models.billing import Invoice, InvoiceKind, InvoiceLine, InvoiceRead
from pool.models.licensing import LicenceAgreement
from pool.services import audit, pools
from pool.services.billing import invoice_lines, invoice_numbers, invoices
from pool.services.billing.settlement import SYSTEM
from pool.services.licensing.terms import royalty_terms_of


def issue_for(
    session: Session, *, principal: Principal, pool_id: int, as_of: date, now: datetime
) -> list[InvoiceRead]:
    """The administrators' endpoint: the same run as the daily job, audited as the caller."""
    principal.require_admin()
    pools.get(session, pool_id=pool_id)
    made = issue_fixed_fees(
        session, pool_id=pool_id, as_of=as_of, now=now, actor=audit.Actor.of(principal)
    )
    return [InvoiceRead.model_validate(invoice) for invoice in made]


def issue_fixed_fees(
    session: Session,
    *,
    pool_id: int,
    as_of: date,
    now: datetime,
    actor: audit.Actor = SYSTEM,
) -> list[Invoice]:
    """Invoice every fee dated on or before `as_of` of the pool's active agreements that has
    no invoice yet; return the new invoices (agreement, then date order). A date after today
    is refused: a fee is billed on its date, never ahead of it."""
    if as_of > now.date():
        raise InvalidInput.field("as_of", "fees are invoiced on their dates, not in advance")
    agreements = session.exec(
        select(LicenceAgreement)
        .where(LicenceAgreement.pool_id == pool_id, LicenceAgreement.state == "active")
        .order_by(col(LicenceAgreement.id))
    ).all()
    made: list[Invoice] = []
    for agreement in agreements:
        royalty, payment = royalty_terms_of(session, agreement)
        done = set(
            session.exec(
                select(col(Invoice.fee_kind), col(Invoice.usage_start)).where(
                    Invoice.agreement_id == agreement.id, Invoice.kind == InvoiceKind.FIXED_FEE
                )
            ).all()
        )
        for fee in fixed_fees(royalty, start=agreement.start_on, end=agreement.end_on):
            if fee.due_on <= as_of and (fee.kind.value, fee.due_on) not in done:
                made.append(_issue(session, agreement, payment, fee, royalty.currency, now, actor))
    return made


def _issue(
    session: Session,
    agreement: LicenceAgreement,
    payment: PaymentTerms,
    fee: FixedFee,
    currency: str,
    now: datetime,
    actor: audit.Actor,
) -> Invoice:
    """One fee's invoice, dated the fee's date (so a run that comes late books exactly what a
    punctual run would have), due per the payment terms, posted and settled from credit.

    Its usage period is the licence year the fee opens (the entry fee's is the first year):
    the money received for it is attributed to that year for distribution."""
    items = payment_schedule(
        # the revenue threshold holds royalties on reported sales; it never releases a fee
        payment.model_copy(update={"revenue_threshold": None}),
        [Accrual(reference="fee", accrued_on=fee.due_on, amount_minor=fee.amount_minor)],
    )
    invoice = invoice_numbers.add_numbered(session, _row(agreement, fee, currency, items, now))
    session.add(_line(invoice, fee))
    invoices.book(session, invoice=invoice, items=items, now=now)
    audit.record(
        session,
        actor=actor,
        action="invoice.issued",
        entity_type="invoice",
        entity_id=invoice.id,
        pool_id=invoice.pool_id,
        after=audit.money_state(session, invoice),
        now=now,
    )
    return invoice


def _row(
    agreement: LicenceAgreement,
    fee: FixedFee,
    currency: str,
    items: Sequence[DueItem],
    now: datetime,
) -> Invoice:
    """The invoice row; `due_on` is its earliest part's date (None while any part waits)."""
    dated = [item.due_on for item in items if item.due_on is not None]
    return Invoice(
        pool_id=agreement.pool_id,
        agreement_id=agreement.id or 0,
        licensee_organisation_id=agreement.licensee_organisation_id,
        kind=InvoiceKind.FIXED_FEE,
        fee_kind=fee.kind.value,
        number="",  # invoice_numbers.add_numbered gives it
        currency=currency,
        usage_start=fee.due_on,
        usage_end=min(add_months(fee.due_on, 12), agreement.end_on),
        issued_on=fee.due_on,
        due_on=min(dated) if len(dated) == len(items) else None,
        total_minor=fee.amount_minor,
        created_at=now,
    )


def _line(invoice: Invoice, fee: FixedFee) -> InvoiceLine:
    label = "entry fee" if fee.kind.value == "entry_fee" else "annual fee"
    return InvoiceLine(
        invoice_id=invoice.id or 0,
        line_no=1,
        category=fee.kind.value,
        amount_minor=fee.amount_minor,
        explanation=f"[{fee.kind.value}] {label} due {fee.due_on.isoformat()}",
        facts=invoice_lines.fee(fee.kind.value, fee.due_on, fee.amount_minor),
    )
