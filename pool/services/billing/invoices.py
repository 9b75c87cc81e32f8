"""Invoices issued from accepted usage reports, posted to the ledger, and read back.

All royalty arithmetic is `contracts.royalty_due` and `contracts.payment_schedule`; this module
only gathers their inputs from the database and stores what they return.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from contracts import (
    Accrual,
    DueItem,
    PaymentTerms,
    RoyaltyResult,
    split_due,
)
from pool.auth import Principal
from pool.errors import Conflict, NotFound
from pool.models.billing import (
    Invoice,
    InvoiceDetail,
    InvoiceInstalment,
    InvoiceInstalmentRead,
    InvoiceKind,
    InvoiceLine,
    InvoiceRead,
    InvoiceStatus,
)
from pool.models.licensing import LicenceAgreement
from pool.models.reporting import UsageReport
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import snapshot
from pool.services.billing import (
    charging,
    invoice_lines,
    invoice_numbers,
    ledger,
    releases,
    settlement,
)
from pool.services.billing.settlement import SYSTEM
from pool.services.common.pages import Page, paginate


def issue(
    session: Session,
    *,
    principal: Principal,
    agreement: LicenceAgreement,
    report: UsageReport,
    result: RoyaltyResult,
    payment: PaymentTerms,
    now: datetime,
) -> Invoice:
    """Store the invoice contracts computed (lines rounded once each; total = their sum),
    its due items from `payment_schedule` (accrued when the usage period ends), and the
    ledger entry: parts due by the issue date are receivable, later ones deferred."""
    accrual = Accrual(
        reference="new",
        accrued_on=report.period_end,
        amount_minor=result.total_minor,
        net_sales_minor=report.net_sales_total_minor,
    )
    items = charging.due_items(session, principal, agreement, payment, accrual, now)
    invoice = _create(session, agreement, report, result, items, now)
    lines = _store_lines(session, invoice.id or 0, result)
    book(session, invoice=invoice, items=items, now=now)
    _audit(session, principal, invoice, "invoice.issued", None, now, lines=lines)
    return invoice


def book(session: Session, *, invoice: Invoice, items: Sequence[DueItem], now: datetime) -> None:
    """Store the invoice's dated parts, post it (parts due by the issue date receivable, the
    rest deferred) and settle it at once from credit the licensee already holds, e.g. the
    payments released from the invoice a correction cancelled (docs/ledger.md)."""
    session.add_all(
        InvoiceInstalment(invoice_id=invoice.id or 0, due_on=i.due_on, amount_minor=i.amount_minor)
        for i in items
    )
    session.flush()
    if invoice.total_minor:
        due_now, deferred = split_due(list(items), invoice.issued_on)
        ledger.post_invoice_issued(
            session, invoice=invoice, due_now_minor=due_now, deferred_minor=deferred, now=now
        )
        settlement.apply_credit(
            session,
            pool_id=invoice.pool_id,
            licensee_organisation_id=invoice.licensee_organisation_id,
            now=now,
        )


def _create(
    session: Session,
    agreement: LicenceAgreement,
    report: UsageReport,
    result: RoyaltyResult,
    items: list[DueItem],
    now: datetime,
) -> Invoice:
    """The invoice row; `due_on` is its earliest due date, None while any part waits."""
    dated = [item.due_on for item in items if item.due_on is not None]
    invoice = Invoice(
        pool_id=agreement.pool_id,
        agreement_id=agreement.id or 0,
        licensee_organisation_id=agreement.licensee_organisation_id,
        report_id=report.id,
        kind=InvoiceKind.ROYALTY,
        number="",  # add_numbered gives it
        currency=result.currency,
        usage_start=report.period_start,
        usage_end=report.period_end,
        issued_on=now.date(),
        due_on=min(dated) if len(dated) == len(items) else None,
        total_minor=result.total_minor,
        created_at=now,
    )
    return invoice_numbers.add_numbered(session, invoice)


def _audit(
    session: Session,
    principal: Principal | None,
    invoice: Invoice,
    action: str,
    before: dict[str, Any] | None,
    now: datetime,
    *,
    lines: list[tuple[Any, ...]],
) -> None:
    """The invoice's state with its lines' digest from the rows just stored (the invoice id,
    their first column, left out), not read back."""
    known = {"lines_sha256": audit.money_digest([row[1:] for row in lines])}
    audit.record(
        session,
        actor=audit.Actor.of(principal) if principal else SYSTEM,
        action=action,
        entity_type="invoice",
        entity_id=invoice.id,
        pool_id=invoice.pool_id,
        before=before,
        after=audit.money_state(session, invoice, known),
        now=now,
    )


def _store_lines(session: Session, invoice_id: int, result: RoyaltyResult) -> list[tuple[Any, ...]]:
    rows = invoice_lines.rows(invoice_id, result)
    charging.insert_rows(session, "invoice_line", invoice_lines.COLUMNS, rows)
    return rows


def live_for_report(session: Session, report_id: int) -> Invoice | None:
    """The report's invoice that is not cancelled (at most one: `uq_invoice_report_live`)."""
    return session.exec(
        select(Invoice).where(
            Invoice.report_id == report_id, Invoice.status != InvoiceStatus.CANCELLED
        )
    ).first()


def unchanged(session: Session, invoice: Invoice, result: RoyaltyResult) -> bool:
    """Whether `result` would issue exactly `invoice` again: same total and the same lines
    (category, countries, units, rate, amount and explanation, in order). Not the facts:
    the explanation says the same, and lines issued before migration 0011 have none."""
    if invoice.total_minor != result.total_minor or invoice.currency != result.currency:
        return False
    stored = session.exec(
        select(*(getattr(InvoiceLine, name) for name in invoice_lines.COLUMNS[:-1]))
        .where(InvoiceLine.invoice_id == invoice.id)
        .order_by(col(InvoiceLine.line_no))
    ).all()
    fresh = [row[:-1] for row in invoice_lines.rows(invoice.id or 0, result)]
    return [tuple(row) for row in stored] == fresh


def cancel_for_report(
    session: Session, *, principal: Principal, report_id: int, reason: str, now: datetime
) -> Invoice | None:
    """Cancel the live invoice issued on a report, if it has one (see `cancel`)."""
    invoice = live_for_report(session, report_id)
    if invoice is None:
        return None
    return cancel(session, principal=principal, invoice=invoice, reason=reason, now=now)


def cancel(
    session: Session, *, principal: Principal, invoice: Invoice, reason: str, now: datetime
) -> Invoice:
    """Cancel the invoice, take it off the books (`ledger.reverse_invoice`) and release what
    payments had settled on it as credit (`releases.release_allocations`), so the money
    settles the replacing invoice instead of staying stranded on this one.

    A written-off invoice is refused (409): its bad debt already absorbed what was owed, and
    reversing the issue entry on top would credit the licensee with money it never paid."""
    if invoice.status == InvoiceStatus.WRITTEN_OFF:
        raise Conflict(
            Phrase(
                "invoice %(number)s was written off; it cannot be corrected", number=invoice.number
            )
        )
    before = snapshot(invoice)
    invoice.status = InvoiceStatus.CANCELLED
    session.add(invoice)
    ledger.reverse_invoice(session, invoice=invoice, reason=reason, now=now)
    releases.release_allocations(session, invoice=invoice, now=now)
    audit.record(
        session,
        actor=audit.Actor.of(principal),
        action="invoice.cancelled",
        entity_type="invoice",
        entity_id=invoice.id,
        pool_id=invoice.pool_id,
        before=before,
        after=snapshot(invoice),
        now=now,
    )
    return invoice


def _scoped(principal: Principal) -> Any:
    """Staff see every invoice; a licensee its own organisation's; a contributor the
    evaluation fees its organisation is billed; evaluators none."""
    query = select(Invoice)
    if principal.sees_everything:
        return query
    own = query.where(Invoice.licensee_organisation_id == principal.organisation_id)
    if principal.role == Role.LICENSEE:
        return own
    if principal.role == Role.CONTRIBUTOR:
        return own.where(Invoice.kind == InvoiceKind.EVALUATION_FEE)
    return query.where(col(Invoice.id).is_(None))


def listing(
    session: Session,
    *,
    principal: Principal,
    agreement_id: int | None,
    status: InvoiceStatus | None,
    limit: int,
    offset: int,
    kind: InvoiceKind | None = None,
    newest_first: bool = False,
) -> Page[InvoiceRead]:
    order = col(Invoice.id).desc() if newest_first else col(Invoice.id)
    query = _scoped(principal).order_by(order)
    if kind is not None:
        query = query.where(Invoice.kind == kind)
    if agreement_id is not None:
        query = query.where(Invoice.agreement_id == agreement_id)
    if status is not None:
        query = query.where(Invoice.status == status)
    return paginate(session, query, limit=limit, offset=offset, convert=InvoiceRead.model_validate)


def get(session: Session, *, principal: Principal, invoice_id: int) -> InvoiceDetail:
    invoice = session.exec(_scoped(principal).where(Invoice.id == invoice_id)).first()
    if invoice is None:
        raise NotFound("invoice not found")
    lines = session.exec(
        select(InvoiceLine)
        .where(InvoiceLine.invoice_id == invoice_id)
        .order_by(col(InvoiceLine.line_no))
    ).all()
    instalments = session.exec(
        select(InvoiceInstalment)
        .where(InvoiceInstalment.invoice_id == invoice_id)
        .order_by(col(InvoiceInstalment.id))
    ).all()
    return InvoiceDetail.model_validate(
        {
            **invoice.model_dump(),
            "lines": [invoice_lines.read(x) for x in lines],
            "instalments": [InvoiceInstalmentRead.model_validate(x) for x in instalments],
        }
    )
