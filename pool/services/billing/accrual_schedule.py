"""An accrual's due items under the agreement's payment terms (`contracts.payment_schedule`),
for the invoice being issued. Under a revenue threshold the agreement's earlier accruals count
too, and when this one reaches the threshold the earlier invoices' held parts fall due: their
dates are set, parts already due at issue are moved from deferred to receivable in the ledger,
and the invoice's change is audited."""

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import Session, col, select

from contracts import Accrual, DueItem, PaymentTerms, payment_schedule
from pool.auth import Principal
from pool.models.billing import Invoice, InvoiceInstalment, InvoiceStatus
from pool.models.licensing import LicenceAgreement
from pool.models.reporting import UsageReport
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.billing import booking


def due_items(
    session: Session,
    principal: Principal,
    agreement: LicenceAgreement,
    payment: PaymentTerms,
    accrual: Accrual,
    now: datetime,
) -> list[DueItem]:
    """This accrual's due items. A revenue threshold counts the agreement's earlier accruals
    (cumulative net sales); when this one reaches it, earlier held parts get their date too."""
    earlier: list[Accrual] = []
    if payment.revenue_threshold is not None:
        rows = session.exec(
            select(
                col(Invoice.id),
                col(Invoice.usage_end),
                col(Invoice.total_minor),
                col(UsageReport.net_sales_total_minor),
            )
            .join(UsageReport, col(UsageReport.id) == Invoice.report_id)
            .where(Invoice.agreement_id == agreement.id, Invoice.status != InvoiceStatus.CANCELLED)
        ).all()
        earlier = [
            Accrual(reference=str(i), accrued_on=d, amount_minor=t, net_sales_minor=n)
            for i, d, t, n in rows
        ]
    items = payment_schedule(payment, [*earlier, accrual])
    for item in items:
        if item.reference != accrual.reference and item.due_on is not None:
            _release(session, principal, int(item.reference), item.due_on, now)
    return [item for item in items if item.reference == accrual.reference]


def _booked_due(
    session: Session, invoice: Invoice, parts: Sequence[InvoiceInstalment], now: datetime
) -> None:
    """Held parts dated on or before the invoice's issue date now count as due at issue
    (`ledger.due_at_issue`), so `dues.recognise_due` skips them and settlement takes them
    as receivable; but they were booked deferred. Move them to `receivable` now, one
    "falls due" entry per part, as `recognise_due` would have (same kind and source, so
    `ledger.reverse_invoice` takes them back if the invoice is cancelled). This happens
    when a held invoice is issued after a later one already reached the threshold's date,
    e.g. reports sent late or an earlier period's invoice re-issued. Only open invoices: a
    written-off one has nothing deferred left, and a zero part was never booked."""
    wanted = {part.id for part in parts}
    for found in booking.bookings(session, invoice):
        if found.part.source_type == "invoice_instalment" and found.part.source_id in wanted:
            booking.recognise_part(
                session,
                invoice,
                found,
                occurred_on=now.date(),
                memo=f"invoice {invoice.number}: held part due {found.part.due_on} "
                "(threshold reached)",
                now=now,
            )


def _release(
    session: Session, principal: Principal, invoice_id: int, due_on: date, now: datetime
) -> None:
    """An earlier invoice's parts held for the revenue threshold now fall due on `due_on`."""
    held = session.exec(
        select(InvoiceInstalment).where(
            InvoiceInstalment.invoice_id == invoice_id, col(InvoiceInstalment.due_on).is_(None)
        )
    ).all()
    invoice = session.get(Invoice, invoice_id)
    if not held or invoice is None:
        return
    before = snapshot(invoice)
    for part in held:
        part.due_on = due_on
        session.add(part)
    invoice.due_on = invoice.due_on or due_on
    session.add(invoice)
    session.flush()
    if due_on <= invoice.issued_on and invoice.status == InvoiceStatus.OPEN:
        _booked_due(session, invoice, [part for part in held if part.amount_minor], now)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="invoice.threshold_reached",
        entity_type="invoice",
        entity_id=invoice.id,
        pool_id=invoice.pool_id,
        before=before,
        after=audit.money_state(session, invoice),
        now=now,
    )
