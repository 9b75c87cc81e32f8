"""The fee invoice of one patent's evaluation: issued once, billed to the patent's owner.

The amount is the pool's `evaluation_fee_minor` on the day the evaluation begins; the invoice
is issued that day and due `DUE_DAYS` later, in one part. A pool without a fee (0) issues
nothing. `uq_invoice_evaluation_fee` allows one live fee invoice per patent, so a retried or
concurrent start cannot bill twice (the caller holds the patent's row lock as well)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from contracts import DueItem
from pool.models.billing import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from pool.models.patent import Patent
from pool.models.pool import Pool
from pool.services import audit
from pool.services.billing import invoice_lines, invoice_numbers, invoices, licensee_money

DUE_DAYS = 30  # the contributor pays within a month, as the pool's own fee terms say


def fee_invoice(session: Session, patent_id: int) -> Invoice | None:
    """The patent's live (not cancelled) evaluation fee invoice, if it was charged."""
    return session.exec(
        select(Invoice).where(
            Invoice.patent_id == patent_id,
            Invoice.kind == InvoiceKind.EVALUATION_FEE,
            col(Invoice.status) != InvoiceStatus.CANCELLED,
        )
    ).first()


@dataclass(frozen=True)
class FeeNote:
    """What the assignment page says of the fee: charged (its invoice), or to be charged by
    the first assignment (the pool's fee now)."""

    amount_minor: int
    currency: str
    invoice_id: int | None
    invoice_number: str | None


def note_for(session: Session, *, patent_id: int, pool_id: int) -> FeeNote | None:
    """The patent's fee invoice, or the fee its first assignment will charge; None when the
    pool charges none and nothing was charged."""
    charged = fee_invoice(session, patent_id)
    if charged is not None:
        return FeeNote(charged.total_minor, charged.currency, charged.id, charged.number)
    pool = session.get(Pool, pool_id)
    if pool is None or pool.evaluation_fee_minor <= 0:
        return None
    return FeeNote(pool.evaluation_fee_minor, pool.currency, None, None)


def charge(
    session: Session, *, patent: Patent, actor: audit.Actor, now: datetime
) -> Invoice | None:
    """Invoice the patent's owner the pool's evaluation fee, unless the pool charges none or
    the patent was charged already; return the new invoice."""
    pool = session.get(Pool, patent.pool_id)
    if pool is None or pool.evaluation_fee_minor <= 0 or fee_invoice(session, patent.id or 0):
        return None
    payer = patent.owner_organisation_id
    licensee_money.serialize(session, payer)  # booking settles it from the payer's credit
    today = now.date()
    invoice = invoice_numbers.add_numbered(
        session,
        Invoice(
            pool_id=pool.id or 0,
            agreement_id=None,
            licensee_organisation_id=payer,
            patent_id=patent.id,
            kind=InvoiceKind.EVALUATION_FEE,
            number="",  # add_numbered gives it
            currency=pool.currency,
            usage_start=today,  # no usage: the day the evaluation began
            usage_end=today + timedelta(days=1),
            issued_on=today,
            due_on=today + timedelta(days=DUE_DAYS),
            total_minor=pool.evaluation_fee_minor,
            created_at=now,
        ),
    )
    session.add(
        InvoiceLine(
            invoice_id=invoice.id or 0,
            line_no=1,
            category=InvoiceKind.EVALUATION_FEE.value,
            amount_minor=invoice.total_minor,
            explanation=f"[evaluation_fee] evaluation of patent {patent.number}",
            facts=invoice_lines.evaluation_fee(patent.number, today, invoice.total_minor),
        )
    )
    item = DueItem(
        reference=invoice.number,
        part=1,
        parts=1,
        amount_minor=invoice.total_minor,
        due_on=invoice.due_on,
    )
    invoices.book(session, invoice=invoice, items=[item], now=now)
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
